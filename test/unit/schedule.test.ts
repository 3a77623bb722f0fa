// The regular schedule of Điều 7 (giao ban on the 25th, sinh hoạt chuyên môn on
// the 15th, tập huấn in July and August), in Vietnam's time (UTC+7), and the
// errors a bad schedule file gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { nextMeeting, parseSchedule, scheduledNow, ScheduleError, zonedTime, type Schedule } from '@noc/shared/schedule';

const file = new URL('../../shared/data/schedule.json', import.meta.url);
const schedule = parseSchedule(await readFile(file, 'utf8'), 'schedule.json');

/** A wall-clock time in Hà Nội (UTC+7, no daylight saving) as ms since the epoch. */
const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h - 7, mi);

test('the default file holds the three regular meetings of Điều 7', () => {
  assert.equal(schedule.timeZone, 'Asia/Ho_Chi_Minh');
  assert.deepEqual(
    schedule.meetings.map((m) => [m.kind, m.months, m.days]),
    [
      ['giao-ban', 'every', [25]],
      ['sinh-hoat-chuyen-mon', 'every', [15]],
      ['tap-huan', [7, 8], [10]],
    ],
  );
});

test('wall-clock times are read in Asia/Ho_Chi_Minh', () => {
  assert.equal(zonedTime('Asia/Ho_Chi_Minh', 2025, 3, 15, 14, 0), vn(2025, 3, 15, 14, 0));
  // A zone with daylight saving, to show the conversion is not a fixed offset.
  assert.equal(zonedTime('Europe/Paris', 2025, 7, 1, 12, 0), Date.UTC(2025, 6, 1, 10, 0));
  assert.equal(zonedTime('Europe/Paris', 2025, 1, 1, 12, 0), Date.UTC(2025, 0, 1, 11, 0));
});

test('in early March the next meeting is sinh hoạt chuyên môn on the 15th, with its start and end', () => {
  const next = nextMeeting(schedule, vn(2025, 3, 3, 10));
  assert.deepEqual(next, {
    kind: 'sinh-hoat-chuyen-mon',
    title: 'Sinh hoạt chuyên môn tháng 3/2025',
    start: vn(2025, 3, 15, 14),
    end: vn(2025, 3, 15, 16),
  });
});

test('once today’s meeting has started, the next one is the following occurrence', () => {
  assert.equal(nextMeeting(schedule, vn(2025, 3, 15, 13, 59))?.start, vn(2025, 3, 15, 14), 'a minute before: today’s');
  const during = vn(2025, 3, 15, 14, 0);
  const next = nextMeeting(schedule, during);
  assert.equal(next?.kind, 'giao-ban');
  assert.equal(next?.start, vn(2025, 3, 25, 8));
  assert.equal(next?.title, 'Họp giao ban tháng 3/2025');
  assert.deepEqual(
    scheduledNow(schedule, vn(2025, 3, 15, 15, 30)).map((m) => m.kind),
    ['sinh-hoat-chuyen-mon'],
    'the running one is still known',
  );
  assert.deepEqual(scheduledNow(schedule, vn(2025, 3, 15, 16, 0)), [], 'ended at 16:00');
});

test('after the 25th the next meeting is in the next month, across the year end', () => {
  assert.deepEqual(
    [nextMeeting(schedule, vn(2025, 1, 31, 23, 59))?.start, nextMeeting(schedule, vn(2025, 1, 31, 23, 59))?.kind],
    [vn(2025, 2, 15, 14), 'sinh-hoat-chuyen-mon'],
  );
  const newYear = nextMeeting(schedule, vn(2025, 12, 25, 12));
  assert.equal(newYear?.start, vn(2026, 1, 15, 14));
  assert.equal(newYear?.title, 'Sinh hoạt chuyên môn tháng 1/2026');
  // 00:30 on 1 January in Hà Nội is still 31 December in UTC: the month is read in the schedule's zone.
  assert.equal(nextMeeting(schedule, vn(2026, 1, 1, 0, 30))?.start, vn(2026, 1, 15, 14));
});

test('tập huấn comes in July and August only', () => {
  const july = nextMeeting(schedule, vn(2025, 6, 26));
  assert.equal(july?.kind, 'tap-huan');
  assert.equal(july?.title, 'Tập huấn trực tuyến hè 2025');
  assert.deepEqual([july?.start, july?.end], [vn(2025, 7, 10, 8), vn(2025, 7, 10, 12)]);
  assert.equal(nextMeeting(schedule, vn(2025, 7, 10, 9))?.kind, 'sinh-hoat-chuyen-mon');
  assert.equal(nextMeeting(schedule, vn(2025, 7, 26))?.start, vn(2025, 8, 10, 8));
  const september = nextMeeting(schedule, vn(2025, 8, 26));
  assert.deepEqual([september?.kind, september?.start], ['sinh-hoat-chuyen-mon', vn(2025, 9, 15, 14)]);
});

test('a day past a month’s end falls on its last day', () => {
  const monthEnd: Schedule = {
    timeZone: 'Asia/Ho_Chi_Minh',
    meetings: [{ kind: 'hop', title: 'Họp cuối tháng {month}', months: 'every', days: [31], start: '16:00', durationMinutes: 60 }],
  };
  assert.equal(nextMeeting(monthEnd, vn(2024, 2, 1))?.start, vn(2024, 2, 29, 16), 'leap year');
  assert.equal(nextMeeting(monthEnd, vn(2025, 2, 1))?.start, vn(2025, 2, 28, 16));
  assert.equal(nextMeeting(monthEnd, vn(2025, 4, 1))?.start, vn(2025, 4, 30, 16));
  assert.equal(nextMeeting(monthEnd, vn(2025, 4, 30, 16, 1))?.start, vn(2025, 5, 31, 16));
});

function expectError(input: unknown, field: string, detail: RegExp): void {
  assert.throws(
    () => parseSchedule(input, 'schedule.json'),
    (err: unknown) => {
      assert.ok(err instanceof ScheduleError, `expected ScheduleError, got ${String(err)}`);
      assert.equal(err.field, field, err.message);
      assert.match(err.message, detail);
      assert.ok(err.message.startsWith('schedule.json: '), err.message);
      return true;
    },
  );
}

const rule = { kind: 'giao-ban', title: 'Giao ban', months: 'every', days: [25], start: '08:00', durationMinutes: 180 };
const withRule = (patch: Record<string, unknown>) => ({ timeZone: 'Asia/Ho_Chi_Minh', meetings: [rule, { ...rule, ...patch }] });

test('a bad schedule file is refused naming the field', () => {
  expectError('{ "timeZone": ', '', /invalid JSON/);
  expectError(withRule({ start: '8:00' }), 'meetings[1].start', /HH:MM/);
  expectError(withRule({ start: '24:00' }), 'meetings[1].start', /HH:MM/);
  expectError(withRule({ kind: 'party' }), 'meetings[1].kind', /giao-ban/);
  expectError(withRule({ months: [7, 13] }), 'meetings[1].months[1]', /month from 1 to 12/);
  expectError(withRule({ months: [7, 7] }), 'meetings[1].months', /repeat/);
  expectError(withRule({ days: [0] }), 'meetings[1].days[0]', /day from 1 to 31/);
  expectError(withRule({ days: [] }), 'meetings[1].days', /at least one day/);
  expectError(withRule({ durationMinutes: 0 }), 'meetings[1].durationMinutes', /at least 1 minute/);
  expectError(withRule({ durationMinutes: 'long' }), 'meetings[1].durationMinutes', /number/);
  expectError(withRule({ room: 'A1' }), 'meetings[1].room', /nrecognized/);
  expectError({ timeZone: 'Asia/Hanoi_City', meetings: [rule] }, 'timeZone', /IANA time zone/);
  expectError({ timeZone: 'Asia/Ho_Chi_Minh', meetings: [] }, 'meetings', /at least one meeting/);
});
