// Where the checklists, the readiness board and the timeline learn of the
// meetings planned: the occurrences of the meeting plans (Điều 7), as the
// plans' object (ctx.plans) answers them.
import type { PlanOccurrence } from '@noc/shared/meeting-plans';

export interface OccurrenceSource {
  /** The occurrences overlapping [from, to), by start. */
  occurrences(from: number, to: number): PlanOccurrence[];
  occurrence(key: string): PlanOccurrence | null;
}
