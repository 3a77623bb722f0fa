// The regular meetings of Điều 7 of the regulation (giao ban on the 25th,
// sinh hoạt chuyên môn on the 15th, tập huấn in July and August) as the file
// data/schedule.json (or NOC_SCHEDULE_FILE) lists them: the seed of the meeting
// plans on a first start (dashboard/server/plans/plan-seed.ts), validated here.
// Their occurrences are the plans' (plan-occurrences.ts). Pure: runs in Node and the browser.
import { z } from 'zod';
import { parseJsonWith } from './format-path.ts';
import { MEETING_KINDS } from './meeting.ts';

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
