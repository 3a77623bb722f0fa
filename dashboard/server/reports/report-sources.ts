// What the reports read that other parts of the server own, as small
// interfaces: the meeting plans' occurrences and calendar, and the readiness
// results. Until the server holds plans, the regular meetings of the schedule
// file stand in for them, each inviting every site.
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import type { SiteReadiness } from '@noc/shared/readiness';
import { occurrencesBetween, type Schedule } from '@noc/shared/schedule';

export interface PlanSource {
  /** Occurrences overlapping [from, to), by start. */
  occurrences(from: number, to: number): PlanOccurrence[];
  occurrence(key: string): PlanOccurrence | null;
  /** The time zone of the plans' wall-clock times. */
  timeZone(): string;
}

export interface ReadinessSource {
  between(from: number, to: number): SiteReadiness[];
}

/** The schedule file's regular meetings as plan occurrences (plan 0, keyed by kind and start), inviting every site. */
export function scheduleAsPlans(schedule: Schedule, siteIds: readonly string[]): PlanSource {
  const toOccurrence = (m: ReturnType<typeof occurrencesBetween>[number]): PlanOccurrence => ({
    key: `schedule:${m.kind}@${new Date(m.start).toISOString()}`,
    planId: 0,
    kind: m.kind,
    title: m.title,
    content: '',
    chair: '',
    invitedSites: [...siteIds],
    attendees: {},
    officialLetter: '',
    start: m.start,
    end: m.end,
    movedFrom: null,
  });
  return {
    occurrences: (from, to) => occurrencesBetween(schedule, from, to).map(toOccurrence),
    occurrence(key) {
      const match = /^schedule:[a-z-]+@(.+)$/.exec(key);
      const start = match ? Date.parse(match[1]!) : NaN;
      if (!Number.isFinite(start)) return null;
      return (
        occurrencesBetween(schedule, start, start + 1)
          .map(toOccurrence)
          .find((o) => o.key === key) ?? null
      );
    },
    timeZone: () => schedule.timeZone,
  };
}

/** No readiness results (before the server runs readiness checks). */
export const noReadiness: ReadinessSource = { between: () => [] };
