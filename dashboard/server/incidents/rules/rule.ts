// The contract of an incident rule (one file per rule, listed in registry.ts):
// given what the NOC knows of one site now, the rule says whether its
// condition holds (`firing`), its recovery condition holds (`clear`), or
// neither can be told (`unknown`: no fresh data, or between the two
// thresholds). The engine adds the `for` durations, grouping, inhibition and
// the incident's lifecycle; a rule only reads.
import type { HealthReport } from '@noc/shared/health';
import type { IncidentParams, RuleId, Severity } from '@noc/shared/incidents';
import type { RuleSettingsMap } from '@noc/shared/incident-rules';
import type { MeetingRecord } from '@noc/shared/meeting';
import type { QualityNow } from '@noc/shared/quality';
import type { SiteRole } from '@noc/shared/sites';
import type { TrainingReadiness } from '../../load-tests/training-readiness.ts';
import type { NotReadyNow } from '../../readiness/readiness.ts';
import type { SiteState } from '../site-state.ts';

/** The running meeting a site is invited to, and when it is expected to end. */
export interface RunningMeeting {
  record: MeetingRecord;
  endsAt: number;
}

export interface RuleContext<K extends RuleId = RuleId> {
  now: number;
  site: SiteState;
  /** The site's link quality now (quality.ts), read once per check for every rule. */
  quality: QualityNow;
  role: SiteRole;
  settings: RuleSettingsMap[K];
  meeting: RunningMeeting | null;
  health: HealthReport | null;
  /** When the engine began listening: silence is only counted from then. */
  listeningSince: number;
  /** The next tập huấn within `daysBefore` days and the latest capacity test before it (read only when asked). */
  trainingReadiness: (daysBefore: number) => TrainingReadiness | null;
  /** The readiness check's latest "not ready" for this site for a meeting not over yet (read only when asked). */
  notReady: () => NotReadyNow | null;
}

export type Verdict =
  | {
      state: 'firing';
      params: IncidentParams;
      /** Above the settings' severity (e.g. loss past the major threshold). */
      severity?: Severity;
      /** The figures that made it fire, kept on the incident's timeline. */
      evidence?: Record<string, unknown>;
    }
  | { state: 'clear' }
  | { state: 'unknown' };

export interface IncidentRule<K extends RuleId = RuleId> {
  readonly id: K;
  /** Where it is checked: at every site, or only at the main or backup point (the SFU nodes stand there). */
  readonly at: 'every-site' | 'main' | 'backup';
  check(ctx: RuleContext<K>): Verdict;
}

export const FIRING = (params: IncidentParams, extra: Omit<Extract<Verdict, { state: 'firing' }>, 'state' | 'params'> = {}): Verdict => ({
  state: 'firing',
  params,
  ...extra,
});
export const CLEAR: Verdict = { state: 'clear' };
export const UNKNOWN: Verdict = { state: 'unknown' };

/** Power and room readings older than this say nothing about now. */
export const READING_MAX_AGE_MS = 60_000;
export const fresh = (reading: { at: number } | null, now: number): boolean => reading !== null && now - reading.at <= READING_MAX_AGE_MS;

/** A figure that fires above `threshold` and clears below `recoverBelow`; in between it holds. */
export function aboveThreshold(
  value: number | null,
  s: { threshold: number; recoverBelow: number },
  params: (v: number) => IncidentParams,
): Verdict {
  if (value === null) return UNKNOWN;
  if (value > s.threshold) return FIRING(params(value));
  return value < s.recoverBelow || s.recoverBelow === s.threshold ? CLEAR : UNKNOWN;
}

/** The same band the other way: fires below `threshold`, clears above `recoverAbove`. */
export function belowThreshold(
  value: number | null,
  s: { threshold: number; recoverAbove: number },
  params: (v: number) => IncidentParams,
): Verdict {
  return aboveThreshold(value === null ? null : -value, { threshold: -s.threshold, recoverBelow: -s.recoverAbove }, (v) => params(-v));
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;

/** The link figures over the last 20 s window (quality.ts), as evidence. */
export function linkEvidence(ctx: RuleContext): Record<string, unknown> {
  const q = ctx.quality;
  return { windowMeans: q.figures, grade: q.grade, mos: q.mos === null ? null : round1(q.mos), lastSampleAt: q.lastSampleAt };
}
