// Scale benchmark (npm run bench:scale): how many sites one NOC server carries.
// N simulated sites post at 1 Hz (scale-load.ts, its own process) through the
// real ingest gateway, store (a private influxd), incident engine and live
// feed, with one wall client on the live feed (wall-feed-worker.ts, its own
// thread) measuring probe-to-wall latency. N steps up; each step runs a fresh
// NOC server whose site registry holds exactly those N sites (the 12 of
// shared/data/sites.json, then generated ones), on the same influxd. A step
// holds when the heartbeats' probe-to-wall p95 is ≤ 1 s and the NOC server
// process used < 70 % of one core (from /proc) over the measured window.
// The result is the largest N that held before the first step that did not
// (or before the time ran out).
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { reportResults, type BenchFigure } from '@noc/shared/bench-result';
import { ManagedProcess } from '@noc/shared/child-process';
import { envNumber } from '@noc/shared/env-number';
import { freePort } from '@noc/shared/free-port';
import type { HealthReport } from '@noc/shared/health';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import type { Site } from '@noc/shared/sites';
import { DEFAULT_SITES_FILE, loadRegistry } from '@noc/shared/sites-loader';
import { waitFor } from '@noc/shared/wait';
import { startInfluxd, type RunningInfluxd } from '../server/store/influxd-process.ts';
import { CpuMeter } from './proc-cpu.ts';
import type { ScaleLoadConfig, ScaleLoadReport } from './scale-load.ts';
import type { WallFeedMessage, WallFeedWorkerData } from './wall-feed-worker.ts';

const GOAL_SITES = 750;
const MAX_P95_MS = 1000;
const MAX_CPU_PCT = 70;
const STEPS = (process.env.BENCH_SCALE_STEPS ?? '12,50,100,200,300,400,500,600,750,1000,1500,2000').split(',').map((x, i) => {
  const n = Number(x.trim());
  if (!Number.isInteger(n) || n < 12 || n > 5000) {
    throw new Error(`BENCH_SCALE_STEPS: step ${i + 1} ("${x}") must be a whole number of sites from 12 to 5000`);
  }
  return n;
});
const WARMUP_S = envNumber(process.env, 'BENCH_SCALE_WARMUP_S', 10, { min: 2, max: 120, integer: true, unit: 's' });
const MEASURE_S = envNumber(process.env, 'BENCH_SCALE_SECONDS', 20, { min: 5, max: 600, integer: true, unit: 's' });
const BUDGET_MS = envNumber(process.env, 'BENCH_SCALE_MINUTES', 10, { min: 1, max: 120, unit: 'min' }) * 60_000;
/** A step needs about this much besides its warm-up and measurement (a server's start and stop). */
const STEP_OVERHEAD_MS = 15_000;
const SERVER_ENTRY = fileURLToPath(new URL('../server/index.ts', import.meta.url));
const LOAD_ENTRY = fileURLToPath(new URL('./scale-load.ts', import.meta.url));

interface StepResult {
  sites: number;
  samplesPerSecond: number;
  serverCpuPct: number;
  influxdCpuPct: number;
  generatorCpuPct: number;
  benchCpuPct: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  heartbeats: number;
  heartbeatsExpected: number;
  sitesHeard: number;
  generatorLateP95Ms: number;
  answerP95Ms: number;
  failed: number;
  /** The machine's 1-minute load average at the step's end (2 cores here): above 2, everything waits for a core. */
  loadAverage: number;
  held: boolean;
  why: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The registry's sites, then generated ones up to n (role `site`). */
function sitesFor(n: number, registry: Site[]): Site[] {
  const generated = Array.from({ length: Math.max(0, n - registry.length) }, (_, i): Site => {
    const k = String(registry.length + i + 1).padStart(4, '0');
    return { id: `mo-phong-${k}`, name: `TTGDTX mô phỏng ${k}`, shortName: `Mô phỏng ${k}`, role: 'site' };
  });
  return [...registry, ...generated].slice(0, n);
}

/** One step: a NOC server for `sites`, the generator and the wall client; stopped at its end. */
async function runStep(dir: string, influxd: RunningInfluxd, sites: Site[]): Promise<StepResult> {
  const n = sites.length;
  const nocDir = join(dir, `noc-${n}`);
  await mkdir(nocDir, { recursive: true });
  const sitesFile = join(nocDir, 'sites.json');
  await writeFile(sitesFile, JSON.stringify({ sites }, null, 1));
  const secretFile = join(nocDir, 'secret.key');
  await loadOrCreateSecret(secretFile);
  const port = await freePort();
  const nocUrl = `http://127.0.0.1:${port}`;
  const adminPassword = randomBytes(12).toString('hex');
  const noc = ManagedProcess.start({
    name: 'noc',
    command: process.execPath,
    // BENCH_NOC_NODE_ARGS: node's own options for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    args: [...(process.env.BENCH_NOC_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []), SERVER_ENTRY],
    env: {
      ...process.env,
      PORT: String(port),
      NOC_HOST: '127.0.0.1',
      NOC_DATA_DIR: nocDir,
      NOC_SITES_FILE: sitesFile,
      INFLUX_URL: influxd.url,
      SFU_URL: 'http://127.0.0.1:9',
      NOC_ADMIN_PASSWORD: adminPassword,
      NOC_SIMULATOR: '0',
    },
    logFile: join(dir, `noc-${n}.log`),
  });
  let generator: ChildProcess | null = null;
  let wall: Worker | null = null;
  try {
    await waitFor(
      'the NOC server',
      async () => {
        assert.ok(noc.running, `the NOC server exited: ${noc.tail}`);
        const res = await fetch(`${nocUrl}/api/health`).catch(() => null);
        return res?.ok === true && ((await res.json()) as HealthReport).components.store.state === 'up';
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const login = await fetch(`${nocUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: adminPassword }),
    });
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
    if (login.status !== 200 || !cookie) throw new Error(`signing in to the NOC server answered ${login.status}: ${await login.text()}`);

    // The wall client, in its own thread.
    const messages: WallFeedMessage[] = [];
    wall = new Worker(new URL('./wall-feed-worker.ts', import.meta.url), {
      workerData: { url: `${nocUrl.replace('http', 'ws')}/api/live`, cookie } satisfies WallFeedWorkerData,
    });
    wall.on('message', (m: WallFeedMessage) => messages.push(m));
    wall.on('error', (err) => messages.push({ type: 'error', message: err.message }));
    const ready = await waitFor('the wall client', () => messages.find((m) => m.type === 'ready' || m.type === 'error'));
    if (ready.type === 'error') throw new Error(`wall client: ${ready.message}`);
    assert.equal(ready.type === 'ready' && ready.sites, n, 'the wall sees every site of the registry');
    const wallReport = async () => {
      const seen = messages.length;
      wall!.postMessage('report');
      const m = await waitFor('the wall report', () => messages.slice(seen).find((x) => x.type === 'report' || x.type === 'error'));
      const failed = messages.find((x) => x.type === 'error');
      if (failed?.type === 'error') throw new Error(`wall client: ${failed.message}; the NOC server's log ends: ${noc.tail}`);
      return m as Extract<WallFeedMessage, { type: 'report' }>;
    };

    // The generator, in its own process.
    const config: ScaleLoadConfig = { nocUrl, secretFile, sites: sites.map((s) => s.id) };
    const gen = fork(LOAD_ENTRY, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    generator = gen;
    const genExit = new Promise<never>((_, reject) => gen.once('exit', (code) => reject(new Error(`the load generator exited (${code})`))));
    genExit.catch(() => {});
    const genReport = () =>
      Promise.race([
        new Promise<ScaleLoadReport>((resolve) => {
          gen.once('message', (m: ScaleLoadReport) => resolve(m));
          gen.send({ type: 'report' });
        }),
        genExit,
      ]);

    await sleep(WARMUP_S * 1000);
    await wallReport();
    const windowStart = performance.now();
    const before = await genReport();
    const meters = {
      server: new CpuMeter(() => [noc.child.pid!]),
      influxd: new CpuMeter(() => [influxd.process.child.pid!]),
      generator: new CpuMeter(() => [gen.pid!]),
      bench: new CpuMeter(() => [process.pid]),
    };
    await sleep(MEASURE_S * 1000);
    const cpu = Object.fromEntries(Object.entries(meters).map(([k, m]) => [k, m.lap().pct])) as Record<keyof typeof meters, number>;
    const after = await genReport();
    const feed = await wallReport();
    const windowS = (performance.now() - windowStart) / 1000;
    const lat = feed.latencies.sort((a, b) => a - b);
    const p95 = percentile(lat, 95);
    const failed = after.failed - before.failed;
    const reasons: string[] = [];
    if (!(p95 <= MAX_P95_MS)) reasons.push(`probe-to-wall p95 ${p95} ms > ${MAX_P95_MS} ms`);
    if (cpu.server >= MAX_CPU_PCT) reasons.push(`NOC server ${cpu.server.toFixed(0)} % of a core ≥ ${MAX_CPU_PCT} %`);
    if (failed > 0) reasons.push(`${failed} posts refused or failed (${after.firstFailure})`);
    return {
      sites: n,
      samplesPerSecond: feed.samples / windowS,
      serverCpuPct: cpu.server,
      influxdCpuPct: cpu.influxd,
      generatorCpuPct: cpu.generator,
      benchCpuPct: cpu.bench,
      p50Ms: percentile(lat, 50),
      p95Ms: p95,
      maxMs: lat.at(-1) ?? Number.NaN,
      heartbeats: lat.length,
      heartbeatsExpected: Math.round(n * windowS),
      sitesHeard: feed.sites,
      generatorLateP95Ms: after.lateP95Ms,
      answerP95Ms: after.answerP95Ms,
      failed,
      loadAverage: loadavg()[0]!,
      held: reasons.length === 0,
      why: reasons.join('; ') || 'held',
    };
  } finally {
    generator?.kill('SIGTERM');
    await wall?.terminate();
    await noc.stop();
  }
}

async function main(): Promise<BenchFigure> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'noc-bench-scale-'));
  let influxd: RunningInfluxd | null = null;
  const cleanup = async () => {
    await influxd?.stop();
    // BENCH_KEEP_DIR=1 keeps the servers' logs and data for a look afterwards.
    if (process.env.BENCH_KEEP_DIR === '1') console.log(`(kept ${dir})`);
    else await rm(dir, { recursive: true, force: true });
  };
  const watchdog = setTimeout(
    () => {
      console.error('[bench] overran its time: stopping');
      void cleanup().finally(() => process.exit(1));
    },
    BUDGET_MS + 5 * 60_000,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    const { sites: registry } = await loadRegistry(DEFAULT_SITES_FILE);
    influxd = await startInfluxd({ dir: join(dir, 'influxd'), httpPort: await freePort(), rpcPort: await freePort(), quiet: true });
    console.log(
      `scale benchmark: N sites posting 10 samples each second (link ×3, media ×4, UPS, room, heartbeat) through the gateway, ` +
        `store (influxd), incident engine and live feed, one wall client on the feed; ${WARMUP_S} s warm-up and ${MEASURE_S} s measured ` +
        `per step; a step holds at probe-to-wall p95 ≤ ${MAX_P95_MS} ms and the NOC server < ${MAX_CPU_PCT} % of a core`,
    );
    console.log(
      '\n sites  samples/s  NOC CPU %  influxd %  generator %  bench %  wall p50/p95/max ms   heartbeats      late p95  answer p95  load  verdict',
    );
    const results: StepResult[] = [];
    let boundedByTime = false;
    for (const n of STEPS) {
      if (Date.now() - started + (WARMUP_S + MEASURE_S) * 1000 + STEP_OVERHEAD_MS > BUDGET_MS) {
        boundedByTime = true;
        console.log(`(stopping before ${n} sites: BENCH_SCALE_MINUTES = ${BUDGET_MS / 60_000} is spent)`);
        break;
      }
      const r = await runStep(dir, influxd, sitesFor(n, registry));
      results.push(r);
      const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');
      console.log(
        `${String(n).padStart(6)}  ${f(r.samplesPerSecond).padStart(9)}  ${f(r.serverCpuPct).padStart(9)}  ${f(r.influxdCpuPct).padStart(9)}  ` +
          `${f(r.generatorCpuPct).padStart(11)}  ${f(r.benchCpuPct).padStart(7)}  ${`${f(r.p50Ms)}/${f(r.p95Ms)}/${f(r.maxMs)}`.padStart(19)}  ` +
          `${`${r.heartbeats}/${r.heartbeatsExpected}`.padStart(13)}  ${f(r.generatorLateP95Ms).padStart(8)}  ${f(r.answerP95Ms).padStart(10)}  ${r.loadAverage.toFixed(1).padStart(4)}  ${r.why}`,
      );
      if (r.generatorCpuPct >= 80 || r.generatorLateP95Ms > 200) {
        console.log(
          `  the load generator is near its limit at ${n} sites (${f(r.generatorCpuPct)} % of a core, posts up to ${f(r.generatorLateP95Ms)} ms late)`,
        );
      }
      if (!r.held) break;
    }
    const held = results.filter((r, i) => r.held && results.slice(0, i).every((x) => x.held));
    const best = held.at(-1)?.sites ?? 0;
    const firstFailed = results.find((r) => !r.held);
    console.log(
      `\none NOC server carried ${best} sites at 1 Hz` +
        (firstFailed
          ? `; at ${firstFailed.sites} sites: ${firstFailed.why}`
          : boundedByTime
            ? ' (the run ended on its time budget)'
            : ' (every step held)'),
    );
    return {
      name: 'scale',
      figure: best,
      unit: 'sites',
      goal: { op: '>=', value: GOAL_SITES },
      details: {
        rule: { maxP95Ms: MAX_P95_MS, maxServerCpuPct: MAX_CPU_PCT, warmupS: WARMUP_S, measureS: MEASURE_S },
        boundedByTime,
        steps: results,
      },
    };
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

main().then(
  (figure) => reportResults([figure]),
  (err: unknown) => {
    console.error(`[bench] ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  },
);
