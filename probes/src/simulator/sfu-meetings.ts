// The scenario's meetings on the real SFU: each is carried (MeetingCarrier)
// from its start to its end, on a clock of its own so a slow or absent SFU
// never holds up the simulated sites.
import type { Timeline } from './timeline.ts';
import { MeetingCarrier } from './meeting-carrier.ts';

export interface SfuMeetingsOptions {
  /** The SFU node's HTTP URL (`http://host:port`); signalling is `ws://host:port/signalling`. */
  sfuUrl: string;
  secret: Buffer;
  timeline: Timeline;
  /** The registry's site ids, for meetings of "all" sites. */
  siteIds: string[];
  /** ms since the run started. */
  elapsed: () => number;
  floorPeriodMs: number;
  tickMs?: number;
}

export class SfuMeetings {
  #o: SfuMeetingsOptions;
  #signallingUrl: string;
  /** Carried meetings, by their index in the scenario. */
  #carriers = new Map<number, MeetingCarrier>();
  #done = new Set<number>();
  #timer: NodeJS.Timeout;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(o: SfuMeetingsOptions) {
    this.#o = o;
    this.#signallingUrl = `${o.sfuUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/signalling`;
    this.#timer = setInterval(() => this.#tick(), o.tickMs ?? 500);
    this.#tick();
  }

  #tick(): void {
    if (this.#running || this.#closed) return;
    this.#running = this.#step().finally(() => {
      this.#running = null;
    });
  }

  async #step(): Promise<void> {
    const { meetings } = this.#o.timeline.scenario;
    for (const [i, m] of meetings.entries()) {
      if (this.#closed) return;
      if (this.#done.has(i)) continue;
      const t = this.#o.elapsed();
      const endsAfter = m.at + m.durationMin * 60_000;
      if (t < m.at) continue;
      let carrier = this.#carriers.get(i);
      if (t >= endsAfter) {
        await carrier?.end();
        this.#carriers.delete(i);
        this.#done.add(i);
        continue;
      }
      if (!carrier) {
        carrier = new MeetingCarrier({
          kind: m.kind,
          title: m.title,
          invitedSites: m.sites === 'all' ? this.#o.siteIds : m.sites,
          signallingUrl: this.#signallingUrl,
          secret: this.#o.secret,
          endsAt: Date.now() + (endsAfter - t),
          floorPeriodMs: this.#o.floorPeriodMs,
          linkCut: (site) => this.#o.timeline.at(site, this.#o.elapsed()).linkCut,
        });
        this.#carriers.set(i, carrier);
        console.log(`[meeting] "${m.title}" starts: carrying it on ${this.#signallingUrl}`);
      }
      await carrier.step();
    }
  }

  /** Stops the clock and ends every meeting still carried. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#running;
    await Promise.all([...this.#carriers.values()].map((c) => c.end()));
    this.#carriers.clear();
  }
}
