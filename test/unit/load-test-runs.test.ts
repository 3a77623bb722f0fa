// Capacity-test runs on the NOC server: their records in the state database
// (a run left running by a stopped server is failed, with the reason), their
// figures as `loadtest` points, which run counts before the next tập huấn, and
// the incident a run that does not hold raises there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LOAD_TEST_THRESHOLDS, loadTestSettingsSchema, type LoadTestFigures, type LoadTestRun } from '@noc/shared/load-test';
import { judgeLoadTest } from '@noc/shared/load-test-verdict';
import type { MeetingPlan } from '@noc/shared/meeting-plans';
import { planOccurrences } from '@noc/shared/plan-occurrences';
import { NOC_TIME_ZONE, wallClock } from '@noc/shared/zoned-time';
import { openStateDb } from '../../dashboard/server/auth/state-db.ts';
import { INTERRUPTED_REASON, LoadTestStore } from '../../dashboard/server/load-tests/load-test-store.ts';
import { loadTestPoint } from '../../dashboard/server/load-tests/load-test-points.ts';
import { trainingReadiness, type PlannedBetween } from '../../dashboard/server/load-tests/training-readiness.ts';
import { checkPoints } from '../../dashboard/server/store/store.ts';
import { engineBench } from '../fixtures/incident-engine.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const DAY = 24 * 3600_000;
const settings = loadTestSettingsSchema.parse({ sites: ['da-bac'], seats: 4, durationS: 15, browsers: 0 });

function figures(t: number, over: Partial<LoadTestFigures> = {}): LoadTestFigures {
  return {
    t,
    seatsWanted: 4,
    seatsJoined: 3,
    joinP95Ms: 640.456,
    signallingRequests: 20,
    signallingErrors: 0,
    workers: [
      { worker: 'main/11', cpuPct: 12.5, consumers: 4 },
      { worker: 'main/12', cpuPct: 30.25, consumers: 4 },
    ],
    consumers: 8,
    receiverLossPct: 0.2,
    browserFps: null,
    firstPictureMs: null,
    freezeMaxMs: null,
    audioJitterMs: null,
    generatorCpuPct: 40,
    ...over,
  };
}

/** Ends a run as the runner would: holding or not (a join p95 over or under the threshold). */
function endRun(store: LoadTestStore, run: LoadTestRun, at: number, holds: boolean): LoadTestRun {
  const summary = {
    seatsWanted: 4,
    seatsJoined: 4,
    joinP95Ms: holds ? 500 : 5000,
    signallingErrorPct: 0,
    receiverLossPct: 0,
    workerCpuPct: 20,
    workers: [],
    consumers: 8,
    browserFpsMin: null,
    firstPictureMs: null,
    freezeMaxMs: null,
    audioJitterMs: null,
    generatorCpuPct: 30,
  };
  const verdict = judgeLoadTest(summary, DEFAULT_LOAD_TEST_THRESHOLDS, [], { browsers: 0, workers: 1 });
  assert.equal(verdict.holds, holds);
  return store.end(run.id, { status: 'finished', endedAt: at, reason: null, summary, curve: [], verdict })!;
}

/** Plans whose only tập huấn is at 08:00 on the NOC's day of `at` (a weekend moves it to the Friday before). */
function trainingOn(at: number): PlannedBetween {
  const c = wallClock(NOC_TIME_ZONE, at);
  const plan: MeetingPlan = {
    id: 1,
    kind: 'tap-huan',
    title: 'Tập huấn trực tuyến hè {year}',
    content: '',
    chair: 'Lãnh đạo Sở',
    invitedSites: ['da-bac'],
    attendees: {},
    officialLetter: '',
    timing: { type: 'recurring', months: [c.month], days: [c.day], startTime: '08:00', durationMinutes: 240 },
    seeded: false,
    createdBy: 'test',
    createdAt: 0,
    updatedAt: 0,
  };
  return (from, to) => planOccurrences(plan, { shift: 'earlier', holidays: [], timeZone: NOC_TIME_ZONE }, from, to);
}

test('a run is recorded with its settings and figures; one left running by a stopped server is failed with the reason', async () => {
  const dir = await tempDir('load-test-store');
  try {
    const file = `${dir.path}/noc.db`;
    let db = openStateDb(file);
    const store = new LoadTestStore(db);
    const first = store.create(settings, 'dieuhanh', 1000);
    assert.equal(first.status, 'running');
    assert.deepEqual(first.settings, settings);
    store.addFigures(first.id, figures(2000));
    store.addFigures(first.id, figures(4000, { seatsJoined: 4 }));
    assert.deepEqual(
      store.figures(first.id).map((f) => [f.t, f.seatsJoined]),
      [
        [2000, 3],
        [4000, 4],
      ],
    );
    const ended = endRun(store, first, 5000, true);
    assert.equal(ended.status, 'finished');
    assert.equal(ended.verdict?.holds, true);
    const second = store.create(settings, 'admin', 6000);
    assert.deepEqual(
      store.list().map((r) => r.id),
      [second.id, first.id],
    );
    db.close();

    db = openStateDb(file);
    const reopened = new LoadTestStore(db, 9000);
    const after = reopened.get(second.id)!;
    assert.equal(after.status, 'failed');
    assert.equal(after.reason, INTERRUPTED_REASON);
    assert.equal(after.endedAt, 9000);
    assert.equal(reopened.get(first.id)!.status, 'finished', 'a run that had ended keeps its record');
    db.close();
  } finally {
    await dir.remove();
  }
});

test('figures become one loadtest point: the run id a field, the scenario a tag, unmeasured figures left out', () => {
  const p = loadTestPoint(7, settings, figures(1_700_000_000_000));
  assert.equal(p.measurement, 'loadtest');
  assert.deepEqual(p.tags, { scenario: 'capacity' });
  assert.equal(p.time, 1_700_000_000_000);
  assert.equal(p.fields.run_id, 7);
  assert.equal(p.fields.cpu_max_pct, 30.25);
  assert.equal(p.fields.join_p95_ms, 640.46);
  assert.equal(p.fields.seats_joined, 3);
  assert.equal('browser_fps' in p.fields, false);
  assert.equal('first_picture_ms' in p.fields, false);
  checkPoints([p]);
});

test('before a tập huấn, the latest finished or failed run of the last 14 days counts; a stopped one does not', () => {
  const db = openStateDb(':memory:');
  const store = new LoadTestStore(db);
  const now = Date.UTC(2027, 6, 1, 3, 0, 0);
  const ended = (from: number, to: number) => store.endedBetween(from, to);
  const soon = trainingOn(now + 7 * DAY);
  assert.equal(trainingReadiness(trainingOn(now + 20 * DAY), ended, now, 14), null, 'no tập huấn within 14 days');
  assert.equal(trainingReadiness(soon, ended, now, 14)?.run, null);

  const old = endRun(store, store.create(settings, 'a', now - 30 * DAY), now - 30 * DAY, false);
  assert.equal(trainingReadiness(soon, ended, now, 14)?.run, null, `run #${old.id} ended before the 14 days`);
  const failing = endRun(store, store.create(settings, 'a', now - 2 * DAY), now - 2 * DAY, false);
  const stopped = store.create(settings, 'a', now - DAY);
  store.end(stopped.id, { status: 'stopped', endedAt: now - DAY, reason: 'stopped by admin' });
  const r = trainingReadiness(soon, ended, now, 14)!;
  assert.equal(r.run?.id, failing.id);
  assert.match(r.training.title, /Tập huấn trực tuyến hè 2027/);
  assert.match(r.date, /^\d\d\/\d\d\/2027$/);
  db.close();
});

test('a run that does not hold before a tập huấn opens "Kiểm tra tải không đạt" at the Sở; a later run that holds resolves it', async () => {
  const bench = await engineBench();
  const db = openStateDb(':memory:');
  const store = new LoadTestStore(db);
  try {
    const planned = trainingOn(bench.now + 5 * DAY);
    bench.readiness = (now, days) => trainingReadiness(planned, (from, to) => store.endedBetween(from, to), now, days);
    bench.run(3);
    assert.equal(bench.incidents('loadTestFailed').length, 0, 'no run yet: nothing to say');

    const failing = endRun(store, store.create(settings, 'dieuhanh', bench.now - 60_000), bench.now, false);
    bench.run(2);
    const [incident] = bench.incidents('loadTestFailed');
    assert.ok(incident, 'the incident opened');
    assert.equal(incident.site, 'so-gddt');
    assert.equal(incident.severity, 'major');
    assert.equal(incident.state, 'open');
    assert.equal(incident.params.run, failing.id);
    assert.equal(incident.params.failed, 'joinP95Ms');
    assert.match(String(incident.params.training), /Tập huấn/);
    assert.ok(bench.notices.some((n) => n.event === 'opened' && n.incident.rule === 'loadTestFailed'));

    endRun(store, store.create(settings, 'dieuhanh', bench.now), bench.now + 1000, true);
    bench.run(3);
    assert.equal(bench.incidents('loadTestFailed')[0]!.state, 'resolved');
  } finally {
    db.close();
    await bench.close();
  }
});
