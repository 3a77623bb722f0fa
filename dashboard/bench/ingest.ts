// Ingest benchmark (npm run bench:ingest): the same batches of link and media
// samples for the 12 sites, written straight to influxd with each of the two
// InfluxDB clients (node-influx's writePoints on /write, @influxdata/influxdb-client's
// write API with its Point objects on /api/v2/write), with the NOC's own writer
// (the store: its line protocol on influxdb-client's transport, the gateway's
// path to InfluxDB), and through the NOC's ingest gateway (POST /api/ingest with
// probe tokens), in interleaved rounds on one private influxd on loopback.
// Prints points/s of each path, the gateway's ratio to the fastest raw path, and the latency from a sample's arrival at the gateway to its
// delivery to a live-feed WebSocket client. Bounded in count and time; stops
// by itself. A benchmark, not a test: it prints figures and fails only when a
// path misbehaves (a refused write, a lost point, an overrun).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InfluxDB as InfluxV2, Point as V2Point } from '@influxdata/influxdb-client';
import { InfluxDB, type IPoint } from 'influx';
import { reportResults, type BenchFigure } from '@noc/shared/bench-result';
import { ManagedProcess } from '@noc/shared/child-process';
import type { HealthReport } from '@noc/shared/health';
import type { Point, ProbeSample } from '@noc/shared/metrics';
import { issueProbeToken } from '@noc/shared/probe-token';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import { DEFAULT_SITES_FILE, loadRegistry } from '@noc/shared/sites-loader';
import { envNumber } from '@noc/shared/env-number';
import { waitFor } from '@noc/shared/wait';
import { startInfluxd, type RunningInfluxd } from '../server/store/influxd-process.ts';
import { InfluxStore } from '../server/store/influx-store.ts';
import type { LatencyWorkerData, LatencyWorkerMessage } from './live-latency-worker.ts';
import { LINK_TARGETS, MEDIA_STREAMS } from './probe-streams.ts';

const intEnv = (name: string, fallback: number, max: number): number =>
  envNumber(process.env, name, fallback, { min: 1, max, integer: true });

const ROUNDS = intEnv('BENCH_ROUNDS', 6, 20);
const BATCHES = intEnv('BENCH_BATCHES', 80, 400);
/**
 * Requests in flight: 1 is one sender posting batch after batch (each path's
 * speed is then its latency); 12 is every site's probe posting at once (the
 * machine's 2 cores are then the limit, shared by influxd, the gateway and this
 * client). BENCH_CONCURRENCY=n runs only n.
 */
const MODES = process.env.BENCH_CONCURRENCY ? [intEnv('BENCH_CONCURRENCY', 1, 16)] : [1, 12];
const BATCH_SIZE = 500;
/**
 * The marker heartbeats for the latency figure, one every this many ms: by
 * default as many as the 12 sites' probes send (a heartbeat a second each).
 */
const MARKER_EVERY_MS = intEnv('BENCH_MARKER_MS', 83, 1000);
const IDLE_MARKERS = 200;
const DEADLINE_MS = 240_000;
const GOAL = 0.6;
const SERVER_ENTRY = fileURLToPath(new URL('../server/index.ts', import.meta.url));

/** Raw writes with node-influx, with influxdb-client's Point API, with the NOC's store writer; and the gateway. */
type Path = 'influx' | 'client' | 'store' | 'gateway';
const PATHS: readonly Path[] = ['influx', 'client', 'store', 'gateway'];
type RawPath = Exclude<Path, 'gateway'>;
const RAW_PATHS: readonly RawPath[] = ['influx', 'client', 'store'];
const PATH_NAMES: Record<Path, string> = { influx: 'node-influx', client: 'influxdb-client', store: 'NOC writer', gateway: 'gateway' };

/** A pseudo-random sequence, so that every run sends the same values. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** 500 samples of one site as its probe reports them: each second, its 3 links and 4 media streams. */
function siteBatch(start: number, rand: () => number): ProbeSample[] {
  const r2 = (lo: number, hi: number) => Math.round((lo + rand() * (hi - lo)) * 100) / 100;
  const samples: ProbeSample[] = [];
  for (let i = 0; i < BATCH_SIZE; i++) {
    const kind = i % 7;
    const time = start + Math.floor(i / 7) * 1000;
    if (kind < 3) {
      samples.push({
        measurement: 'link',
        tags: { target: LINK_TARGETS[kind]! },
        fields: {
          rtt_ms: r2(8, 120),
          jitter_ms: r2(0, 25),
          loss_pct: r2(0, 2),
          up_kbps: r2(800, 9000),
          down_kbps: r2(2000, 40000),
          reachable: true,
        },
        time,
      });
      continue;
    }
    const [media, direction] = MEDIA_STREAMS[kind - 3]!;
    const common = {
      bitrate_kbps: media === 'video' ? r2(300, 1500) : r2(24, 64),
      loss_pct: r2(0, 3),
      jitter_ms: r2(0, 30),
      score: r2(7, 10),
      mos: r2(3.2, 4.4),
    };
    const fields =
      media === 'video'
        ? {
            ...common,
            fps: r2(12, 30),
            width: 1280,
            height: 720,
            freeze_count: Math.floor(rand() * 3),
            freeze_ms: r2(0, 400),
            nack: Math.floor(rand() * 50),
            pli: Math.floor(rand() * 5),
          }
        : { ...common, audio_level: r2(0, 1) };
    samples.push({ measurement: 'media', tags: { kind: media, direction }, fields, time });
  }
  return samples;
}

interface Batch {
  site: string;
  /** The points for influxd (site tag included), as node-influx takes them. */
  raw: IPoint[];
  /** The same points as the NOC's store takes them. */
  points: Point[];
  /** JSON for the gateway (the site comes from the token). */
  json: string;
}

/** Each (mode, round, path) gets its own stretch of time, so every point written is a new one. */
function makeBatches(sites: string[], slot: number, base: number): Batch[] {
  const rand = lcg(slot);
  const span = Math.ceil(BATCH_SIZE / 7) * 1000;
  const out: Batch[] = [];
  for (let j = 0; j < BATCHES; j++) {
    const site = sites[j % sites.length]!;
    const start = base + (slot * BATCHES + j) * span;
    const samples = siteBatch(start, rand);
    const points: IPoint[] = samples.map((s) => ({
      measurement: s.measurement,
      tags: { ...s.tags, site },
      fields: s.fields,
      timestamp: s.time!,
    }));
    const stored: Point[] = samples.map((s) => ({
      measurement: s.measurement,
      tags: { ...s.tags, site },
      fields: s.fields,
      time: s.time!,
    }));
    out.push({ site, raw: points, points: stored, json: JSON.stringify({ samples }) });
  }
  return out;
}

/** Sends every batch with `concurrency` requests in flight; returns the elapsed ms. */
async function send(batches: Batch[], concurrency: number, post: (b: Batch) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) await post(batches[next++]!);
    }),
  );
  return performance.now() - started;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<BenchFigure> {
  const dir = await mkdtemp(join(tmpdir(), 'noc-bench-ingest-'));
  let influxd: RunningInfluxd | null = null;
  let noc: ManagedProcess | null = null;
  let worker: Worker | null = null;
  const cleanup = async () => {
    await worker?.terminate();
    await noc?.stop();
    await influxd?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    console.error(`[bench] overran ${DEADLINE_MS / 1000} s: stopping`);
    void cleanup().finally(() => process.exit(1));
  }, DEADLINE_MS);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

  try {
    const { sites: registry } = await loadRegistry(DEFAULT_SITES_FILE);
    const sites = registry.map((s) => s.id);
    influxd = await startInfluxd({ dir: join(dir, 'influxd'), httpPort: await freePort(), rpcPort: await freePort(), quiet: true });
    const nocDir = join(dir, 'noc');
    const secret = await loadOrCreateSecret(join(nocDir, 'secret.key'));
    const nocUrl = `http://127.0.0.1:${await freePort()}`;
    const adminPassword = randomBytes(12).toString('hex');
    noc = ManagedProcess.start({
      name: 'noc',
      command: process.execPath,
      // BENCH_NOC_NODE_ARGS: node's own options for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
      args: [...(process.env.BENCH_NOC_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []), SERVER_ENTRY],
      env: {
        ...process.env,
        PORT: nocUrl.split(':').at(-1)!,
        NOC_HOST: '127.0.0.1',
        NOC_DATA_DIR: nocDir,
        INFLUX_URL: influxd.url,
        SFU_URL: 'http://127.0.0.1:9',
        NOC_ADMIN_PASSWORD: adminPassword,
        NOC_SIMULATOR: '0',
      },
      logFile: join(dir, 'noc.log'),
    });
    const nocProcess = noc;
    await waitFor(
      'the NOC server',
      async () => {
        assert.ok(nocProcess.running, `the NOC server exited: ${nocProcess.tail}`);
        return (await fetch(`${nocUrl}/api/health`)).status > 0;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    // The live feed needs a session.
    const login = await fetch(`${nocUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: adminPassword }),
    });
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
    if (login.status !== 200 || !cookie) throw new Error(`signing in to the NOC server answered ${login.status}: ${await login.text()}`);
    const tokens = new Map(sites.map((s) => [s, issueProbeToken(secret, s)]));
    const markerSite = sites[0]!;

    // The live-feed client, in its own thread.
    worker = new Worker(new URL('./live-latency-worker.ts', import.meta.url), {
      workerData: { url: `${nocUrl.replace('http', 'ws')}/api/live`, cookie, markerSite } satisfies LatencyWorkerData,
    });
    const messages: LatencyWorkerMessage[] = [];
    worker.on('message', (m: LatencyWorkerMessage) => messages.push(m));
    worker.on('error', (err) => messages.push({ type: 'error', message: err.message }));
    await waitFor('the live-feed client', () => messages.some((m) => m.type === 'ready' || m.type === 'error'));
    const workerError = () => messages.flatMap((m) => (m.type === 'error' ? [m.message] : []))[0];
    const report = async () => {
      const seen = messages.length;
      worker!.postMessage('report');
      const m = await waitFor('the live-feed report', () => messages.slice(seen).find((x) => x.type === 'report'));
      return m as Extract<LatencyWorkerMessage, { type: 'report' }>;
    };

    const direct = new InfluxDB({ host: new URL(influxd.url).hostname, port: Number(new URL(influxd.url).port), database: 'noc' });
    // On InfluxDB 1.x the v2 write API's bucket is "database/retention-policy".
    const v2 = new InfluxV2({ url: influxd.url, token: '' });
    const v2Options = { batchSize: BATCH_SIZE + 1, flushInterval: 0, maxRetries: 0 };
    // The store the gateway writes through, in this process: checkPoints, its line protocol, influxdb-client's transport.
    const writer = InfluxStore.create({ url: influxd.url, database: 'noc' });
    const ingestUrl = `${nocUrl}/api/ingest`;
    const post: Record<Path, (b: Batch) => Promise<void>> = {
      async influx(b) {
        await direct.writePoints(b.raw, { precision: 'ms' });
      },
      async client(b) {
        // The points are made on the clock, as node-influx turns its own into lines on it. Numbers
        // are floats, as node-influx and the gateway write them (a field keeps one type in a shard).
        const api = v2.getWriteApi('', 'noc/raw', 'ms', v2Options);
        for (const p of b.raw) {
          const point = new V2Point(p.measurement!);
          for (const [k, v] of Object.entries(p.tags!)) point.tag(k, v);
          for (const [k, v] of Object.entries(p.fields!)) {
            if (typeof v === 'number') point.floatField(k, v);
            else if (typeof v === 'boolean') point.booleanField(k, v);
            else point.stringField(k, String(v));
          }
          api.writePoint(point.timestamp(p.timestamp as number));
        }
        await api.close();
      },
      async store(b) {
        await writer.write(b.points);
      },
      async gateway(b) {
        const res = await fetch(ingestUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(b.site)}` },
          body: b.json,
        });
        if (res.status !== 202) throw new Error(`the gateway answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      },
    };

    // Marker heartbeats, sent without a time so the gateway stamps their arrival.
    let markerSeq = 0;
    const markerPhase = new Map<number, string>();
    const sendMarker = async (phase: string) => {
      const seq = ++markerSeq;
      markerPhase.set(seq, phase);
      const res = await fetch(ingestUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(markerSite)}` },
        body: JSON.stringify({ samples: [{ measurement: 'probe', tags: {}, fields: { seq } }] }),
      });
      if (res.status !== 202) throw new Error(`the gateway answered ${res.status} to a marker`);
      await res.arrayBuffer();
    };
    const markersUntil = async (done: () => boolean, phase: string) => {
      while (!done()) {
        await sendMarker(phase);
        await sleep(MARKER_EVERY_MS); // pacing of the marker stream, not synchronisation
      }
    };

    console.log(
      `ingest benchmark: ${sites.length} sites, the same batches of ${BATCH_SIZE} link/media samples straight to influxd with ` +
        `node-influx (/write) and with influxdb-client (/api/v2/write), and to the gateway; ${ROUNDS} rounds × ${BATCHES} batches ` +
        'per path after a warm-up round, paths interleaved',
    );
    let idleSent = 0;
    await markersUntil(() => idleSent++ >= IDLE_MARKERS, 'idle gateway');

    const base = Date.now() - 5 * 24 * 3600_000;
    const pids = { influxd: influxd.process.child.pid!, gateway: noc.child.pid!, client: process.pid };
    type Cpu = Record<keyof typeof pids, number>;
    const cpuNow = (): Cpu => ({ influxd: cpuSeconds(pids.influxd), gateway: cpuSeconds(pids.gateway), client: cpuSeconds(pids.client) });
    let slot = 0;
    const summary: string[] = [];
    const ratios: {
      concurrency: number;
      rates: Record<Path, number>;
      fasterRaw: RawPath;
      ratio: number;
      medianRatio: number;
    }[] = [];
    // Samples that went through the gateway's outage buffer: a buffered batch is
    // answered before it is written, so a round that used it would flatter the
    // gateway. Checked after every round, not only at the end.
    const bufferedNow = async () => ((await (await fetch(`${nocUrl}/api/health`)).json()) as HealthReport).components.store.buffered;
    let buffered = await bufferedNow();
    for (const concurrency of MODES) {
      /** Each measured round's ratio: the paths of one round ran close together in time. */
      const roundRatios: number[] = [];
      const totals = Object.fromEntries(PATHS.map((p) => [p, { points: 0, ms: 0, cpu: { influxd: 0, gateway: 0, client: 0 } }])) as Record<
        Path,
        { points: number; ms: number; cpu: Cpu }
      >;
      console.log(
        `\n${concurrency} request${concurrency === 1 ? '' : 's'} in flight per path (points/s; ratio: gateway ÷ the fastest raw path)`,
      );
      console.log(`round   ${PATHS.map((p) => PATH_NAMES[p].padStart(15)).join(' ')}   ratio`);
      for (let round = 0; round <= ROUNDS; round++) {
        // Rotate which path goes first, so drift over the run falls on every path alike.
        const order = PATHS.map((_, i) => PATHS[(i + round) % PATHS.length]!);
        const rate: Partial<Record<Path, number>> = {};
        for (const path of order) {
          const batches = makeBatches(sites, slot++, base);
          let sending = true;
          const cpuBefore = cpuNow();
          const markers = path === 'gateway' ? markersUntil(() => !sending, `gateway load, ${concurrency} in flight`) : Promise.resolve();
          const ms = await send(batches, concurrency, post[path]).finally(() => {
            sending = false;
          });
          await markers;
          const cpuAfter = cpuNow();
          const points = batches.length * BATCH_SIZE;
          rate[path] = (points / ms) * 1000;
          if (round > 0) {
            totals[path].points += points;
            totals[path].ms += ms;
            for (const k of Object.keys(pids) as (keyof Cpu)[]) totals[path].cpu[k] += cpuAfter[k] - cpuBefore[k];
          }
        }
        const label = round === 0 ? 'warm-up' : String(round);
        const bufferedAfter = await bufferedNow();
        if (bufferedAfter !== buffered) {
          throw new Error(
            `round ${label} at ${concurrency} in flight: ${bufferedAfter - buffered} samples went through the gateway's outage buffer ` +
              '(InfluxDB was slow or refused them), so its figure would not be a write to InfluxDB',
          );
        }
        buffered = bufferedAfter;
        const roundRaw = Math.max(...RAW_PATHS.map((p) => rate[p]!));
        if (round > 0) roundRatios.push(rate.gateway! / roundRaw);
        console.log(
          `${label.padEnd(7)} ${PATHS.map((p) => fmt(rate[p]!).padStart(15)).join(' ')}   ${(rate.gateway! / roundRaw).toFixed(2)}`,
        );
        const failed = workerError();
        if (failed) throw new Error(`live-feed client: ${failed}`);
      }
      const all = Object.fromEntries(PATHS.map((p) => [p, (totals[p].points / totals[p].ms) * 1000])) as Record<Path, number>;
      const fasterRaw = RAW_PATHS.reduce((a, b) => (all[b] > all[a] ? b : a));
      const ratio = all.gateway / all[fasterRaw];
      console.log(`all     ${PATHS.map((p) => fmt(all[p]).padStart(15)).join(' ')}   ${ratio.toFixed(2)}`);
      // The gateway writes through the NOC writer (influxdb-client); node-influx is the other client.
      const versus = ((all.store / all.influx - 1) * 100).toFixed(0);
      summary.push(
        `${concurrency} in flight: ${PATHS.map((p) => `${PATH_NAMES[p]} ${fmt(all[p])}`).join(', ')} points/s; ` +
          `the NOC writer on influxdb-client ${versus} % against node-influx; ` +
          `gateway ÷ ${PATH_NAMES[fasterRaw]} (the fastest raw path) ${ratio.toFixed(2)} (goal ≥ ${GOAL}: ${ratio >= GOAL ? 'met' : 'not met'})`,
      );
      const medianRatio = roundRatios.sort((a, b) => a - b)[Math.floor(roundRatios.length / 2)]!;
      console.log(
        `median of the rounds' ratios ${medianRatio.toFixed(2)} (each round's paths ran close together: steadier than "all" when other work comes and goes)`,
      );
      ratios.push({ concurrency, rates: all, fasterRaw, ratio, medianRatio });
      console.log('CPU seconds per 100,000 points:');
      for (const path of PATHS) {
        const { cpu, points, ms } = totals[path];
        const f = (k: keyof Cpu) => ((cpu[k] / points) * 100_000).toFixed(2);
        const busy = ((cpu.influxd + cpu.gateway + cpu.client) / (ms / 1000)).toFixed(2);
        console.log(
          `  ${PATH_NAMES[path].padEnd(15)} influxd ${f('influxd')}, NOC server ${f('gateway')}, bench client ${f('client')}: ${busy} of 2 cores busy`,
        );
      }
    }

    // Every marker that was sent reaches the feed; then the figures.
    const latencies: [number, number][] = [];
    let events = 0;
    await waitFor(
      'every marker on the live feed',
      async () => {
        const r = await report();
        latencies.push(...r.latencies);
        events = r.events;
        return latencies.length >= markerSeq;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    console.log(`\nsummary`);
    for (const line of summary) console.log(`  ${line}`);
    console.log(
      `latency from arrival at the gateway to delivery on a live-feed WebSocket client (ms; arrival is stamped in whole ms; ${fmt(events)} feed events):`,
    );
    for (const phase of new Set(markerPhase.values())) {
      const ms = latencies
        .filter(([seq]) => markerPhase.get(seq) === phase)
        .map(([, v]) => v)
        .sort((a, b) => a - b);
      console.log(
        `  ${phase.padEnd(30)} n=${String(ms.length).padEnd(4)} p50 ${percentile(ms, 50)}  p95 ${percentile(ms, 95)}  max ${ms.at(-1)}`,
      );
    }

    // The gateway wrote everything to InfluxDB itself, none of it through its outage buffer.
    const health = (await (await fetch(`${nocUrl}/api/health`)).json()) as HealthReport;
    if (health.components.store.state !== 'up' || /buffered/.test(health.components.store.detail)) {
      throw new Error(`the store is not plainly up: ${health.components.store.detail}`);
    }
    const count = async (q: string) => Number((await direct.query<{ count: number }>(q))[0]?.count ?? 0);
    const stored = (await count('SELECT count("rtt_ms") FROM "link"')) + (await count('SELECT count("bitrate_kbps") FROM "media"'));
    const expected = slot * BATCHES * BATCH_SIZE;
    console.log(
      `check: InfluxDB holds ${fmt(stored)} link/media points of ${fmt(expected)} sent; store ${health.components.store.state} (${health.components.store.detail})`,
    );
    if (stored !== expected) throw new Error('points are missing');
    const worst = ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    return {
      name: 'ingest-gateway-ratio',
      figure: Number(worst.ratio.toFixed(2)),
      unit: 'ratio',
      goal: { op: '>=', value: GOAL },
      details: { worstConcurrency: worst.concurrency, batchSize: BATCH_SIZE, batches: BATCHES, rounds: ROUNDS, byConcurrency: ratios },
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
