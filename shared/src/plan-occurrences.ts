// The concrete meetings of a plan between two moments: a one-off plan's single
// meeting, or every date a recurring rule gives (the listed days of the listed
// months, a day past a month's end falling on its last day, between the rule's
// `from` and `until` dates), each moved off a Saturday, Sunday or holiday to the
// previous or next working day as the calendar says. An occurrence keeps the
// rule's date in its key and in `movedFrom`, so moving it never renames it.
// Wall-clock times are in the calendar's time zone. Pure: runs in Node and the browser.
import type { MeetingPlan, PlanCalendar, PlanOccurrence } from './meeting-plans.ts';
import { wallClock, zonedTime } from './zoned-time.ts';

const DAY_MS = 24 * 3600_000;
/** The longest run of days off a move walks over before giving up (Tết with its weekends is about nine). */
const MAX_SHIFT_DAYS = 31;

/** A calendar date. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD`. */
export const isoDateOf = (d: CivilDate): string => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

export function parseIsoDate(text: string): CivilDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a date YYYY-MM-DD`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The date `n` days after `d` (before, for a negative `n`). */
export function addDays(d: CivilDate, n: number): CivilDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
const weekdayOf = (d: CivilDate): number => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

/** Whether the date is a Saturday, a Sunday or one of the calendar's holidays. */
export function isDayOff(d: CivilDate, calendar: Pick<PlanCalendar, 'holidays'>): boolean {
  const weekday = weekdayOf(d);
  if (weekday === 0 || weekday === 6) return true;
  const iso = isoDateOf(d);
  return calendar.holidays.some((h) => h.date === iso);
}

/** The working day a rule's date is held on: itself, or the nearest earlier or later one by the calendar's shift rule. */
export function workingDay(d: CivilDate, calendar: Pick<PlanCalendar, 'holidays' | 'shift'>): CivilDate {
  const step = calendar.shift === 'earlier' ? -1 : 1;
  let at = d;
  for (let i = 0; i <= MAX_SHIFT_DAYS; i++) {
    if (!isDayOff(at, calendar)) return at;
    at = addDays(at, step);
  }
  throw new Error(`no working day within ${MAX_SHIFT_DAYS} days ${step < 0 ? 'before' : 'after'} ${isoDateOf(d)}: check the holiday list`);
}

/** A plan's title with `{month}` and `{year}` of the rule's date. */
export const titleFor = (title: string, d: CivilDate): string =>
  title.replaceAll('{month}', String(d.month)).replaceAll('{year}', String(d.year));

function occurrence(plan: MeetingPlan, key: string, title: string, start: number, end: number, movedFrom: number | null): PlanOccurrence {
  return {
    key,
    planId: plan.id,
    kind: plan.kind,
    title,
    content: plan.content,
    chair: plan.chair,
    invitedSites: [...plan.invitedSites],
    attendees: { ...plan.attendees },
    officialLetter: plan.officialLetter,
    start,
    end,
    movedFrom,
  };
}

/** The dates a recurring rule gives in one month, before any move (a day past the month's end is its last day). */
function ruleDatesIn(days: readonly number[], year: number, month: number): CivilDate[] {
  const last = daysInMonth(year, month);
  return [...new Set(days.map((d) => Math.min(d, last)))].sort((a, b) => a - b).map((day) => ({ year, month, day }));
}

/** The occurrence of a plan for one of its rule's dates (`date` before the move). */
function recurringOccurrence(plan: MeetingPlan, date: CivilDate, calendar: PlanCalendar): PlanOccurrence | null {
  const { timing } = plan;
  if (timing.type !== 'recurring') return null;
  const [hour, minute] = timing.startTime.split(':').map(Number) as [number, number];
  const held = workingDay(date, calendar);
  const ruleStart = zonedTime(calendar.timeZone, date.year, date.month, date.day, hour, minute);
  const start = zonedTime(calendar.timeZone, held.year, held.month, held.day, hour, minute);
  const moved = isoDateOf(held) !== isoDateOf(date);
  return occurrence(
    plan,
    `${plan.id}@${isoDateOf(date)}`,
    titleFor(plan.title, date),
    start,
    start + timing.durationMinutes * 60_000,
    moved ? ruleStart : null,
  );
}

/** Whether `date` is one a recurring plan's rule gives (its month, one of its days or the month's end, within from/until). */
function ruleGives(plan: MeetingPlan, date: CivilDate): boolean {
  const { timing } = plan;
  if (timing.type !== 'recurring') return false;
  if (timing.months !== 'every' && !timing.months.includes(date.month)) return false;
  const iso = isoDateOf(date);
  if (timing.from && iso < timing.from) return false;
  if (timing.until && iso > timing.until) return false;
  return ruleDatesIn(timing.days, date.year, date.month).some((d) => d.day === date.day);
}

/** A plan's occurrences that overlap [from, to), in order of start. */
export function planOccurrences(plan: MeetingPlan, calendar: PlanCalendar, from: number, to: number): PlanOccurrence[] {
  const { timing } = plan;
  if (timing.type === 'once') {
    if (timing.end <= from || timing.start >= to) return [];
    const day = wallClock(calendar.timeZone, timing.start);
    return [occurrence(plan, `${plan.id}@once`, titleFor(plan.title, day), timing.start, timing.end, null)];
  }
  const out: PlanOccurrence[] = [];
  // A moved date can land up to MAX_SHIFT_DAYS away, and a meeting can run into the next day: look a month and more either side.
  const first = wallClock(calendar.timeZone, from - (MAX_SHIFT_DAYS + 2) * DAY_MS);
  const last = wallClock(calendar.timeZone, to + (MAX_SHIFT_DAYS + 2) * DAY_MS);
  let { year, month } = first;
  while (year < last.year || (year === last.year && month <= last.month)) {
    for (const date of ruleDatesIn(timing.days, year, month)) {
      if (!ruleGives(plan, date)) continue;
      const o = recurringOccurrence(plan, date, calendar);
      if (o && o.end > from && o.start < to) out.push(o);
    }
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Every plan's occurrences that overlap [from, to), in order of start (then key). */
export function occurrencesOf(plans: readonly MeetingPlan[], calendar: PlanCalendar, from: number, to: number): PlanOccurrence[] {
  return plans
    .flatMap((p) => planOccurrences(p, calendar, from, to))
    .sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Splits an occurrence key into its plan and its rule date (null for a one-off plan's `@once`); null when malformed. */
export function parseOccurrenceKey(key: string): { planId: number; date: string | null } | null {
  const m = /^([1-9]\d{0,15})@(once|\d{4}-\d{2}-\d{2})$/.exec(key);
  if (!m) return null;
  return { planId: Number(m[1]), date: m[2] === 'once' ? null : m[2]! };
}

/** The occurrence a key names, or null when the plan gives no such occurrence. */
export function occurrenceByKey(plan: MeetingPlan, calendar: PlanCalendar, key: string): PlanOccurrence | null {
  const parsed = parseOccurrenceKey(key);
  if (!parsed || parsed.planId !== plan.id) return null;
  if (parsed.date === null) {
    return plan.timing.type === 'once' ? (planOccurrences(plan, calendar, plan.timing.start, plan.timing.end)[0] ?? null) : null;
  }
  const date = parseIsoDate(parsed.date);
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) return null;
  if (!ruleGives(plan, date)) return null;
  return recurringOccurrence(plan, date, calendar);
}
