// The simulated network: one SimSite per site of the registry, the timeline
// of what happens to them (the scenario, and faults injected at run time) and
// the world their agents measure: room sensors, link cuts and probe restarts.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Site } from '@noc/shared/sites';
import { errorMessage } from '../agent/log.ts';
import type { InjectedFault } from './scenario.ts';
import { SimSite } from './sim-site.ts';
import type { ActiveInjection, SiteConditions, Timeline } from './timeline.ts';

export interface SimulatorOptions {
  timeline: Timeline;
  nocUrl: string;
  secret: Buffer;
  spoolRoot: string;
  intervalMs: number;
}

/** An injected fault as the control endpoint shows it; times are ms since the epoch. */
export interface FaultRecord {
  id: string;
  fault: InjectedFault;
  startedAt: number;
  /** When it ends by its `durationS`; null when it holds until ended. */
  endsAt: number | null;
}

export interface EndedFault extends FaultRecord {
  endedAt: number;
}

export class UnknownSiteError extends Error {
  constructor(site: string) {
    super(`unknown site "${site}"`);
    this.name = 'UnknownSiteError';
  }
}

export class Simulator {
  readonly timeline: Timeline;
  /** When the run started (ms since the epoch): scenario offsets count from here. */
  readonly startedAt = Date.now();
  #o: SimulatorOptions;
  #sites = new Map<string, SimSite>();
  #timer: NodeJS.Timeout;
  #lastT = 0;
  #cut = new Set<string>();
  #nextId = 1;
  #closed = false;
  /** Whether a site is in a readiness test call now (test-calls.ts); none until one is set. */
  #inTestCall: (site: string) => boolean = () => false;

  constructor(o: SimulatorOptions) {
    this.#o = o;
    this.timeline = o.timeline;
    this.#timer = setInterval(() => this.#tick(), o.intervalMs);
  }

  /** ms since the run started. */
  elapsed(): number {
    return Date.now() - this.startedAt;
  }

  /** Where the sites' test calls are known: a site in one has its room open and reports what it receives too. */
  followTestCalls(inTestCall: (site: string) => boolean): void {
    this.#inTestCall = inTestCall;
  }

  /** What is happening at a site now: the timeline's conditions, with its test call. */
  conditions(site: string, t: number): SiteConditions {
    const conditions = this.timeline.at(site, t);
    if (!this.#inTestCall(site)) return conditions;
    return { ...conditions, roomOpen: true, inTestCall: true };
  }

  get siteCount(): number {
    return this.#sites.size;
  }

  /** Starts a site's probe agent, link gate and room page (one after the other, so the sites come up in order). */
  async addSite(site: Site): Promise<void> {
    if (this.#closed) return;
    const dir = join(this.#o.spoolRoot, site.id);
    await mkdir(dir, { recursive: true });
    const sim = await SimSite.start({
      site,
      nocUrl: this.#o.nocUrl,
      secret: this.#o.secret,
      dir,
      intervalMs: this.#o.intervalMs,
      now: (id) => {
        const t = this.elapsed();
        return { conditions: this.conditions(id, t), t };
      },
    });
    if (this.#closed) await sim.close();
    else this.#sites.set(site.id, sim);
  }

  /** Starts `fault` now at one of the running sites. */
  inject(fault: InjectedFault): FaultRecord {
    const site = this.#sites.get(fault.site);
    if (!site) throw new UnknownSiteError(fault.site);
    const id = `f${this.#nextId++}`;
    const t = this.elapsed();
    const detail = Object.entries(fault)
      .filter(([k]) => k !== 'fault' && k !== 'site' && k !== 'durationS')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    if (fault.fault === 'probe-restart') {
      console.log(`[site:${fault.site}] probe-restart injected (control) ${id}`);
      void site.restart();
      return { id, fault, startedAt: this.startedAt + t, endsAt: this.startedAt + t };
    }
    const lasting = fault.durationS === undefined ? 'until ended' : `for ${fault.durationS} s`;
    const injection = this.timeline.inject(id, fault, t);
    console.log(`[site:${fault.site}] ${fault.fault} injected (control) ${id}${detail ? `: ${detail}` : ''}, ${lasting}`);
    this.#applyNow(fault.site);
    return this.#record(injection);
  }

  /** Ends an injected fault now; null when there is none by that id (or it is over). */
  end(id: string): EndedFault | null {
    const ended = this.timeline.end(id, this.elapsed());
    if (!ended) return null;
    console.log(`[site:${ended.fault.site}] ${ended.fault.fault} ended (control) ${id}`);
    this.#applyNow(ended.fault.site);
    return { ...this.#record(ended), endsAt: null, endedAt: this.startedAt + ended.endsAt };
  }

  /** Ends every injected fault now. */
  endAll(): EndedFault[] {
    return this.timeline.injected(this.elapsed()).flatMap((i) => this.end(i.id) ?? []);
  }

  /** The injected faults holding now. */
  faults(): FaultRecord[] {
    return this.timeline.injected(this.elapsed()).map((i) => this.#record(i));
  }

  #record(i: ActiveInjection): FaultRecord {
    return {
      id: i.id,
      fault: i.fault,
      startedAt: this.startedAt + i.at,
      endsAt: Number.isFinite(i.endsAt) ? this.startedAt + i.endsAt : null,
    };
  }

  /**
   * An injected or ended fault shows at once in what the sites measure: sensors and the cut log are
   * brought up to date now, and the site it concerns reports at once rather than at its next tick.
   */
  #applyNow(site: string): void {
    const t = this.elapsed();
    this.#world(t, []);
    this.#sites
      .get(site)
      ?.reportNow(this.timeline.at(site, t))
      .catch((err: unknown) => console.error(`[site:${site}] reporting the fault at once: ${errorMessage(err)}`));
  }

  #tick(): void {
    const t = this.elapsed();
    for (const over of this.timeline.expire(t)) {
      console.log(
        `[site:${over.fault.site}] ${over.fault.fault} over (control) ${over.id}, after ${Math.round((over.endsAt - over.at) / 1000)} s`,
      );
    }
    const restarts = this.timeline.restartsBetween(this.#lastT, t);
    this.#lastT = t;
    this.#world(t, restarts);
  }

  #world(t: number, restarts: string[]): void {
    if (this.#closed) return;
    for (const [id, site] of this.#sites) {
      const conditions = this.timeline.at(id, t);
      if (conditions.linkCut !== this.#cut.has(id)) {
        if (conditions.linkCut) this.#cut.add(id);
        else this.#cut.delete(id);
        console.log(`[site:${id}] link ${conditions.linkCut ? 'cut' : 'back'}`);
      }
      site.writeSensor(conditions).catch((err: unknown) => console.error(`[site:${id}] writing the sensor file: ${errorMessage(err)}`));
      if (restarts.includes(id)) {
        console.log(`[site:${id}] probe restarting (scenario)`);
        void site.restart();
      }
    }
  }

  /** Stops the clock, then every site (each agent sends what it can within 2 s). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    const closed = await Promise.allSettled([...this.#sites.values()].map((s) => s.close()));
    for (const result of closed) if (result.status === 'rejected') console.error(`[simulator] stopping: ${errorMessage(result.reason)}`);
  }
}
