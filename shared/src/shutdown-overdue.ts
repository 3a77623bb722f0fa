// When a site's shutdown checklist (Điều 9.2: equipment off, power cut) is
// overdue: a while after the meeting's end (30 minutes unless configured) and
// not yet ticked. Pure.
import type { ChecklistRecord } from './readiness.ts';

/** How long after a meeting's end the shutdown checklist may wait. */
export const SHUTDOWN_GRACE_MS = 30 * 60_000;

/** The moment the shutdown checklist of a meeting ending at `end` becomes overdue. */
export const shutdownDueAt = (end: number, graceMs = SHUTDOWN_GRACE_MS): number => end + graceMs;

/** Overdue: the grace after the end has passed and no shutdown checklist was ticked by then or since. */
export function shutdownOverdue(
  end: number,
  shutdown: Pick<ChecklistRecord, 'at'> | null,
  now: number,
  graceMs = SHUTDOWN_GRACE_MS,
): boolean {
  return shutdown === null && now >= shutdownDueAt(end, graceMs);
}
