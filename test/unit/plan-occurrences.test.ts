// Occurrences of meeting plans (Điều 7): giao ban on the 25th, sinh hoạt chuyên
// môn on the 15th, tập huấn in July and August only; a date on a weekend or a
// holiday moved to the working day before or after it by the admin's rule, with
// its key and `movedFrom` keeping the rule's date; `from`/`until`; month ends;
// one-off plans; and the checks of a plan against the site registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { MeetingPlan, PlanCalendar, PlanInput } from '@noc/shared/meeting-plans';
import { planProblem } from '@noc/shared/plan-check';
import { occurrenceByKey, occurrencesOf, planOccurrences, workingDay } from '@noc/shared/plan-occurrences';
import { parseSchedule } from '@noc/shared/schedule';
import { loadRegistry } from '@noc/shared/sites-loader';
import { NOC_TIME_ZONE } from '@noc/shared/zoned-time';
import { seedPlans } from '../../dashboard/server/plans/plan-seed.ts';

/** A wall-clock time in Hà Nội (UTC+7, no daylight saving) as ms since the epoch. */
const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h - 7, mi);

const earlier: PlanCalendar = { shift: 'earlier', holidays: [], timeZone: NOC_TIME_ZONE };
const later: PlanCalendar = { ...earlier, shift: 'later' };

let nextId = 1;
function plan(input: Partial<PlanInput> & Pick<PlanInput, 'timing'>): MeetingPlan {
  return {
    kind: 'giao-ban',
    title: 'Họp giao ban tháng {month}/{year}',
    content: '',
    chair: 'Lãnh đạo Sở',
    invitedSites: ['da-bac', 'mai-chau'],
    attendees: { 'da-bac': 20 },
    officialLetter: '125/SGDĐT-GDTX',
    ...input,
    id: nextId++,
    seeded: false,
    createdBy: 'test',
    createdAt: 0,
    updatedAt: 0,
  };
}

const giaoBan = plan({ timing: { type: 'recurring', months: 'every', days: [25], startTime: '08:00', durationMinutes: 180 } });
const sinhHoat = plan({
  kind: 'sinh-hoat-chuyen-mon',
  title: 'Sinh hoạt chuyên môn tháng {month}/{year}',
  timing: { type: 'recurring', months: 'every', days: [15], startTime: '14:00', durationMinutes: 120 },
});
const tapHuan = plan({
  kind: 'tap-huan',
  title: 'Tập huấn trực tuyến hè {year}',
  timing: { type: 'recurring', months: [7, 8], days: [10], startTime: '08:00', durationMinutes: 240 },
});

const dates = (list: { start: number }[]) => list.map((o) => new Date(o.start + 7 * 3600_000).toISOString().slice(0, 16).replace('T', ' '));

test('giao ban on the 25th at 08:00 for three hours, titled with its month; a working 25th is not moved', () => {
  // 25 June 2026 is a Thursday.
  const [o, ...rest] = planOccurrences(giaoBan, earlier, vn(2026, 6, 1), vn(2026, 7, 1));
  assert.equal(rest.length, 0);
  assert.deepEqual(
    { key: o!.key, title: o!.title, start: o!.start, end: o!.end, movedFrom: o!.movedFrom },
    {
      key: `${giaoBan.id}@2026-06-25`,
      title: 'Họp giao ban tháng 6/2026',
      start: vn(2026, 6, 25, 8),
      end: vn(2026, 6, 25, 11),
      movedFrom: null,
    },
  );
  assert.equal(o!.officialLetter, '125/SGDĐT-GDTX');
  assert.deepEqual(o!.invitedSites, ['da-bac', 'mai-chau']);
});

test('sinh hoạt chuyên môn on the 15th at 14:00, every month', () => {
  const list = planOccurrences(sinhHoat, earlier, vn(2026, 9, 1), vn(2026, 11, 1));
  // 15 September (Tuesday) and 15 October (Thursday) 2026.
  assert.deepEqual(dates(list), ['2026-09-15 14:00', '2026-10-15 14:00']);
  assert.deepEqual(
    list.map((o) => o.end - o.start),
    [2 * 3600_000, 2 * 3600_000],
  );
});

test('tập huấn only in July and August', () => {
  const list = planOccurrences(tapHuan, earlier, vn(2026, 1, 1), vn(2027, 1, 1));
  // 10 July 2026 is a Friday, 10 August a Monday.
  assert.deepEqual(dates(list), ['2026-07-10 08:00', '2026-08-10 08:00']);
  assert.deepEqual(
    list.map((o) => o.title),
    ['Tập huấn trực tuyến hè 2026', 'Tập huấn trực tuyến hè 2026'],
  );
});

test('a 25th on a Sunday moves to the Friday before, or to the Monday after, keeping its key and the rule date in movedFrom', () => {
  // 25 October 2026 is a Sunday.
  const [before] = planOccurrences(giaoBan, earlier, vn(2026, 10, 1), vn(2026, 11, 1));
  assert.equal(before!.key, `${giaoBan.id}@2026-10-25`);
  assert.equal(before!.start, vn(2026, 10, 23, 8));
  assert.equal(before!.movedFrom, vn(2026, 10, 25, 8));
  assert.equal(before!.title, 'Họp giao ban tháng 10/2026');

  const [after] = planOccurrences(giaoBan, later, vn(2026, 10, 1), vn(2026, 11, 1));
  assert.equal(after!.key, `${giaoBan.id}@2026-10-25`);
  assert.equal(after!.start, vn(2026, 10, 26, 8));
  assert.equal(after!.end, vn(2026, 10, 26, 11));
  assert.equal(after!.movedFrom, vn(2026, 10, 25, 8));
});

test("a holiday in the admin's list moves the meeting past it and past the weekend", () => {
  // 25 December 2026 is a Friday; with it a holiday and the weekend after, "later" lands on Monday the 28th.
  const calendar: PlanCalendar = { ...later, holidays: [{ date: '2026-12-25', name: 'Nghỉ bù' }] };
  const [o] = planOccurrences(giaoBan, calendar, vn(2026, 12, 1), vn(2027, 1, 1));
  assert.equal(o!.start, vn(2026, 12, 28, 8));
  assert.equal(o!.movedFrom, vn(2026, 12, 25, 8));
  // "earlier": Thursday the 24th.
  const [e] = planOccurrences(giaoBan, { ...calendar, shift: 'earlier' }, vn(2026, 12, 1), vn(2027, 1, 1));
  assert.equal(e!.start, vn(2026, 12, 24, 8));
  // Without the holiday the Friday stands.
  const [plain] = planOccurrences(giaoBan, later, vn(2026, 12, 1), vn(2027, 1, 1));
  assert.equal(plain!.start, vn(2026, 12, 25, 8));
  assert.equal(plain!.movedFrom, null);
});

test('a move across a month end is found from either month, and a query range catches the moved date, not the rule date', () => {
  // 1 August 2026 is a Saturday: moved earlier it is Friday 31 July.
  const first = plan({ timing: { type: 'recurring', months: [8], days: [1], startTime: '08:00', durationMinutes: 60 } });
  const inJuly = planOccurrences(first, earlier, vn(2026, 7, 31), vn(2026, 8, 1));
  assert.deepEqual(dates(inJuly), ['2026-07-31 08:00']);
  assert.equal(inJuly[0]!.key, `${first.id}@2026-08-01`);
  assert.deepEqual(planOccurrences(first, earlier, vn(2026, 8, 1), vn(2026, 8, 31)), []);
});

test('across the year end, with the month read on the clock of Hà Nội, and in a leap February', () => {
  // 00:30 on 1 January in Hà Nội is still 31 December in UTC.
  const [january] = planOccurrences(sinhHoat, earlier, vn(2026, 1, 1, 0, 30), vn(2026, 2, 1));
  assert.equal(january?.start, vn(2026, 1, 15, 14));
  assert.equal(january?.title, 'Sinh hoạt chuyên môn tháng 1/2026');
  const lastDay = plan({ timing: { type: 'recurring', months: [2], days: [31], startTime: '16:00', durationMinutes: 60 } });
  // 29 February 2024 is a Thursday.
  assert.deepEqual(dates(planOccurrences(lastDay, earlier, vn(2024, 1, 1), vn(2024, 12, 31))), ['2024-02-29 16:00']);
});

test('from and until bound the rule dates, both inclusive', () => {
  const bounded = plan({
    timing: {
      type: 'recurring',
      months: 'every',
      days: [15],
      startTime: '14:00',
      durationMinutes: 120,
      from: '2026-09-15',
      until: '2026-11-14',
    },
  });
  const list = planOccurrences(bounded, later, vn(2026, 1, 1), vn(2027, 1, 1));
  // 15 September, 15 October; 15 November is past `until` (and would have moved to the 16th, a Sunday the 15th).
  assert.deepEqual(
    list.map((o) => o.key),
    [`${bounded.id}@2026-09-15`, `${bounded.id}@2026-10-15`],
  );
});

test('a day past the end of a month falls on its last day, once', () => {
  const monthEnd = plan({ timing: { type: 'recurring', months: [2, 4], days: [30, 31], startTime: '08:00', durationMinutes: 60 } });
  const list = planOccurrences(monthEnd, later, vn(2026, 1, 1), vn(2026, 12, 31));
  // 28 February 2026 is a Saturday (moved to Monday 2 March); 30 April a Thursday.
  assert.deepEqual(
    list.map((o) => o.key),
    [`${monthEnd.id}@2026-02-28`, `${monthEnd.id}@2026-04-30`],
  );
  assert.deepEqual(dates(list), ['2026-03-02 08:00', '2026-04-30 08:00']);
});

test('occurrences of several plans overlap [from, to), in order of start; a running meeting counts', () => {
  // From 09:00 on 10 July 2026, while the tập huấn runs; 25 July and 15 August 2026 are Saturdays, held the Friday before.
  const all = occurrencesOf([giaoBan, sinhHoat, tapHuan], earlier, vn(2026, 7, 10, 9), vn(2026, 8, 16));
  assert.deepEqual(
    all.map((o) => o.kind),
    ['tap-huan', 'sinh-hoat-chuyen-mon', 'giao-ban', 'tap-huan', 'sinh-hoat-chuyen-mon'],
  );
  assert.deepEqual(dates(all), ['2026-07-10 08:00', '2026-07-15 14:00', '2026-07-24 08:00', '2026-08-10 08:00', '2026-08-14 14:00']);
  assert.equal(all[4]!.key, `${sinhHoat.id}@2026-08-15`);
});

test('a one-off plan has one occurrence, keyed @once, titled with its month', () => {
  const once = plan({
    kind: 'hop',
    title: 'Họp triển khai {month}/{year}',
    timing: { type: 'once', start: vn(2026, 11, 3, 9), end: vn(2026, 11, 3, 11) },
  });
  assert.deepEqual(planOccurrences(once, earlier, vn(2026, 11, 3, 11), vn(2026, 11, 4)), []);
  const [o] = planOccurrences(once, earlier, vn(2026, 11, 3, 10), vn(2026, 11, 3, 10, 1));
  assert.equal(o!.key, `${once.id}@once`);
  assert.equal(o!.title, 'Họp triển khai 11/2026');
  assert.equal(occurrenceByKey(once, earlier, `${once.id}@once`)?.start, vn(2026, 11, 3, 9));
});

test('an occurrence is found again by its key, moved or not; a date the rule does not give is none', () => {
  const moved = occurrenceByKey(giaoBan, earlier, `${giaoBan.id}@2026-10-25`);
  assert.equal(moved?.start, vn(2026, 10, 23, 8));
  assert.equal(moved?.movedFrom, vn(2026, 10, 25, 8));
  assert.equal(occurrenceByKey(giaoBan, earlier, `${giaoBan.id}@2026-10-24`), null);
  assert.equal(occurrenceByKey(tapHuan, earlier, `${tapHuan.id}@2026-09-10`), null, 'no tập huấn in September');
  assert.equal(occurrenceByKey(giaoBan, earlier, `${giaoBan.id}@2026-02-30`), null);
  assert.equal(occurrenceByKey(giaoBan, earlier, `${giaoBan.id + 1}@2026-10-25`), null, 'another plan');
  assert.equal(occurrenceByKey(giaoBan, earlier, 'nonsense'), null);
});

test('a holiday list with no working day near refuses with the date named', () => {
  // Every day of January and February 2027 a holiday.
  const holidays = [1, 2].flatMap((month) =>
    Array.from({ length: month === 1 ? 31 : 28 }, (_, i) => ({ date: `2027-0${month}-${String(i + 1).padStart(2, '0')}`, name: 'x' })),
  );
  assert.throws(
    () => workingDay({ year: 2027, month: 1, day: 25 }, { shift: 'later', holidays }),
    /no working day within 31 days after 2027-01-25/,
  );
});

test("the schedule file's regular meetings seed three plans inviting every centre, within 40 attendees each", async () => {
  const schedule = parseSchedule(await readFile(new URL('../../shared/data/schedule.json', import.meta.url), 'utf8'));
  const registry = await loadRegistry();
  const seeded = seedPlans(schedule, registry.sites);
  assert.deepEqual(
    seeded.map((p) => [p.kind, p.timing.type === 'recurring' ? [p.timing.months, p.timing.days, p.timing.startTime] : null]),
    [
      ['giao-ban', ['every', [25], '08:00']],
      ['sinh-hoat-chuyen-mon', ['every', [15], '14:00']],
      ['tap-huan', [[7, 8], [10], '08:00']],
    ],
  );
  const centres = registry.sites.filter((s) => s.role === 'site').map((s) => s.id);
  for (const p of seeded) {
    assert.deepEqual(p.invitedSites, centres);
    assert.equal(p.chair, 'Lãnh đạo Sở');
    const sites = new Map(registry.sites.map((s) => [s.id, s]));
    assert.equal(planProblem(p, sites), null);
  }
});

test('a plan is checked against the registry: unknown sites, attendees of a site not invited, more than 40 named by the site, end after start', () => {
  const sites = new Map([
    ['da-bac', { id: 'da-bac', shortName: 'Đà Bắc' }],
    ['mai-chau', { id: 'mai-chau', shortName: 'Mai Châu' }],
  ]);
  const base: PlanInput = {
    kind: 'hop',
    title: 'Họp',
    content: '',
    chair: 'Lãnh đạo Sở',
    invitedSites: ['da-bac'],
    attendees: { 'da-bac': 40 },
    officialLetter: '',
    timing: { type: 'once', start: 2000, end: 3000 },
  };
  assert.equal(planProblem(base, sites), null, '40 is allowed');
  assert.deepEqual(planProblem({ ...base, attendees: { 'da-bac': 45 } }, sites), {
    field: 'attendees.da-bac',
    message: 'Đà Bắc: 45 người dự vượt quá 40 người mỗi điểm cầu (Điều 2.3, 4.3)',
  });
  assert.deepEqual(planProblem({ ...base, invitedSites: ['da-bac', 'atlantis'] }, sites), {
    field: 'invitedSites[1]',
    message: 'unknown site "atlantis"',
  });
  assert.equal(planProblem({ ...base, attendees: { 'mai-chau': 5 } }, sites)?.field, 'attendees.mai-chau');
  assert.match(planProblem({ ...base, attendees: { 'mai-chau': 5 } }, sites)!.message, /Mai Châu is not invited/);
  assert.deepEqual(planProblem({ ...base, timing: { type: 'once', start: 3000, end: 3000 } }, sites), {
    field: 'timing.end',
    message: 'must be after the start',
  });
});
