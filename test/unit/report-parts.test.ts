// The reports' pure parts: CSV cells quoted as RFC 4180 says, with a BOM and
// CRLF; the SFU meeting that carried a planned occurrence; the year's bounds
// on the plans' clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heldMeetingOf } from '../../dashboard/server/reports/held-meeting.ts';
import type { HeldMeeting } from '../../dashboard/server/reports/meeting-history.ts';
import { toCsv } from '../../dashboard/server/reports/report-csv.ts';
import { yearBounds } from '../../dashboard/server/reports/yearly-report.ts';

test('CSV: a BOM, CRLF line ends, fields with a comma, a quote or a line break quoted, an empty field for nothing', () => {
  const csv = toCsv([
    ['Điểm cầu', 'ghi chú', 'số'],
    ['Sở GD&ĐT', 'a, b', 1.5],
    ['Đà Bắc', 'nói "có"\nrồi', null],
  ]);
  assert.equal(csv, '\uFEFFĐiểm cầu,ghi chú,số\r\nSở GD&ĐT,"a, b",1.5\r\nĐà Bắc,"nói ""có""\nrồi",\r\n');
});

const carried = (id: string, startedAt: number, endedAt: number | null, invitedSites: string[]): HeldMeeting => ({
  id,
  kind: 'giao-ban',
  title: id,
  invitedSites,
  startedAt,
  endedAt,
  loadTest: false,
});

test('the meeting that carried an occurrence: one of its sites, the longest overlap; none when no site is shared or nothing overlaps', () => {
  const o = { start: 1000, end: 2000, invitedSites: ['da-bac', 'mai-chau'] };
  const short = carried('short', 1900, 2500, ['da-bac']);
  const long = carried('long', 900, 1500, ['mai-chau']);
  const other = carried('other', 0, 5000, ['lac-son']);
  assert.equal(heldMeetingOf(o, [short, long, other])?.id, 'long');
  assert.equal(heldMeetingOf(o, [other]), null);
  assert.equal(heldMeetingOf(o, [carried('after', 2000, 3000, ['da-bac'])]), null, 'touching the end is no overlap');
  assert.equal(heldMeetingOf(o, [carried('running', 1500, null, ['da-bac'])])?.id, 'running');
});

test("a year's bounds are midnight of 1 January on the plans' clock", () => {
  const { from, to } = yearBounds('Asia/Ho_Chi_Minh', 2026);
  assert.equal(new Date(from).toISOString(), '2025-12-31T17:00:00.000Z');
  assert.equal(new Date(to).toISOString(), '2026-12-31T17:00:00.000Z');
});

test('the history of the SFU meetings: a meeting starts when first carried and ends when a list no longer has it; capacity tests are not meetings held', async () => {
  const { openStateDb } = await import('../../dashboard/server/auth/state-db.ts');
  const { MeetingHistory } = await import('../../dashboard/server/reports/meeting-history.ts');
  const db = openStateDb(':memory:');
  try {
    const history = new MeetingHistory(db);
    const record = (id: string, createdAt: number, loadTest = false) => ({
      id,
      kind: 'giao-ban' as const,
      title: id,
      invitedSites: ['da-bac'],
      floor: null,
      queue: [],
      layout: { featuredSite: null, grid: 4 as const, followSpeaker: true },
      createdAt,
      loadTest,
      activeOn: 'main' as const,
    });
    history.carried([record('a', 1000), record('test', 1000, true)], 1500);
    history.carried([record('a', 1000)], 2000);
    assert.deepEqual(
      history.overlapping(0, 10_000).map((m) => [m.id, m.startedAt, m.endedAt]),
      [['a', 1000, null]],
    );
    history.carried([], 3000);
    assert.equal(history.get('a')?.endedAt, 3000);
    assert.equal(history.get('test')?.endedAt, 2000, 'the capacity test left the list at 2000');
    assert.deepEqual(history.overlapping(3000, 4000), [], 'ended before the window');
    history.carried([record('a', 1000)], 3500);
    assert.equal(history.get('a')?.endedAt, null, 'carried again after a restart: it runs on');
  } finally {
    db.close();
  }
});
