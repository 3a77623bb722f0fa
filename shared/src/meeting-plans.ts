// Meeting plans (Điều 7 of the regulation): what the control centre plans to
// hold, when, with whom, under which official letter (công văn). A plan is one
// meeting, or a recurring rule (giao ban on the 25th, sinh hoạt chuyên môn on
// the 15th, tập huấn in July and August) whose dates a weekend or a holiday
// moves to an earlier or later working day, as the admin sets. Each concrete
// meeting of a plan is an occurrence, named by a stable key. Pure: runs in
// Node and the browser.
import { z } from 'zod';
import { MEETING_KINDS, type MeetingKind } from './meeting.ts';
import { queryEpochMs } from './query-number.ts';

/** At most 40 attendees at one point (Điều 2.3, 4.3). */
export const ATTENDEE_LIMIT = 40;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM, e.g. "08:00"');
const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD');
const month = z.number().int().min(1, 'must be a month from 1 to 12').max(12, 'must be a month from 1 to 12');
const day = z.number().int().min(1, 'must be a day from 1 to 31').max(31, 'must be a day from 1 to 31');

/** When a plan's meetings take place. */
export const planTimingSchema = z.discriminatedUnion('type', [
  /** One meeting; start and end in ms since the epoch. */
  z.strictObject({ type: z.literal('once'), start: z.number().int().positive(), end: z.number().int().positive() }),
  /** A regular meeting: on these days of these months, at a local time, for a while; between two dates if given. */
  z.strictObject({
    type: z.literal('recurring'),
    months: z.union([z.literal('every'), z.array(month).min(1, 'must list at least one month')]),
    days: z.array(day).min(1, 'must list at least one day'),
    startTime: hhmm,
    durationMinutes: z
      .number()
      .int()
      .min(1, 'must be at least 1 minute')
      .max(24 * 60, 'must be at most 24 hours'),
    from: isoDate.optional(),
    until: isoDate.optional(),
  }),
]);
export type PlanTiming = z.infer<typeof planTimingSchema>;

/** What an operator or admin sends to make or change a plan. Site ids are checked against the registry by the server. */
export const planInputSchema = z.strictObject({
  kind: z.enum(MEETING_KINDS),
  /** `{month}` and `{year}` are replaced with an occurrence's. */
  title: z.string().trim().min(1, 'must not be empty').max(200),
  content: z.string().trim().max(4000).default(''),
  /** Who chairs it (a name, e.g. "Phó Giám đốc Sở Nguyễn Văn A"). */
  chair: z.string().trim().min(1, 'must not be empty').max(120),
  invitedSites: z.array(z.string().min(1).max(40)).min(1, 'must invite at least one site'),
  /** Expected attendees per invited site; more than ATTENDEE_LIMIT is refused naming the site. */
  attendees: z.record(z.string(), z.number().int().min(0)),
  /** The official letter's reference (số công văn), e.g. "125/SGDĐT-GDTX". */
  officialLetter: z.string().trim().max(120).default(''),
  timing: planTimingSchema,
});
export type PlanInput = z.infer<typeof planInputSchema>;

export interface MeetingPlan extends PlanInput {
  id: number;
  /** Made from the regular-meetings seed file rather than by a person. */
  seeded: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** How a date falling on a weekend or a holiday moves. */
export const SHIFT_RULES = ['earlier', 'later'] as const;
export type ShiftRule = (typeof SHIFT_RULES)[number];

export const holidaySchema = z.strictObject({ date: isoDate, name: z.string().trim().min(1).max(120) });
export type Holiday = z.infer<typeof holidaySchema>;

/** The admin's calendar: the shift rule and the holiday list. Wall-clock times are in `timeZone`. */
export const planCalendarSchema = z.strictObject({
  shift: z.enum(SHIFT_RULES),
  holidays: z.array(holidaySchema),
});
export type PlanCalendar = z.infer<typeof planCalendarSchema> & { timeZone: string };

/** One concrete meeting of a plan. */
export interface PlanOccurrence {
  /** Stable: `<planId>@<YYYY-MM-DD of the date the rule gives, before any move>`; a one-off plan's is `<planId>@once`. */
  key: string;
  planId: number;
  kind: MeetingKind;
  title: string;
  content: string;
  chair: string;
  invitedSites: string[];
  attendees: Record<string, number>;
  officialLetter: string;
  /** ms since the epoch */
  start: number;
  end: number;
  /** The start the rule gave before a weekend or holiday moved it; null when not moved. */
  movedFrom: number | null;
}

/** The calendar before an admin sets one: no holiday listed, a date off moves to the working day before it. */
export const DEFAULT_PLAN_SHIFT: ShiftRule = 'earlier';

/** The longest range one occurrences query spans. */
export const OCCURRENCE_RANGE_MAX_DAYS = 400;

/** `GET /api/plans/occurrences?from=&to=`: occurrences overlapping [from, to), ms since the epoch. */
export const occurrenceQuerySchema = z
  .strictObject({ from: queryEpochMs, to: queryEpochMs })
  .refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= OCCURRENCE_RANGE_MAX_DAYS * 24 * 3600_000, {
    message: `must be at most ${OCCURRENCE_RANGE_MAX_DAYS} days after from`,
    path: ['to'],
  });
export type OccurrenceQuery = z.infer<typeof occurrenceQuerySchema>;

/** `GET /api/plans/next?after=`: the first occurrence starting after `after` (ms since the epoch; now when left out). */
export const nextOccurrenceQuerySchema = z.strictObject({ after: queryEpochMs.optional() });
