// How often each site may run the bandwidth test on one responder: one
// transfer at a time, and at most `perMinute` transfers started in any minute
// (a test is two transfers, down then up). A refused request counts for nothing.

export type QuotaAnswer = { ok: true; release: () => void } | { ok: false; reason: 'busy' | 'rate'; text: string };

export class SiteQuota {
  #perMinute: number;
  #now: () => number;
  #running = new Set<string>();
  /** Start times of each site's transfers within the last minute. */
  #started = new Map<string, number[]>();

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#perMinute = perMinute;
    this.#now = now;
  }

  /** A transfer for `site` may start now (call `release` once it is over), or why not. */
  take(site: string): QuotaAnswer {
    if (this.#running.has(site)) {
      return { ok: false, reason: 'busy', text: `a bandwidth test of site "${site}" is running; one at a time per site` };
    }
    const now = this.#now();
    const recent = (this.#started.get(site) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.#perMinute) {
      const waitS = Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
      this.#started.set(site, recent);
      return {
        ok: false,
        reason: 'rate',
        text: `site "${site}" has started ${this.#perMinute} transfers in the last minute (a test is two); try again in ${waitS} s`,
      };
    }
    recent.push(now);
    this.#started.set(site, recent);
    this.#running.add(site);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#running.delete(site);
      },
    };
  }
}
