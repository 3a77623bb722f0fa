// Wall benchmark (npm run bench:wall): the whole system as `npm start` runs
// it (12 healthy simulated sites at 1 Hz, SIM_SCENARIO=none) on free loopback
// ports, and the wall screen signed in with a display token in Debian's
// Chromium at 1920×1080 for BENCH_WALL_MINUTES (10). Every minute it prints
// what the wall costs the display PC — the renderer's CPU share (/proc), the
// JS heap after a garbage collection (CDP), the page's drawing delay from the
// gateway's receipt of a sample to its drawing (window.__nocWall.drawDelays) —
// then the first minute and the last side by side against the goals, and the
// production bundle's size. A benchmark, not a test: it prints figures.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { reportResults } from '@noc/shared/bench-result';
import { envNumber } from '@noc/shared/env-number';
import { waitFor } from '@noc/shared/wait';
import { createDisplayToken, signIn } from '../../test/fixtures/auth.ts';
import { launchChromium } from '../../test/fixtures/chromium.ts';
import { freePort } from '../../test/fixtures/ports.ts';
import { startSystem, type SystemFixture } from '../../test/fixtures/system.ts';
import { bundleFiles, ensureBuilt } from './bundle-size.ts';
import { commandLine, CpuMeter, descendants } from './proc-cpu.ts';

const MINUTES = envNumber(process.env, 'BENCH_WALL_MINUTES', 10, { min: 1, max: 24 * 60, integer: true, unit: 'minutes' });
/** The wall settles (first history, charts drawn) before the first measurement. */
const WARMUP_MS = 15_000;
const GOALS = { p95Ms: 300, cpuPct: 10, heapGrowthPct: 10, heapGrowthMb: 2 };
/** The first whole minute after the wall's 15-minute series window has filled. */
const WINDOW_FULL_MINUTE = 16;

const log = (line: string) => console.log(`[bench:wall] ${line}`);

// ---- the wall's figures ----------------------------------------------------

interface Row {
  minute: number;
  rendererPct: number | null;
  renderers: number;
  mainThreadPct: number | null;
  chromiumPct: number | null;
  systemPct: number | null;
  heapMb: number;
  delays: number[] | null;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

function delayStats(delays: number[] | null): { p50: number; p95: number; max: number; n: number } | null {
  if (!delays || delays.length === 0) return null;
  const sorted = [...delays].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1)!, n: sorted.length };
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** JS heap in use after a full garbage collection, in MB. */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return ((await metrics(cdp)).JSHeapUsedSize ?? 0) / 1024 / 1024;
}

/** Takes the drawing delays the wall collected since the last call (and clears them); null when the page has no such hook. */
function takeDrawDelays(page: Page): Promise<number[] | null> {
  return page.evaluate(() => {
    const wall = (globalThis as unknown as { __nocWall?: { drawDelays?: unknown } }).__nocWall;
    return Array.isArray(wall?.drawDelays)
      ? (wall.drawDelays.splice(0) as number[]).filter((d) => typeof d === 'number' && Number.isFinite(d))
      : null;
  });
}

// ---- Chromium's processes --------------------------------------------------

/** Chromium's browser process: a process below this one started from the chromium binary without a `--type`. */
function chromiumTree(): number[] {
  const browser = descendants(process.pid).find((pid) => {
    const argv = commandLine(pid);
    return /chromium|chrome/.test(argv[0] ?? '') && !argv.some((a) => a.startsWith('--type='));
  });
  return browser ? [browser, ...descendants(browser)] : [];
}

/**
 * The page renderers: Chromium processes started with `--type=renderer`, but
 * not Chromium's own WebUI (`--top-chrome-webui`). One page is open, so they
 * are the wall's (and at most an idle spare).
 */
const renderers = () =>
  chromiumTree().filter((pid) => {
    const argv = commandLine(pid);
    return argv.includes('--type=renderer') && !argv.includes('--top-chrome-webui');
  });

/** Everything else this benchmark started: the NOC server, the SFU nodes, influxd, the simulator. */
function systemProcesses(): number[] {
  const chromium = new Set(chromiumTree());
  return descendants(process.pid).filter((pid) => !chromium.has(pid));
}

// ---- signing the wall in ---------------------------------------------------

/** The link a wall screen opens: the admin signs in and makes a display token for it. */
async function wallLink(system: SystemFixture, adminPassword: string): Promise<string> {
  const admin = await signIn(system.url, 'admin', adminPassword);
  const { token } = await createDisplayToken(system.url, admin, 'Đo tải màn hình NOC (benchmark)');
  return `${system.url}/wall?display=${encodeURIComponent(token)}`;
}

// ---- printing --------------------------------------------------------------

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} %`);
const ms = (v: number) => `${Math.round(v)}`;

function printHeader(): void {
  console.log(
    `\n${'min'.padStart(4)}  ${'renderer CPU'.padStart(12)}  ${'main thread'.padStart(11)}  ${'Chromium'.padStart(9)}  ${'system'.padStart(8)}  ${'JS heap'.padStart(9)}  drawing delay p50 / p95 / max (batches)`,
  );
  console.log(
    `${''.padStart(4)}  ${'(/proc)'.padStart(12)}  ${'(CDP)'.padStart(11)}  ${'(all)'.padStart(9)}  ${'(rest)'.padStart(8)}  ${'(after GC)'.padStart(9)}`,
  );
}

function printRow(r: Row): void {
  const d = delayStats(r.delays);
  const delays =
    r.minute === 0
      ? '(the start: delays collected so far cleared)'
      : r.delays === null
        ? 'n/a: the page has no window.__nocWall.drawDelays'
        : d
          ? `${ms(d.p50)} / ${ms(d.p95)} / ${ms(d.max)} ms (${d.n})`
          : '— (no batch drawn)';
  console.log(
    `${String(r.minute).padStart(4)}  ${pct(r.rendererPct).padStart(12)}  ${pct(r.mainThreadPct).padStart(11)}  ${pct(r.chromiumPct).padStart(9)}  ${pct(r.systemPct).padStart(8)}  ${`${r.heapMb.toFixed(1)} MB`.padStart(9)}  ${delays}`,
  );
}

function printComparison(first: Row, last: Row, rows: Row[]): void {
  const line = (what: string, start: string, end: string, goal: string, ok: boolean | null) =>
    console.log(
      `  ${what.padEnd(22)}${start.padStart(14)}${end.padStart(14)}   ${goal.padEnd(34)}${ok === null ? 'n/a' : ok ? 'ok' : 'MISSED'}`,
    );
  console.log(`\nStart and end side by side (minute ${first.minute} and minute ${last.minute}):`);
  console.log(`  ${''.padEnd(22)}${'start'.padStart(14)}${'end'.padStart(14)}   goal`);
  const worstCpu = Math.max(...rows.map((r) => r.rendererPct ?? 0));
  line(
    'renderer CPU (/proc)',
    pct(first.rendererPct),
    pct(last.rendererPct),
    `≤ ${GOALS.cpuPct} % of a core (worst ${worstCpu.toFixed(1)} %)`,
    first.rendererPct === null ? null : worstCpu <= GOALS.cpuPct,
  );
  line('main thread (CDP)', pct(first.mainThreadPct), pct(last.mainThreadPct), '', null);
  // The wall keeps 15 minutes of series, so its heap grows until that window is
  // full; a leak shows as growth after it. Judged from minute 16 when the run is long enough.
  const filled = rows.find((r) => r.minute === WINDOW_FULL_MINUTE);
  const from = filled && last.minute > filled.minute ? filled : first;
  const growth = last.heapMb - from.heapMb;
  const growthPct = (growth / from.heapMb) * 100;
  const flat = growth <= Math.max(GOALS.heapGrowthMb, (from.heapMb * GOALS.heapGrowthPct) / 100);
  line(
    'JS heap after GC',
    `${first.heapMb.toFixed(1)} MB`,
    `${last.heapMb.toFixed(1)} MB`,
    from === filled
      ? `flat from minute ${filled.minute} (${from.heapMb.toFixed(1)} MB; ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB, ${growthPct >= 0 ? '+' : ''}${growthPct.toFixed(0)} %)`
      : `flat once the 15-min window is full (run ≥ ${WINDOW_FULL_MINUTE + 2} min to judge)`,
    from === filled ? flat : null,
  );
  const a = delayStats(first.delays);
  const b = delayStats(last.delays);
  const all = delayStats(rows.flatMap((r) => r.delays ?? []));
  line('drawing delay p50', a ? `${ms(a.p50)} ms` : '—', b ? `${ms(b.p50)} ms` : '—', '', null);
  line(
    'drawing delay p95',
    a ? `${ms(a.p95)} ms` : '—',
    b ? `${ms(b.p95)} ms` : '—',
    `≤ ${GOALS.p95Ms} ms (whole run ${all ? `${ms(all.p95)} ms` : '—'})`,
    all ? all.p95 <= GOALS.p95Ms : null,
  );
  line('drawing delay max', a ? `${ms(a.max)} ms` : '—', b ? `${ms(b.max)} ms` : '—', '', null);
}

function printBundle(): void {
  const list = bundleFiles();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.log('\nProduction bundle (dashboard/dist), per file:');
  console.log(`  ${'file'.padEnd(48)}${'raw'.padStart(11)}${'gzip'.padStart(11)}`);
  for (const f of list) console.log(`  ${f.file.padEnd(48)}${kb(f.bytes).padStart(11)}${kb(f.gzipBytes).padStart(11)}`);
  const sum = (pick: (f: (typeof list)[number]) => boolean) => {
    const chosen = list.filter(pick);
    return `${kb(chosen.reduce((n, f) => n + f.bytes, 0)).padStart(11)}${kb(chosen.reduce((n, f) => n + f.gzipBytes, 0)).padStart(11)}`;
  };
  console.log(`  ${'total JavaScript'.padEnd(48)}${sum((f) => f.file.endsWith('.js'))}`);
  console.log(`  ${'total CSS'.padEnd(48)}${sum((f) => f.file.endsWith('.css'))}`);
  console.log(`  ${'total'.padEnd(48)}${sum(() => true)}`);
}

// ---- the run ---------------------------------------------------------------

let system: SystemFixture | null = null;
let browser: Browser | null = null;
const deadline = setTimeout(
  () => {
    console.error('[bench:wall] overran its time; stopping');
    void cleanUp().then(() => process.exit(1));
  },
  (MINUTES * 60 + 420) * 1000,
);

async function cleanUp(): Promise<void> {
  clearTimeout(deadline);
  await browser?.close().catch(() => {});
  browser = null;
  await system?.stop().catch(() => {});
  system = null;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

try {
  ensureBuilt(log);
  const adminPassword = randomBytes(18).toString('base64url');
  log(`starting the system (12 sites at 1 Hz, no scenario) for a ${MINUTES}-minute run`);
  const controlPort = await freePort();
  system = await startSystem({
    SIM_SCENARIO: 'none',
    SIM_INTERVAL_MS: '1000',
    NOC_ADMIN_PASSWORD: adminPassword,
    SIM_CONTROL_PORT: String(controlPort),
  });
  log(`system up at ${system.url}; the simulator takes faults on http://127.0.0.1:${controlPort}/faults`);
  const link = await wallLink(system, adminPassword);
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  await page.goto(link);
  log(`wall opened in Chromium ${browser.version()} at 1920×1080, signed in with a new display token: ${new URL(page.url()).pathname}`);
  // A wall without its 12 live tiles is not the wall: there is nothing to measure.
  const live = page.locator('[data-site][data-state="ok"]');
  await waitFor('12 live site tiles on the wall', async () => (await live.count()) === 12, { timeoutMs: 60_000, intervalMs: 500 }).catch(
    async (err: Error) => {
      throw new Error(`${err.message}; the page shows ${await live.count()} live tiles at ${page.url()}`);
    },
  );
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  log(
    `warming up for ${WARMUP_MS / 1000} s; renderers (Chromium's --type=renderer processes below this one, not its WebUI): ${renderers().join(', ') || 'none found'}`,
  );
  await sleep(WARMUP_MS);

  const rendererCpu = new CpuMeter(renderers);
  const chromiumCpu = new CpuMeter(chromiumTree);
  const systemCpu = new CpuMeter(systemProcesses);
  let task = (await metrics(cdp)).TaskDuration ?? 0;
  await takeDrawDelays(page);
  const baseline: Row = {
    minute: 0,
    rendererPct: null,
    renderers: 0,
    mainThreadPct: null,
    chromiumPct: null,
    systemPct: null,
    heapMb: await heapAfterGc(cdp),
    delays: [],
  };
  printHeader();
  printRow(baseline);
  // The GC above is not counted in the first minute.
  rendererCpu.lap();
  chromiumCpu.lap();
  systemCpu.lap();
  let lapAt = performance.now();
  const rows: Row[] = [];
  const start = performance.now();
  for (let minute = 1; minute <= MINUTES; minute++) {
    await sleep(Math.max(0, start + minute * 60_000 - performance.now()));
    const renderer = rendererCpu.lap();
    const chromium = chromiumCpu.lap();
    const rest = systemCpu.lap();
    const nextTask = (await metrics(cdp)).TaskDuration ?? 0;
    const elapsedS = (performance.now() - lapAt) / 1000;
    const row: Row = {
      minute,
      rendererPct: renderer.processes > 0 ? renderer.pct : null,
      renderers: renderer.processes,
      mainThreadPct: ((nextTask - task) / elapsedS) * 100,
      chromiumPct: chromium.pct,
      systemPct: rest.pct,
      delays: await takeDrawDelays(page),
      heapMb: await heapAfterGc(cdp),
    };
    rows.push(row);
    printRow(row);
    // The GC and the reads above are not counted in the next minute.
    rendererCpu.lap();
    chromiumCpu.lap();
    systemCpu.lap();
    task = (await metrics(cdp)).TaskDuration ?? 0;
    lapAt = performance.now();
  }
  printComparison(rows[0]!, rows.at(-1)!, rows);
  console.log(
    `\n  renderer CPU: user + system time of Chromium's --type=renderer processes (from /proc/<pid>/stat) over each minute, in % of one core;` +
      `\n  main thread: CDP Performance.getMetrics TaskDuration over the same minute; Chromium: every Chromium process; system: the NOC server, SFU nodes, influxd and simulator.` +
      `\n  drawing delay: Date.now() − receivedAt of each live batch as the wall drew it (window.__nocWall.drawDelays).`,
  );
  printBundle();
  const all = delayStats(rows.flatMap((r) => r.delays ?? []));
  if (!all) throw new Error('the wall drew no live batch in the whole run (window.__nocWall.drawDelays stayed empty)');
  await cleanUp();
  reportResults([
    {
      name: 'wall-draw-p95',
      figure: Math.round(all.p95),
      unit: 'ms',
      goal: { op: '<=', value: GOALS.p95Ms },
      details: {
        minutes: MINUTES,
        batches: all.n,
        p50Ms: all.p50,
        maxMs: all.max,
        rendererCpuPct: rows.map((r) => r.rendererPct),
        heapMb: rows.map((r) => r.heapMb),
      },
    },
  ]);
} catch (err) {
  console.error(`[bench:wall] failed: ${(err as Error).stack ?? err}`);
  await cleanUp();
  process.exit(1);
}
