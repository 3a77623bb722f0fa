// The readiness checks in noc.db: each site's latest result per occurrence,
// replaced by a later check; the results of meetings not over yet; the runs,
// so the automatic run takes an occurrence once even across a restart (a run
// cut short by the stop is ended with the reason); the admin's settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SiteReadiness } from '@noc/shared/readiness';
import { openStateDb } from '../../dashboard/server/auth/state-db.ts';
import { notReadyBySite } from '../../dashboard/server/readiness/readiness.ts';
import { INTERRUPTED, ReadinessStore } from '../../dashboard/server/readiness/readiness-store.ts';
import { engineBench } from '../fixtures/incident-engine.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const NOW = Date.UTC(2026, 11, 24, 1, 0);
const HOUR = 3600_000;
const occurrence = { key: '3@2026-12-25', title: 'Họp giao ban tháng 12/2026', start: NOW + 25 * HOUR, end: NOW + 28 * HOUR };

const result = (site: string, state: SiteReadiness['state'], over: Partial<SiteReadiness> = {}): SiteReadiness => ({
  occurrence: occurrence.key,
  site,
  state,
  reasons: state === 'not-ready' ? [{ code: 'loss-high', params: { direction: 'send', value: 6.2, threshold: 1 } }] : [],
  checkedBy: 'tự động',
  checkedAt: NOW,
  testCall: null,
  checklist: null,
  shutdown: null,
  shutdownOverdue: false,
  ...over,
});

test('results: a later check replaces a site’s; reports read them by start, the rule those not over yet', async () => {
  const dir = await tempDir('readiness-store');
  try {
    const db = openStateDb(join(dir.path, 'noc.db'));
    const store = new ReadinessStore(db, NOW);
    store.save(occurrence, result('da-bac', 'ready'));
    store.save(occurrence, result('mai-chau', 'not-ready'));
    assert.deepEqual(
      store.forOccurrence(occurrence.key).map((r) => [r.site, r.state, r.reasons.length]),
      [
        ['da-bac', 'ready', 0],
        ['mai-chau', 'not-ready', 1],
      ],
    );
    store.save(occurrence, result('mai-chau', 'ready', { checkedBy: 'dieuhanh', checkedAt: NOW + 60_000 }));
    const [, again] = store.forOccurrence(occurrence.key);
    assert.equal(again!.state, 'ready');
    assert.equal(again!.checkedBy, 'dieuhanh');
    assert.equal(again!.title, occurrence.title);
    assert.equal(store.between(occurrence.start, occurrence.start + 1).length, 2);
    assert.equal(store.between(occurrence.start + 1, occurrence.end).length, 0);
    assert.equal(store.upcoming(occurrence.end - 1).length, 2);
    assert.equal(store.upcoming(occurrence.end).length, 0, 'a meeting that has ended is not upcoming');
    db.close();
  } finally {
    await dir.remove();
  }
});

test('runs: the automatic run takes an occurrence once, across a restart; a run cut short is ended with the reason', async () => {
  const dir = await tempDir('readiness-store');
  try {
    const file = join(dir.path, 'noc.db');
    let db = openStateDb(file);
    let store = new ReadinessStore(db, NOW);
    assert.equal(store.autoRunTaken(occurrence.key), false);
    const byHand = store.startRun(occurrence.key, false, 'dieuhanh', NOW);
    assert.equal(store.autoRunTaken(occurrence.key), false, 'a check by hand is not the automatic one');
    store.endRun(byHand.id, null, NOW + 1000);
    const auto = store.startRun(occurrence.key, true, 'tự động', NOW + 2000);
    assert.equal(store.autoRunTaken(occurrence.key), true);
    db.close();

    db = openStateDb(file);
    store = new ReadinessStore(db, NOW + 5000);
    assert.equal(store.autoRunTaken(occurrence.key), true, 'still taken after a restart');
    const last = store.lastRun(occurrence.key)!;
    assert.equal(last.id, auto.id);
    assert.equal(last.endedAt, NOW + 5000);
    assert.equal(last.error, INTERRUPTED);
    assert.equal(store.run(byHand.id)!.error, null, 'an ended run keeps its ending');
    db.close();
  } finally {
    await dir.remove();
  }
});

test('settings: the admin’s size wins over the default once set', async () => {
  const db = openStateDb(':memory:');
  const store = new ReadinessStore(db, NOW);
  assert.deepEqual(store.settings({ bigMeetingAttendees: 200 }), { bigMeetingAttendees: 200 });
  store.setSettings({ bigMeetingAttendees: 120 });
  assert.deepEqual(store.settings({ bigMeetingAttendees: 200 }), { bigMeetingAttendees: 120 });
  db.close();
});

test('the site-not-ready incident: opened for a site found not ready, resolved by a later check that finds it ready, and once the meeting is over', async () => {
  const bench = await engineBench(NOW);
  const db = openStateDb(':memory:');
  const store = new ReadinessStore(db, NOW);
  const second = { key: '4@once', title: 'Tập huấn chuyển đổi số', start: NOW + 2 * HOUR, end: NOW + 3 * HOUR };
  try {
    bench.notReady = (site, now) => {
      const hit = notReadyBySite(store.upcoming(now)).get(site);
      return hit && hit.endsAt > now ? hit : null;
    };
    bench.run(2);
    assert.deepEqual(bench.incidents('notReady'), [], 'nothing checked: nothing to say');

    store.save(occurrence, result('mai-chau', 'not-ready'));
    store.save(occurrence, result('da-bac', 'ready'));
    bench.run(2);
    const [opened] = bench.incidents('notReady');
    assert.ok(opened, 'the incident opened');
    assert.equal(opened.site, 'mai-chau');
    assert.equal(opened.severity, 'major');
    assert.equal(opened.params.meeting, occurrence.title);
    assert.equal(opened.params.date, '25/12/2026 09:00');
    assert.equal(opened.params.count, 1);
    assert.deepEqual(bench.incidents('notReady', 'da-bac'), []);

    store.save(occurrence, result('mai-chau', 'ready', { checkedAt: bench.now }));
    bench.run(2);
    assert.equal(bench.incidents('notReady', 'mai-chau')[0]!.state, 'resolved', 'a later check found it ready');

    // Not ready for a meeting that then takes place: resolved once it is over.
    store.save(second, { ...result('da-bac', 'not-ready'), occurrence: second.key });
    bench.run(2);
    assert.equal(bench.incidents('notReady', 'da-bac')[0]!.state, 'open');
    assert.equal(bench.incidents('notReady', 'da-bac')[0]!.params.meeting, second.title);
    bench.now = second.end - 1000;
    bench.run(2);
    assert.equal(bench.incidents('notReady', 'da-bac')[0]!.state, 'resolved', 'the meeting is over');
  } finally {
    db.close();
    await bench.close();
  }
});
