// The verdict of a capacity test: every threshold checked against the run's
// summary, the seats that did not join, and the ceiling the measured curve points to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LOAD_TEST_THRESHOLDS, loadTestSettingsSchema, thresholdsOf, type LoadTestSummary } from '@noc/shared/load-test';
import { extrapolateCeiling, judgeLoadTest } from '@noc/shared/load-test-verdict';

const good: LoadTestSummary = {
  seatsWanted: 480,
  seatsJoined: 480,
  joinP95Ms: 900,
  signallingErrorPct: 0,
  receiverLossPct: 0.2,
  workerCpuPct: 55,
  workers: [],
  consumers: 960,
  browserFpsMin: 24,
  firstPictureMs: 1800,
  freezeMaxMs: 0,
  audioJitterMs: 4,
  generatorCpuPct: 80,
};
// 10 % of a core plus 10 % per 100 consumers per worker.
const curve = [120, 240, 480].map((perWorker) => ({ consumers: perWorker * 2, cpuPct: 10 + perWorker / 10, lossPct: 0 }));

test('a run within every threshold holds, and every check is listed with its figure and limit', () => {
  const v = judgeLoadTest(good, DEFAULT_LOAD_TEST_THRESHOLDS, curve, { browsers: 1, workers: 2 });
  assert.equal(v.holds, true);
  assert.deepEqual(
    v.checks.map((c) => [c.name, c.op, c.limit, c.ok]),
    [
      ['seatsJoined', '>=', 480, true],
      ['joinP95Ms', '<=', 2000, true],
      ['signallingErrorPct', '<=', 1, true],
      ['receiverLossPct', '<=', 1, true],
      ['workerCpuPct', '<=', 70, true],
      ['browserFpsMin', '>=', 15, true],
      ['freezeMaxMs', '<=', 1000, true],
    ],
  );
});

test('the failed threshold is named; a limit equal to the figure passes', () => {
  const v = judgeLoadTest({ ...good, joinP95Ms: 2000, workerCpuPct: 70.5 }, DEFAULT_LOAD_TEST_THRESHOLDS, curve, {
    browsers: 1,
    workers: 2,
  });
  assert.equal(v.holds, false);
  assert.deepEqual(
    v.checks.filter((c) => !c.ok).map((c) => c.name),
    ['workerCpuPct'],
  );
});

test('a figure nothing measured fails its check; browser checks only count when browsers took part', () => {
  const unmeasured = judgeLoadTest({ ...good, receiverLossPct: null }, DEFAULT_LOAD_TEST_THRESHOLDS, curve, { browsers: 1, workers: 2 });
  assert.deepEqual(
    unmeasured.checks.filter((c) => !c.ok).map((c) => c.name),
    ['receiverLossPct'],
  );
  const noBrowser = judgeLoadTest({ ...good, browserFpsMin: null, freezeMaxMs: null }, DEFAULT_LOAD_TEST_THRESHOLDS, curve, {
    browsers: 0,
    workers: 2,
  });
  assert.equal(noBrowser.holds, true);
  assert.ok(!noBrowser.checks.some((c) => c.name === 'browserFpsMin' || c.name === 'freezeMaxMs'));
});

test('seats that did not join make the run fail even when every figure is good', () => {
  const v = judgeLoadTest({ ...good, seatsJoined: 470 }, DEFAULT_LOAD_TEST_THRESHOLDS, curve, { browsers: 1, workers: 2 });
  assert.equal(v.holds, false);
  assert.deepEqual(
    v.checks.filter((c) => !c.ok).map((c) => [c.name, c.value, c.limit]),
    [['seatsJoined', 470, 480]],
  );
});

test('the ceiling: where the fitted line reaches the CPU threshold, per worker and in seats', () => {
  // 10 + x/10 = 70 at x = 600 consumers per worker; two workers carry 1200 consumers, 600 seats.
  assert.equal(extrapolateCeiling(curve, 2, 70), 600);
  const v = judgeLoadTest(good, DEFAULT_LOAD_TEST_THRESHOLDS, curve, { browsers: 0, workers: 2 });
  assert.equal(v.ceilingConsumersPerWorker, 600);
  assert.equal(v.ceilingSeats, 600);
  // No rise, or a single load: no ceiling claimed.
  assert.equal(extrapolateCeiling([{ consumers: 100, cpuPct: 20, lossPct: 0 }], 1, 70), null);
  assert.equal(
    extrapolateCeiling(
      [
        { consumers: 100, cpuPct: 20, lossPct: 0 },
        { consumers: 200, cpuPct: 19, lossPct: 0 },
      ],
      1,
      70,
    ),
    null,
  );
});

test('settings: defaults filled in, the limits of the regulation and of a run refused with the field', () => {
  const s = loadTestSettingsSchema.parse({ sites: ['da-bac'], seats: 40, durationS: 300 });
  assert.deepEqual([s.scenario, s.browsers, s.walls, s.force], ['capacity', 1, 3, false]);
  assert.equal(thresholdsOf({ thresholds: { joinP95Ms: 3000 } }).joinP95Ms, 3000);
  assert.equal(thresholdsOf(s).workerCpuPct, 70);
  const valid: Record<string, unknown> = { sites: ['da-bac'], seats: 40, durationS: 300 };
  for (const [bad, field] of [
    [{ seats: 41 }, 'seats'],
    [{ durationS: -5 }, 'durationS'],
    [{ durationS: 7200 }, 'durationS'],
    [{ sites: ['Da Bac'] }, 'sites'],
    [{ sites: ['da-bac', 'da-bac'] }, 'sites'],
    [{ browsers: 5 }, 'browsers'],
  ] as const) {
    const r = loadTestSettingsSchema.safeParse({ ...valid, ...bad });
    assert.equal(r.success, false, JSON.stringify(bad));
    assert.equal(String(r.error!.issues[0]!.path[0]), field);
  }
});
