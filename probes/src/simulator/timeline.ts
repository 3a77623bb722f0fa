// What a scenario says is happening at a site at a moment of the run.
import type { Fault, Scenario } from './scenario.ts';

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
}

const active = (f: { at: number; durationS: number }, t: number) => t >= f.at && t < f.at + f.durationS * 1000;

export class Timeline {
  readonly scenario: Scenario;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
  }

  /** Conditions at `site`, `t` ms after the run started. */
  at(site: string, t: number): SiteConditions {
    const faults = this.scenario.faults.filter((f) => f.site === site);
    const find = <K extends Fault['fault']>(name: K) =>
      faults.find((f): f is Extract<Fault, { fault: K }> => f.fault === name && active(f as { at: number; durationS: number }, t));
    const degradation = find('link-degradation');
    const power = find('power-cut');
    const hot = find('room-hot');
    return {
      degradation: degradation ? { lossPct: degradation.lossPct, rttMs: degradation.rttMs, jitterMs: degradation.jitterMs } : null,
      linkCut: Boolean(find('link-cut')),
      powerCut: power ? { since: power.at, drainMs: power.drainMinutes * 60_000 } : null,
      upsDriverLost: Boolean(find('ups-driver-loss')),
      room: hot ? { tempC: hot.tempC, humidityPct: hot.humidityPct } : null,
      inMeeting: this.scenario.meetings.some(
        (m) => (m.sites === 'all' || m.sites.includes(site)) && t >= m.at && t < m.at + m.durationMin * 60_000,
      ),
    };
  }

  /** Probe restarts due in (from, to]: the simulator restarts those agents. */
  restartsBetween(from: number, to: number): string[] {
    return this.scenario.faults.filter((f) => f.fault === 'probe-restart' && f.at > from && f.at <= to).map((f) => f.site);
  }
}
