// Where the checklists, the readiness board and the timeline learn of the
// meetings planned: the occurrences of the meeting plans (Điều 7). The plans'
// own object answers this interface; until a server has one, the regular
// meetings of the schedule file stand in, each inviting every site of the
// registry, keyed `schedule-<rule number>@<date>`.
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { occurrencesBetween, type Schedule } from '@noc/shared/schedule';
import { wallClock } from '@noc/shared/zoned-time';

export interface OccurrenceSource {
  /** The occurrences overlapping [from, to), by start. */
  occurrences(from: number, to: number): PlanOccurrence[];
  occurrence(key: string): PlanOccurrence | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The schedule file's regular meetings as occurrences inviting `siteIds`. */
export function scheduleOccurrences(schedule: Schedule, siteIds: readonly string[]): OccurrenceSource {
  const toOccurrence = (m: ReturnType<typeof occurrencesBetween>[number]): PlanOccurrence => {
    const rule = schedule.meetings.findIndex((r) => r.kind === m.kind) + 1;
    const { year, month, day } = wallClock(schedule.timeZone, m.start);
    return {
      key: `schedule-${rule}@${year}-${pad(month)}-${pad(day)}`,
      planId: -rule,
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
    };
  };
  const between = (from: number, to: number) => occurrencesBetween(schedule, from, to).map(toOccurrence);
  return {
    occurrences: between,
    occurrence(key) {
      const match = /^schedule-\d+@(\d{4})-(\d{2})-(\d{2})$/.exec(key);
      if (!match) return null;
      // The date is local; look a day either side of it in UTC.
      const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      if (!Number.isFinite(day)) return null;
      return between(day - 86_400_000, day + 2 * 86_400_000).find((o) => o.key === key) ?? null;
    },
  };
}
