// The readiness board (for the control centre, the chair and the wall): for
// one occurrence of a plan, every invited site's readiness (ready, not ready,
// not checked, with the reasons and who checked when), its checklist and,
// after the meeting, its shutdown checklist and whether that is overdue.
import { z } from 'zod';
import type { PlanOccurrence } from './meeting-plans.ts';
import type { ReadinessState, SiteReadiness } from './readiness.ts';

/** Where the occurrence stands: before it starts, while it runs, after its end. */
export type OccurrencePhase = 'before' | 'during' | 'after';

export const occurrencePhase = (o: Pick<PlanOccurrence, 'start' | 'end'>, now: number): OccurrencePhase =>
  now < o.start ? 'before' : now < o.end ? 'during' : 'after';

/** An occurrence to pick on the board. */
export type OccurrenceChoice = Pick<PlanOccurrence, 'key' | 'title' | 'kind' | 'start' | 'end'>;

export interface ReadinessBoard {
  /** null when no meeting is planned in the board's range. */
  occurrence: PlanOccurrence | null;
  phase: OccurrencePhase | null;
  /** One per invited site, in the order of the invitation. */
  sites: SiteReadiness[];
  counts: Record<ReadinessState, number>;
  /** Sites whose shutdown checklist is overdue. */
  overdue: number;
  /** When shutdown checklists become overdue (the end plus the grace). */
  overdueAt: number | null;
  /** Recent and coming occurrences, to choose from. */
  choices: OccurrenceChoice[];
  now: number;
}

/** `GET /api/readiness-board?occurrence=`: a given occurrence, or the one the board shows by default. */
export const readinessBoardQuerySchema = z.strictObject({
  occurrence: z.string().min(1, 'must name an occurrence').max(80, 'must be at most 80 characters').optional(),
});
