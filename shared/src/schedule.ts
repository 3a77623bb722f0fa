// The regular meetings of Điều 7 of the regulation (giao ban on the 25th,
// sinh hoạt chuyên môn on the 15th, tập huấn in July and August), read from
// data/schedule.json, and when the next one starts. Wall-clock times are in the
// schedule's time zone (Asia/Ho_Chi_Minh). Pure: runs in Node and the browser.
import { z } from 'zod';
import { parseJsonWith } from './format-path.ts';
import { wallClock, zonedTime } from './zoned-time.ts';
import { MEETING_KINDS, type MeetingKind } from './meeting.ts';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const monthSchema = z.number().int().min(1, 'must be a month from 1 to 12').max(12, 'must be a month from 1 to 12');

export const scheduleRuleSchema = z.strictObject({
  kind: z.enum(MEETING_KINDS),
  /** `{month}` and `{year}` are replaced with the occurrence's. */
  title: z.string().trim().min(1, 'must not be empty').max(200),
  /** `"every"` month, or the listed months (1–12). */
  months: z.union([
    z.literal('every'),
    z
      .array(monthSchema)
      .min(1, 'must list at least one month')
      .refine((m) => new Set(m).size === m.length, 'must not repeat a month'),
  ]),
  /** Days of the month; a day past a month's end (e.g. 31 in April) falls on its last day. */
  days: z
    .array(z.number().int().min(1, 'must be a day from 1 to 31').max(31, 'must be a day from 1 to 31'))
    .min(1, 'must list at least one day')
    .refine((d) => new Set(d).size === d.length, 'must not repeat a day'),
  /** Local start time, HH:MM (24-hour). */
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM, e.g. "08:00"'),
  durationMinutes: z
    .number()
    .int()
    .min(1, 'must be at least 1 minute')
    .max(24 * 60, 'must be at most 24 hours'),
  /** Where the rule comes from, for the people who edit the file. */
  note: z.string().max(500).optional(),
});
export type ScheduleRule = z.infer<typeof scheduleRuleSchema>;

export const scheduleSchema = z.strictObject({
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. "Asia/Ho_Chi_Minh"'),
  meetings: z.array(scheduleRuleSchema).min(1, 'must list at least one meeting'),
});
export type Schedule = z.infer<typeof scheduleSchema>;

export class ScheduleError extends Error {
  readonly field: string;

  constructor(file: string, field: string, detail: string) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'ScheduleError';
    this.field = field;
  }
}

/** Validates a schedule given as JSON text or as the parsed value; `file` only labels the errors. */
export function parseSchedule(input: unknown, file = 'schedule.json'): Schedule {
  return parseJsonWith(scheduleSchema, input, (field, detail) => new ScheduleError(file, field, detail));
}

export interface ScheduledMeeting {
  kind: MeetingKind;
  title: string;
  /** ms since the epoch */
  start: number;
  end: number;
}

export { zonedTime } from './zoned-time.ts';

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

// --- occurrences --------------------------------------------------------------

function occurrencesInMonth(schedule: Schedule, year: number, month: number): ScheduledMeeting[] {
  const out: ScheduledMeeting[] = [];
  const last = daysInMonth(year, month);
  for (const rule of schedule.meetings) {
    if (rule.months !== 'every' && !rule.months.includes(month)) continue;
    const [hour, minute] = rule.start.split(':').map(Number) as [number, number];
    const title = rule.title.replaceAll('{month}', String(month)).replaceAll('{year}', String(year));
    for (const day of new Set(rule.days.map((d) => Math.min(d, last)))) {
      const start = zonedTime(schedule.timeZone, year, month, day, hour, minute);
      out.push({ kind: rule.kind, title, start, end: start + rule.durationMinutes * 60_000 });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Occurrences that overlap [from, to), in order of start. */
export function occurrencesBetween(schedule: Schedule, from: number, to: number): ScheduledMeeting[] {
  const out: ScheduledMeeting[] = [];
  // Start a month early: a meeting of the previous month may still be running.
  let { year, month } = wallClock(schedule.timeZone, from);
  month -= 1;
  if (month === 0) {
    month = 12;
    year -= 1;
  }
  for (;;) {
    if (zonedTime(schedule.timeZone, year, month, 1, 0, 0) >= to) break;
    for (const m of occurrencesInMonth(schedule, year, month)) if (m.end > from && m.start < to) out.push(m);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return out;
}

/** The first meeting that starts after `now`; null only for a schedule with no occurrence within a year. */
export function nextMeeting(schedule: Schedule, now: number): ScheduledMeeting | null {
  const yearAhead = now + 367 * 24 * 3600_000;
  return occurrencesBetween(schedule, now, yearAhead).find((m) => m.start > now) ?? null;
}

/** The scheduled meetings running at `now` (started, not yet ended). */
export function scheduledNow(schedule: Schedule, now: number): ScheduledMeeting[] {
  return occurrencesBetween(schedule, now, now + 1).filter((m) => m.start <= now);
}
