// What the reports read that other parts of the server own, as small
// interfaces: the meeting plans' occurrences and calendar, and the readiness
// results.
import type { PlanCalendar, PlanOccurrence } from '@noc/shared/meeting-plans';
import type { SiteReadiness } from '@noc/shared/readiness';

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

/** The server's meeting plans (plans/plans.ts) as the reports read them. */
export function planSourceOf(plans: {
  occurrences: PlanSource['occurrences'];
  occurrence: PlanSource['occurrence'];
  calendar(): PlanCalendar;
}): PlanSource {
  return {
    occurrences: (from, to) => plans.occurrences(from, to),
    occurrence: (key) => plans.occurrence(key),
    timeZone: () => plans.calendar().timeZone,
  };
}
