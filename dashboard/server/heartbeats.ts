// When each site's probe was last heard from, by the arrival of its samples at
// the gateway (the health report's count of reporting sites).
import { SITE_STATE_LIMITS } from '@noc/shared/site-state';

/** `reporting()` is answered from its last look for this long: it looks at every site, and is asked often. */
const REPORTING_REUSE_MS = 250;

export class Heartbeats {
  #last = new Map<string, number>();
  #reporting: { at: number; sites: string[] } | null = null;

  beat(siteId: string, at = Date.now()): void {
    this.#last.set(siteId, Math.max(at, this.#last.get(siteId) ?? 0));
  }

  lastSeen(siteId: string): number | undefined {
    return this.#last.get(siteId);
  }

  reporting(now = Date.now()): string[] {
    const last = this.#reporting;
    if (last && now >= last.at && now - last.at < REPORTING_REUSE_MS) return last.sites;
    const sites = [...this.#last].filter(([, at]) => now - at <= SITE_STATE_LIMITS.heartbeatWindowMs).map(([id]) => id);
    this.#reporting = { at: now, sites };
    return sites;
  }
}
