// The capacity-test runner against a real SFU node and NOC server: a run of
// 2 sites × 5 seats with a Chromium endpoint evaluates every check and writes
// its report; an impossible threshold makes the run fail that check; a run
// stopped halfway leaves no process, meeting or transport behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOAD_TEST_CHECKS, loadTestSettingsSchema, type LoadTestFigures, type LoadTestSettingsInput } from '@noc/shared/load-test';
import { loadRegistry } from '@noc/shared/sites-loader';
import { waitFor } from '@noc/shared/wait';
import { startLoadTestRun } from '@noc/loadtest/runner/load-test-run';
import type { LoadTestEnvironment } from '@noc/loadtest/runner/run-contract';
import { commandLine, processesMatching, processesWithEnvironment, readProc } from '@noc/loadtest/runner/proc-stat';
import { PLAN_ENV } from '@noc/loadtest/plan';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let noc: NocFixture;
let sfu: SfuFixture;
let secret: Buffer;
const dirs: { remove(): Promise<void> }[] = [];

const builtApp = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  // The NOC server names the SFU node to the room page the Chromium endpoint opens.
  const sfuPort = await freePort();
  noc = await startTestNocServer({ sfuUrl: `http://127.0.0.1:${sfuPort}` });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile, nocUrl: noc.url });
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

/**
 * Processes of this run's load generator still alive. Other jobs on the
 * machine may run Artillery, ffmpeg or Chromium of their own, so each is
 * found by what ties it to this run: Artillery and everything it starts
 * (Chromium too) by the plan's path in its environment, ffmpeg as a child of
 * this process (the runner starts the publishers in it), and anything with
 * the run's folder on its command line.
 */
function generatorProcesses(workDir: string): {
  'the run': number[];
  artillery: number[];
  chromium: number[];
  ffmpeg: number[];
  other: number[];
} {
  const ofRun = processesWithEnvironment(PLAN_ENV, workDir);
  return {
    'the run': processesMatching(workDir),
    artillery: ofRun.filter((pid) => commandLine(pid).includes('artillery')),
    chromium: ofRun.filter((pid) => commandLine(pid).includes('chrom')),
    ffmpeg: processesMatching('ffmpeg').filter((pid) => readProc(pid)?.ppid === process.pid),
    other: ofRun.filter((pid) => !/artillery|chrom/.test(commandLine(pid))),
  };
}

test('a capacity run of 2 sites × 5 seats with a Chromium endpoint evaluates every check and writes its report', async () => {
  const env = await environment();
  const figures: LoadTestFigures[] = [];
  const handle = startLoadTestRun(1, settings({ browsers: 1 }), env, { onFigures: (f) => figures.push(f) });
  const outcome = await handle.done;
  assert.equal(outcome.stoppedEarly, null);
  assert.equal(outcome.summary.seatsWanted, 10);
  assert.equal(outcome.summary.seatsJoined, 10, JSON.stringify(outcome.summary));
  assert.deepEqual(outcome.verdict.checks.map((c) => c.name).sort(), [...LOAD_TEST_CHECKS].sort());
  for (const check of outcome.verdict.checks) assert.notEqual(check.value, null, `${check.name} was not measured`);
  assert.ok(outcome.verdict.checks.find((c) => c.name === 'seatsJoined')!.ok);
  assert.ok(outcome.summary.joinP95Ms! > 0);
  // The seats received media: packets were expected at their sinks, and the SFU carried their consumers.
  assert.ok(outcome.summary.receiverLossPct! < 100, JSON.stringify(outcome.summary));
  assert.ok(outcome.summary.consumers >= 10, JSON.stringify(outcome.summary));
  assert.ok(outcome.summary.firstPictureMs! > 0 && outcome.summary.browserFpsMin! >= 0, JSON.stringify(outcome.summary));
  assert.ok(outcome.curve.length >= 5 && outcome.curve.some((p) => p.consumers > 0), JSON.stringify(outcome.curve));
  assert.ok(figures.length >= 10, `${figures.length} figures in 30 s`);
  assert.ok(figures.some((f) => f.generatorCpuPct !== null && f.generatorCpuPct > 0));
  assert.equal(outcome.reportFile, join(env.workDir, 'report.json'));
  const report = JSON.parse(await readFile(outcome.reportFile, 'utf8')) as { summary: unknown; verdict: unknown };
  assert.deepEqual(report.summary, outcome.summary);
  assert.deepEqual(report.verdict, outcome.verdict);
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
  const handle = startLoadTestRun(3, settings({ durationS: 30, browsers: 1 }), env, {
    onFigures: (f) => {
      if (f.seatsJoined > 0) first();
    },
  });
  await running;
  // While it runs, the same search finds its processes: the check after the stop can fail.
  const during = generatorProcesses(env.workDir);
  assert.ok(during.artillery.length > 0 && during.chromium.length > 0 && during.ffmpeg.length > 0, JSON.stringify(during));
  const started = Date.now();
  await handle.stop('stopped by the test');
  const outcome = await handle.done;
  assert.ok(Date.now() - started < 15_000, `stop() took ${Date.now() - started} ms`);
  assert.equal(outcome.stoppedEarly, 'stopped by the test');
  assert.deepEqual(generatorProcesses(env.workDir), { 'the run': [], artillery: [], chromium: [], ffmpeg: [], other: [] });
  const meetings = await sfu.status('meetings');
  assert.deepEqual(meetings.carried, []);
  // GET /workers is fresh within about 2 s: the closed meeting's transports and consumers are gone by then.
  const workers = await waitFor(
    'the SFU workers to carry no transport or consumer',
    async () => {
      const answer = (await sfu.status('workers')).workers;
      return answer.length > 0 && answer.every((w) => w.transports === 0 && w.consumers === 0) && answer;
    },
    { timeoutMs: 5000, intervalMs: 250 },
  ).catch(async (err: Error) => {
    throw new Error(`${err.message}: ${JSON.stringify((await sfu.status('workers')).workers)}`);
  });
  assert.ok(workers.length > 0);
});
