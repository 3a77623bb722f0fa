// Which SFU meeting carried a planned occurrence: one that ran during it with
// at least one of its invited sites (the longest overlap when several did).
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import type { HeldMeeting } from './meeting-history.ts';

export function heldMeetingOf(
  o: Pick<PlanOccurrence, 'start' | 'end' | 'invitedSites'>,
  carried: readonly HeldMeeting[],
): HeldMeeting | null {
  let best: HeldMeeting | null = null;
  let bestOverlap = 0;
  for (const m of carried) {
    if (!m.invitedSites.some((s) => o.invitedSites.includes(s))) continue;
    const overlap = Math.min(o.end, m.endedAt ?? Infinity) - Math.max(o.start, m.startedAt);
    if (overlap > bestOverlap) {
      best = m;
      bestOverlap = overlap;
    }
  }
  return best;
}
