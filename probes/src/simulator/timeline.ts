// What is happening at a site at a moment of the run: the scenario's meetings
// and faults, and the faults injected at run time (the control endpoint),
// which may also be ended early.
import type { Fault, InjectedFault, Scenario } from './scenario.ts';

export interface SiteConditions {
  /** Extra loss, RTT and jitter on the link; null when the link is healthy. */
  degradation: { lossPct: number; rttMs: number; jitterMs: number } | null;
  linkCut: boolean;
  /** Mains lost since this time (ms since the run started), draining over `drainMs`; null on mains. */
  powerCut: { since: number; drainMs: number } | null;
  upsDriverLost: boolean;
  room: { tempC: number; humidityPct: number } | null;
  /** A meeting running at the site. */
  inMeeting: boolean;
  /** The site's room page is open and sends media: in a meeting, or kept open by the scenario. */
  roomOpen: boolean;
  /** The site's room is in a readiness test call: its page reports what it receives as well as what it sends. */
  inTestCall: boolean;
}

/** A fault that lasts (every kind but the probe restart). */
export type LastingFault = Exclude<InjectedFault, { fault: 'probe-restart' }>;
export type LastingFaultName = LastingFault['fault'];

/** A fault holding over [from, to) ms of the run. */
interface Span {
  fault: LastingFault;
  from: number;
  to: number;
}

/** A fault injected at run time, as the control endpoint lists it. */
export interface ActiveInjection {
  id: string;
  fault: LastingFault;
  /** ms since the run started. */
  at: number;
  /** ms since the run started; Infinity until it is ended. */
  endsAt: number;
}

const holds = (s: Span, t: number) => t >= s.from && t < s.to;

export class Timeline {
  readonly scenario: Scenario;
  /** The scenario's lasting faults by site, in scenario order. */
  #scheduled = new Map<string, Span[]>();
  /** Injected faults by id, oldest first. */
  #injected = new Map<string, ActiveInjection>();

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    for (const f of scenario.faults) {
      if (f.fault === 'probe-restart') continue;
      const { at, durationS, ...fault } = f as Exclude<Fault, { fault: 'probe-restart' }>;
      const spans = this.#scheduled.get(f.site) ?? [];
      spans.push({ fault: fault as LastingFault, from: at, to: at + durationS * 1000 });
      this.#scheduled.set(f.site, spans);
    }
  }

  /** Conditions at `site`, `t` ms after the run started. Injected faults win over the scenario's, the newest first. */
  at(site: string, t: number): SiteConditions {
    const injected = [...this.#injected.values()]
      .filter((i) => i.fault.site === site)
      .map((i): Span => ({ fault: i.fault, from: i.at, to: i.endsAt }))
      .reverse();
    const spans = [...injected, ...(this.#scheduled.get(site) ?? [])].filter((s) => holds(s, t));
    const find = <K extends LastingFaultName>(name: K) => {
      const span = spans.find((s) => s.fault.fault === name);
      return span ? { ...(span.fault as Extract<LastingFault, { fault: K }>), from: span.from } : undefined;
    };
    const degradation = find('link-degradation');
    const power = find('power-cut');
    const hot = find('room-hot');
    const inMeeting = this.scenario.meetings.some(
      (m) => (m.sites === 'all' || m.sites.includes(site)) && t >= m.at && t < m.at + m.durationMin * 60_000,
    );
    const open = this.scenario.roomsOpen;
    return {
      degradation: degradation ? { lossPct: degradation.lossPct, rttMs: degradation.rttMs, jitterMs: degradation.jitterMs } : null,
      linkCut: Boolean(find('link-cut')),
      powerCut: power ? { since: power.from, drainMs: power.drainMinutes * 60_000 } : null,
      upsDriverLost: Boolean(find('ups-driver-loss')),
      room: hot ? { tempC: hot.tempC, humidityPct: hot.humidityPct } : null,
      inMeeting,
      roomOpen: inMeeting || open === 'all' || open.includes(site),
      inTestCall: false,
    };
  }

  /** The scenario's probe restarts due in (from, to]: the simulator restarts those agents. */
  restartsBetween(from: number, to: number): string[] {
    return this.scenario.faults.filter((f) => f.fault === 'probe-restart' && f.at > from && f.at <= to).map((f) => f.site);
  }

  /** Starts a lasting fault at `t` under `id`; it holds for its `durationS`, or until ended. */
  inject(id: string, fault: LastingFault, t: number): ActiveInjection {
    if (this.#injected.has(id)) throw new Error(`fault ${id} is already injected`);
    const injection: ActiveInjection = {
      id,
      fault,
      at: t,
      endsAt: fault.durationS === undefined ? Infinity : t + fault.durationS * 1000,
    };
    this.#injected.set(injection.id, injection);
    return injection;
  }

  /** Ends an injected fault at `t`; null when there is no such fault or it is already over. */
  end(id: string, t: number): ActiveInjection | null {
    const injection = this.#injected.get(id);
    if (!injection) return null;
    this.#injected.delete(id);
    if (injection.endsAt <= t) return null;
    return { ...injection, endsAt: t };
  }

  /** Injected faults still holding at `t`. */
  injected(t: number): ActiveInjection[] {
    return [...this.#injected.values()].filter((i) => i.endsAt > t);
  }

  /** Forgets injected faults whose duration is over by `t`, and returns them. */
  expire(t: number): ActiveInjection[] {
    const over = [...this.#injected.values()].filter((i) => i.endsAt <= t);
    for (const i of over) this.#injected.delete(i.id);
    return over;
  }
}
