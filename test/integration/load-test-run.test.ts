// The capacity-test runner against a real SFU node and NOC server: a run of
// 2 sites × 5 seats with a Chromium endpoint evaluates every check and writes
// its report; an impossible threshold makes the run fail that check; a run
// stopped halfway leaves no process, meeting or transport behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOAD_TEST_CHECKS, loadTestSettingsSchema, type LoadTestFigures, type LoadTestSettingsInput } from '@noc/shared/load-test';
import { readSfuStatus } from '@noc/shared/sfu-status-api';
import { loadRegistry } from '@noc/shared/sites-loader';
import { startLoadTestRun } from '@noc/loadtest/runner/load-test-run';
import type { LoadTestEnvironment } from '@noc/loadtest/runner/run-contract';
import { processesMatching } from '@noc/loadtest/runner/proc-stat';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let noc: NocFixture;
let sfu: SfuFixture;
let secret: Buffer;
const dirs: { remove(): Promise<void> }[] = [];

before(async () => {
  noc = await startTestNocServer();
  sfu = await startSfu({ secretFile: noc.secretFile, nocUrl: noc.url });
  secret = Buffer.from((await readFile(noc.secretFile, 'utf8')).trim(), 'hex');
});
after(async () => {
  await sfu?.stop();
  await noc?.stop();
  for (const d of dirs) await d.remove();
});

async function environment(): Promise<LoadTestEnvironment> {
  const dir = await tempDir('load-test');
  dirs.push(dir);
  return {
    signallingUrl: sfu.signallingUrl,
    sfuStatusUrls: { main: sfu.url, backup: null },
    nocUrl: noc.url,
    secret,
    sites: (await loadRegistry()).sites,
    workDir: dir.path,
  };
}

function settings(input: Partial<LoadTestSettingsInput>) {
  return loadTestSettingsSchema.parse({ sites: ['cao-phong', 'da-bac'], seats: 5, durationS: 30, browsers: 0, walls: 0, ...input });
}

/** Processes of the load generator still alive, by command line. */
function generatorProcesses(workDir: string): Record<string, number[]> {
  return {
    'the run': processesMatching(workDir),
    artillery: processesMatching('artillery/bin/run'),
    ffmpeg: processesMatching('ffmpeg'),
    chromium: processesMatching('chromium'),
  };
}

test('a capacity run of 2 sites × 5 seats evaluates every check and writes its report', async () => {
  const env = await environment();
  const figures: LoadTestFigures[] = [];
  const handle = startLoadTestRun(1, settings({}), env, { onFigures: (f) => figures.push(f) });
  const outcome = await handle.done;
  assert.equal(outcome.stoppedEarly, null);
  assert.equal(outcome.summary.seatsWanted, 10);
  assert.equal(outcome.summary.seatsJoined, 10, JSON.stringify(outcome.summary));
  assert.deepEqual(
    outcome.verdict.checks.map((c) => c.name).sort(),
    LOAD_TEST_CHECKS.filter((n) => n !== 'browserFpsMin' && n !== 'freezeMaxMs').sort(),
  );
  const joined = outcome.verdict.checks.find((c) => c.name === 'seatsJoined')!;
  assert.ok(joined.ok);
  assert.ok(outcome.summary.joinP95Ms !== null && outcome.summary.joinP95Ms > 0);
  assert.ok(figures.length >= 10, `${figures.length} figures in 30 s`);
  assert.ok(figures.some((f) => f.workers.length > 0 && f.generatorCpuPct !== null));
  const report = JSON.parse(await readFile(outcome.reportFile, 'utf8')) as { summary: unknown; verdict: unknown };
  assert.deepEqual(report.summary, outcome.summary);
  assert.deepEqual(report.verdict, outcome.verdict);
  assert.equal(outcome.reportFile, join(env.workDir, 'report.json'));
});

test('an impossible threshold makes the run fail that check', async () => {
  const env = await environment();
  const outcome = await startLoadTestRun(
    2,
    settings({ sites: ['cao-phong'], seats: 2, durationS: 10, thresholds: { joinP95Ms: 0.001 } }),
    env,
    {
      onFigures: () => {},
    },
  ).done;
  assert.equal(outcome.verdict.holds, false);
  const check = outcome.verdict.checks.find((c) => c.name === 'joinP95Ms')!;
  assert.equal(check.limit, 0.001);
  assert.equal(check.ok, false);
  assert.equal(outcome.summary.seatsJoined, 2);
});

test('a run stopped halfway leaves no process, meeting or transport behind', async () => {
  const env = await environment();
  let first: () => void;
  const running = new Promise<void>((resolve) => (first = resolve));
  const handle = startLoadTestRun(3, settings({ durationS: 30 }), env, {
    onFigures: (f) => {
      if (f.seatsJoined > 0) first();
    },
  });
  await running;
  const started = Date.now();
  await handle.stop('stopped by the test');
  const outcome = await handle.done;
  assert.ok(Date.now() - started < 15_000, `stop() took ${Date.now() - started} ms`);
  assert.equal(outcome.stoppedEarly, 'stopped by the test');
  assert.deepEqual(generatorProcesses(env.workDir), { 'the run': [], artillery: [], ffmpeg: [], chromium: [] });
  const meetings = await readSfuStatus(sfu.url, 'meetings', 2000);
  assert.deepEqual(meetings.carried, []);
});
