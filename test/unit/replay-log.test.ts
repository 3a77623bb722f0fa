// The replay log (noc.db): the meetings and the SFU nodes' states as the NOC
// saw them change, read back at any moment; only changes written; rows older
// than the raw samples' 14 days removed, but the newest before that edge kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HealthReport } from '@noc/shared/health';
import type { MeetingRecord } from '@noc/shared/meeting';
import { openStateDb } from '../../dashboard/server/auth/state-db.ts';
import { REPLAY_LOG_RETENTION_MS, ReplayLog } from '../../dashboard/server/replay/replay-log.ts';
import { upHealth } from '../fixtures/incident-engine.ts';

const meeting = (id: string, floor: string | null) =>
  ({ id, title: `Giao ban ${id}`, floor, invitedSites: ['da-bac'] }) as unknown as MeetingRecord;
const rows = (db: ReturnType<typeof openStateDb>) =>
  (db.prepare('SELECT kind, at FROM replay_log ORDER BY id').all() as { kind: string; at: number }[]).map((r) => `${r.kind}@${r.at}`);

test('meetings: each change is kept, a moment reads the newest list at or before it', () => {
  const db = openStateDb(':memory:');
  const log = new ReplayLog(db);
  const t = 1_800_000_000_000;
  assert.deepEqual(log.meetingsAt(t), { since: null, meetings: [] }, 'nothing recorded yet');
  log.meetingsChanged([meeting('a', null)], t);
  log.meetingsChanged([meeting('a', null)], t + 1000);
  log.meetingsChanged([meeting('a', 'da-bac')], t + 2000);
  log.meetingsChanged([], t + 5000);
  assert.deepEqual(rows(db), [`meetings@${t}`, `meetings@${t + 2000}`, `meetings@${t + 5000}`], 'an unchanged list is not written again');
  assert.deepEqual(log.meetingsAt(t - 1), { since: null, meetings: [] });
  assert.deepEqual(log.meetingsAt(t + 1500), { since: t, meetings: [meeting('a', null)] });
  assert.equal(log.meetingsAt(t + 4999).meetings[0]!.floor, 'da-bac', 'who had the floor then');
  assert.deepEqual(log.meetingsAt(t + 60_000), { since: t + 5000, meetings: [] }, 'the meeting ended');
  // A new log over the same database (a restarted server) knows the last list written.
  new ReplayLog(db).meetingsChanged([], t + 70_000);
  assert.equal(rows(db).length, 3);
  db.close();
});

test("topology: the SFU nodes' and the store's states, written when they change (not each check)", () => {
  const db = openStateDb(':memory:');
  const log = new ReplayLog(db);
  const t = 1_800_000_000_000;
  log.healthChecked(upHealth(t), t);
  log.healthChecked(upHealth(t + 3000), t + 3000);
  log.healthChecked(upHealth(t + 6000, 'down'), t + 6000);
  assert.deepEqual(rows(db), [`topology@${t}`, `topology@${t + 6000}`]);
  assert.equal(log.topologyAt(t - 1), null);
  assert.deepEqual(log.topologyAt(t + 5999), { since: t, sfu: { state: 'up' }, sfuBackup: { state: 'up' }, store: { state: 'up' } });
  const down: HealthReport = upHealth(t + 6000, 'down');
  assert.equal(log.topologyAt(t + 6000)!.sfu.state, down.components.sfu.state);
  db.close();
});

test('rows older than 14 days go, but the newest of each kind before the edge stays', () => {
  const db = openStateDb(':memory:');
  const log = new ReplayLog(db);
  const now = 1_800_000_000_000;
  const day = 86_400_000;
  log.meetingsChanged([meeting('old', null)], now - 20 * day);
  log.meetingsChanged([meeting('edge', null)], now - 16 * day);
  log.healthChecked(upHealth(now - 18 * day), now - 18 * day);
  log.meetingsChanged([meeting('recent', null)], now - day);
  log.prune(now);
  assert.deepEqual(rows(db), [`meetings@${now - 16 * day}`, `topology@${now - 18 * day}`, `meetings@${now - day}`]);
  assert.equal(log.meetingsAt(now - REPLAY_LOG_RETENTION_MS).meetings[0]!.id, 'edge', 'the state at the edge is still known');
  assert.deepEqual(log.meetingsAt(now - 19 * day), { since: null, meetings: [] }, 'before it: nothing kept');
  db.close();
});
