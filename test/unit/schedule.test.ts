// The regular-meetings file of Điều 7 (giao ban on the 25th, sinh hoạt chuyên
// môn on the 15th, tập huấn in July and August), the meeting plans' first seed;
// Vietnam's time (UTC+7); the errors a bad file gets. Its occurrences are the
// plans' (plan-occurrences.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseSchedule, ScheduleError } from '@noc/shared/schedule';
import { zonedTime } from '@noc/shared/zoned-time';

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
