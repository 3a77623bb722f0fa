// Benchmark: how many consumers one mediasoup worker carries.
//
// 12 publishing bots (one per site) send a pre-encoded VP8 + Opus clip as RTP
// (ffmpeg, `-c copy`, no encoding at run time) into PlainTransports. Seats are
// PlainTransports connected to UDP sockets of this process, each consuming the
// featured site's video and the floor holder's audio. Seats grow in steps; per
// step the worker's CPU (getrusage deltas) and the receivers' RTP loss
// (sequence gaps) are measured.
//
// Two series in the same run, alternating at every step so that both see the
// same (shared, noisy) machine: A with default socket buffers, B with a 4 MiB
// `recvBufferSize` on the bots' ingress PlainTransports. Each series has its own
// worker and router; the series not being measured has its two featured
// producers paused, so its worker only carries the bots' ingress.
//
// Everything is on 127.0.0.1. Bounded: at most MAX_CONSUMERS consumers per
// series and BUDGET_S seconds; ffmpeg stops by itself after FFMPEG_MAX_S.
//
//   node sfu/bench/sfu-capacity.ts
import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { reportResults, type BenchFigure } from '@noc/shared/bench-result';
import { envNumber } from '@noc/shared/env-number';
import { waitFor } from '@noc/shared/wait';
import { readSfuConfig } from '../src/config.ts';
import { MEDIA_CODECS } from '../src/media-codecs.ts';
import { DEFAULT_CLIP, ensureClip } from '@noc/loadtest/swarm/clip';
import { AUDIO_PAYLOAD_TYPE, clipRtpParameters, clipSsrc, VIDEO_PAYLOAD_TYPE } from '@noc/loadtest/swarm/clip-rtp';
import { DEFAULT_FFMPEG, FfmpegSender } from '@noc/loadtest/swarm/ffmpeg-sender';
import { plainReceiveCapabilities } from '@noc/loadtest/swarm/receive-capabilities';
import { RtpSink } from '@noc/loadtest/swarm/rtp-sink';
import { udpDrops, udpRecvBuffers } from '@noc/loadtest/swarm/udp-stats';

// ---------------------------------------------------------------- settings

const LOOPBACK = '127.0.0.1';
const SITES = 12;
const SEATS_PER_SITE = 40;
/** Site whose video every seat receives, and site holding the floor (audio). */
const FEATURED_SITE = 0;
const FLOOR_SITE = 1;

const benchNumber = (name: string, fallback: number, min: number, max: number): number =>
  envNumber(process.env, name, fallback, { min, max });

const HOLD_S = benchNumber('SFU_BENCH_HOLD_S', 8, 1, 60);
const STEP_SEATS = Math.round(benchNumber('SFU_BENCH_STEP_SEATS', 60, 1, 500));
const MAX_CONSUMERS = Math.round(benchNumber('SFU_BENCH_MAX_CONSUMERS', 1000, 0, 1000));
const BUDGET_S = benchNumber('SFU_BENCH_BUDGET_S', 240, 20, 600);
/** Seats' transports encrypt (SRTP) as WebRTC ones would; SFU_BENCH_SRTP=0 sends them plain RTP. */
const SEAT_SRTP = process.env.SFU_BENCH_SRTP !== '0';
const SRTP_SUITE: types.SrtpCryptoSuite = 'AES_CM_128_HMAC_SHA1_80';
/** After (re)starting a series' media, wait at least one keyframe interval. */
const SETTLE_S = DEFAULT_CLIP.keyframeSeconds + 0.3;
/** A series stops growing past these. */
const STOP_CPU = 85;
const STOP_LOSS = 1;
/** The figure the run ends with. */
const OK_CPU = 70;
const OK_LOSS = 0.1;
/** The whole network in one meeting (12 sites × 40 seats, a video and an audio stream each) on two workers, one per core. */
const GOAL_CONSUMERS = (SITES * SEATS_PER_SITE * 2) / 2;
/** Hard bound on every ffmpeg, whatever happens to this process. */
const FFMPEG_MAX_S = Math.ceil(BUDGET_S + 120);
const FFMPEG = process.env.FFMPEG_BIN ?? DEFAULT_FFMPEG;
const INGRESS_BUFFER = 4 * 1024 * 1024;
/** The bench's own receiving sockets: large, so the receiver is not what drops. */
const RECEIVER_BUFFER = 4 * 1024 * 1024;

const videoSsrc = (site: number): number => clipSsrc(site, 'video');
const audioSsrc = (site: number): number => clipSsrc(site, 'audio');

/** Seat counts of the steps: 0, then STEP_SEATS more each time, capped. */
function seatSteps(): number[] {
  const maxSeats = Math.floor(MAX_CONSUMERS / 2);
  const steps = new Set([0]);
  for (let n = STEP_SEATS; n < maxSeats; n += STEP_SEATS) steps.add(n);
  // The whole network (every seat of every site) is always one of the steps.
  if (SITES * SEATS_PER_SITE <= maxSeats) steps.add(SITES * SEATS_PER_SITE);
  steps.add(maxSeats);
  return [...steps].sort((a, b) => a - b);
}

// ---------------------------------------------------------------- types

interface SeriesSpec {
  key: 'A' | 'B';
  label: string;
  ingressRecvBufferSize: number | undefined;
  portRange: types.TransportPortRange;
}

interface Bot {
  site: number;
  videoTransport: types.PlainTransport;
  audioTransport: types.PlainTransport;
  video: types.Producer;
  audio: types.Producer;
}

interface Seat {
  transport: types.PlainTransport;
  consumers: types.Consumer[];
}

interface StepResult {
  seats: number;
  consumers: number;
  cpu: number;
  loss: number;
  packets: number;
  /** Packets per second the featured producers received from their bots. */
  sourcePps: number;
  ingressDrops: number | undefined;
  receiverDrops: number | undefined;
  benchCpu: number;
}

/** One stream a seat receives: its seat (and so its sink), its SSRC, and which featured producer it comes from. */
interface SeatStream {
  seat: number;
  ssrc: number;
  featured: number;
}

interface Series extends SeriesSpec {
  worker: types.Worker;
  router: types.Router;
  bots: Bot[];
  seats: Seat[];
  streams: SeatStream[];
  featured: types.Producer[];
  results: StepResult[];
  stopped: string | undefined;
}

const SERIES: SeriesSpec[] = [
  { key: 'A', label: 'default socket buffers', ingressRecvBufferSize: undefined, portRange: { min: 20000, max: 24999 } },
  {
    key: 'B',
    label: 'ingress recvBufferSize 4 MiB',
    ingressRecvBufferSize: INGRESS_BUFFER,
    portRange: { min: 25000, max: 29999 },
  },
];

// ---------------------------------------------------------------- state + cleanup

const startedAt = performance.now();
const elapsedS = (): number => (performance.now() - startedAt) / 1000;
const controller = new AbortController();
const { signal } = controller;
const series: Series[] = [];
const workers: types.Worker[] = [];
const ffmpegs: FfmpegSender[] = [];
/** One sink per seat index, shared by both series (seat i of A and of B send to sink i). */
const sinks: RtpSink[] = [];
let cleanedUp = false;

async function cleanup(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  await Promise.allSettled(ffmpegs.map((p) => p.stop(2000)));
  await Promise.all(workers.map((w) => closeWorker(w)));
  for (const sink of sinks) sink.close();
}

/** Closes a worker and waits (bounded) until its process has exited; kills it by pid if it lingers. */
async function closeWorker(w: types.Worker, graceMs = 5000): Promise<void> {
  if (!w.subprocessClosed) {
    const exited = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      w.once('subprocessclose', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    w.close();
    if (!(await exited)) {
      try {
        process.kill(w.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  } else {
    w.close();
  }
}

/** Last resort (watchdog, second Ctrl-C): kill what we started, synchronously. */
function killNow(): void {
  for (const p of ffmpegs) p.kill();
  for (const w of workers) w.close();
}

let interrupts = 0;
function onSignal(sig: NodeJS.Signals): void {
  interrupts++;
  if (interrupts > 1) {
    killNow();
    process.exit(130);
  }
  process.stderr.write(`\n${sig}: stopping and cleaning up...\n`);
  controller.abort(new Error(`interrupted by ${sig}`));
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A soft deadline (abort) and a hard one (kill and exit), both past the budget.
setTimeout(() => controller.abort(new Error('watchdog: run took too long')), (BUDGET_S + 60) * 1000).unref();
setTimeout(
  () => {
    process.stderr.write('watchdog: cleanup did not finish, killing\n');
    killNow();
    process.exit(2);
  },
  (BUDGET_S + 90) * 1000,
).unref();

// ---------------------------------------------------------------- media setup

/** What a seat says it can receive: the router's codecs, without transport-cc/REMB
 * (a plain RTP receiver sends no congestion feedback; with them the transport would
 * run a bandwidth estimator that never gets any). */
const receiverCapabilities = (router: types.Router): types.RtpCapabilities =>
  plainReceiveCapabilities(router.rtpCapabilities) as types.RtpCapabilities;

async function createSeries(spec: SeriesSpec, logLevel: types.WorkerLogLevel): Promise<Series> {
  const worker = await mediasoup.createWorker({ logLevel, appData: { bench: spec.key } });
  workers.push(worker);
  worker.on('died', (err) => controller.abort(new Error(`mediasoup worker ${spec.key} died: ${err.message}`)));
  const s: Series = {
    ...spec,
    worker,
    router: await worker.createRouter({ mediaCodecs: MEDIA_CODECS }),
    bots: [],
    seats: [],
    streams: [],
    featured: [],
    results: [],
    stopped: undefined,
  };
  series.push(s);
  const ingressListen: types.TransportListenInfo = {
    protocol: 'udp',
    ip: LOOPBACK,
    portRange: spec.portRange,
    ...(spec.ingressRecvBufferSize !== undefined ? { recvBufferSize: spec.ingressRecvBufferSize } : {}),
  };
  for (let site = 0; site < SITES; site++) {
    // A comedia PlainTransport locks on to the first source IP:port it hears;
    // ffmpeg sends each RTP output from its own socket, so video and audio each
    // get their own transport.
    const videoTransport = await s.router.createPlainTransport({ listenInfo: ingressListen, rtcpMux: true, comedia: true });
    const audioTransport = await s.router.createPlainTransport({ listenInfo: ingressListen, rtcpMux: true, comedia: true });
    const video = await videoTransport.produce({
      kind: 'video',
      rtpParameters: clipRtpParameters('video', videoSsrc(site), `site-${site}`) as types.RtpParameters,
      appData: { site },
    });
    const audio = await audioTransport.produce({
      kind: 'audio',
      rtpParameters: clipRtpParameters('audio', audioSsrc(site), `site-${site}`) as types.RtpParameters,
      appData: { site },
    });
    s.bots.push({ site, videoTransport, audioTransport, video, audio });
  }
  s.featured = [s.bots[FEATURED_SITE]!.video, s.bots[FLOOR_SITE]!.audio];
  // Idle until its turn.
  for (const p of s.featured) await p.pause();
  return s;
}

/** One ffmpeg per site, copying the clip's packets into RTP for both series. */
function startBot(site: number, clip: string): FfmpegSender {
  return FfmpegSender.start({
    name: `bot-${site + 1}`,
    clipFile: clip,
    ffmpegBin: FFMPEG,
    maxSeconds: FFMPEG_MAX_S,
    outputs: series.flatMap((s) => {
      const bot = s.bots[site]!;
      return [
        {
          kind: 'video' as const,
          host: LOOPBACK,
          port: bot.videoTransport.tuple.localPort,
          ssrc: videoSsrc(site),
          payloadType: VIDEO_PAYLOAD_TYPE,
        },
        {
          kind: 'audio' as const,
          host: LOOPBACK,
          port: bot.audioTransport.tuple.localPort,
          ssrc: audioSsrc(site),
          payloadType: AUDIO_PAYLOAD_TYPE,
        },
      ];
    }),
  });
}

async function addSeat(s: Series, index: number, caps: types.RtpCapabilities): Promise<void> {
  const port = sinks[index]!.port;
  const transport = await s.router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: LOOPBACK, portRange: s.portRange },
    rtcpMux: true,
    comedia: false,
    ...(SEAT_SRTP ? { enableSrtp: true, srtpCryptoSuite: SRTP_SUITE } : {}),
  });
  // With SRTP the RTP header (seq, SSRC) stays in clear, so the receiver still
  // counts; the key given here only matters for SRTCP sent to mediasoup (none).
  await transport.connect({
    ip: LOOPBACK,
    port,
    ...(SEAT_SRTP ? { srtpParameters: { cryptoSuite: SRTP_SUITE, keyBase64: randomBytes(30).toString('base64') } } : {}),
  });
  const consumers: types.Consumer[] = [];
  for (const [featured, producer] of s.featured.entries()) {
    const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: caps });
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc === undefined) throw new Error('consumer without an SSRC');
    s.streams.push({ seat: index, ssrc, featured });
    consumers.push(consumer);
  }
  s.seats[index] = { transport, consumers };
}

async function growSeats(s: Series, seats: number): Promise<void> {
  const caps = receiverCapabilities(s.router);
  for (const p of s.featured) {
    if (!s.router.canConsume({ producerId: p.id, rtpCapabilities: caps })) throw new Error(`cannot consume ${p.kind}`);
  }
  // The sinks are shared by both series (seat i of A and of B send to sink i):
  // open them one by one so their order is stable.
  while (sinks.length < seats) sinks.push(await RtpSink.open({ host: LOOPBACK, recvBufferSize: RECEIVER_BUFFER }));
  const BATCH = 20;
  for (let i = s.seats.length; i < seats; i += BATCH) {
    signal.throwIfAborted();
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(i + BATCH, seats); j++) batch.push(addSeat(s, j, caps));
    await Promise.all(batch);
  }
}

// ---------------------------------------------------------------- measuring

/** Every bot's ffmpeg is still running; an assertion, so that a wait polling it ends at once. */
function assertRunning(): void {
  for (const p of ffmpegs) {
    const failure = p.failure();
    if (failure) assert.fail(failure);
  }
}

/** Packets received so far by each of the series' featured producers (what each seat should get). */
async function featuredPackets(s: Series): Promise<number[]> {
  const stats = await Promise.all(s.featured.map((p) => p.getStats()));
  return stats.map((st) => st.reduce((sum, x) => sum + x.packetCount, 0));
}

/**
 * Loss over the hold at the seats' sinks. `sent` is what each featured producer
 * received in it: a stream that received nothing lost all of that (its sequence
 * numbers cannot say how much was missed).
 */
function lossWindow(streams: readonly SeatStream[], sent: readonly number[]): { received: number; expected: number; lost: number } {
  const figures = sinks.map((sink) => new Map(sink.figures().streams.map((f) => [f.ssrc, f])));
  let received = 0;
  let expected = 0;
  let lost = 0;
  for (const { seat, ssrc, featured } of streams) {
    const got = figures[seat]?.get(ssrc);
    if (!got || got.packets === 0) {
      expected += sent[featured]!;
      lost += sent[featured]!;
      continue;
    }
    received += got.packets;
    expected += got.expected;
    lost += got.lost;
  }
  return { received, expected, lost };
}

async function measure(s: Series, seats: number): Promise<StepResult> {
  await growSeats(s, seats);
  // Only this series' featured producers flow.
  for (const other of series) if (other !== s) for (const p of other.featured) await p.pause();
  for (const p of s.featured) await p.resume();
  await sleep(SETTLE_S * 1000, undefined, { signal });
  assertRunning();

  const ingressPorts = new Set(s.bots.flatMap((b) => [b.videoTransport.tuple.localPort, b.audioTransport.tuple.localPort]));
  const receiverPorts = new Set(sinks.map((sink) => sink.port));
  const ru0 = await s.worker.getResourceUsage();
  const src0 = await featuredPackets(s);
  const cpu0 = process.cpuUsage();
  const in0 = udpDrops(ingressPorts);
  const rx0 = udpDrops(receiverPorts);
  for (const sink of sinks) sink.reset();
  const t0 = performance.now();

  await sleep(HOLD_S * 1000, undefined, { signal });

  const ru1 = await s.worker.getResourceUsage();
  const wallMs = performance.now() - t0;
  const src1 = await featuredPackets(s);
  const sent = src1.map((n, i) => n - src0[i]!);
  const win = lossWindow(s.streams, sent);
  const cpu1 = process.cpuUsage(cpu0);
  const in1 = udpDrops(ingressPorts);
  const rx1 = udpDrops(receiverPorts);
  assertRunning();

  const workerMs = ru1.ru_utime - ru0.ru_utime + (ru1.ru_stime - ru0.ru_stime);
  return {
    seats,
    consumers: s.seats.length * s.featured.length,
    cpu: (100 * workerMs) / wallMs,
    loss: win.expected > 0 ? (100 * win.lost) / win.expected : 0,
    packets: win.received,
    sourcePps: (1000 * sent.reduce((a, b) => a + b, 0)) / wallMs,
    ingressDrops: in0 !== undefined && in1 !== undefined ? in1 - in0 : undefined,
    receiverDrops: rx0 !== undefined && rx1 !== undefined ? rx1 - rx0 : undefined,
    benchCpu: (100 * (cpu1.user + cpu1.system)) / 1000 / wallMs,
  };
}

// ---------------------------------------------------------------- printing

const pad = (v: string, n: number): string => v.padStart(n);
const dropStr = (r: StepResult): string => `${r.ingressDrops ?? '?'}/${r.receiverDrops ?? '?'}`;

/** The bots' packet rate fell this far below the one at 0 seats: they were starved of CPU. */
const STARVED = 0.9;
let nominalPps = 0;

function cells(r: StepResult | undefined): string {
  if (!r) return `${pad('-', 6)} ${pad('-', 7)} ${pad('-', 8)} ${pad('-', 5)} ${pad('-', 9)} ${pad('-', 4)}`;
  const src = r.sourcePps.toFixed(0) + (starved(r) ? '!' : '');
  return (
    `${pad(r.cpu.toFixed(1), 6)} ${pad(r.loss.toFixed(3), 7)} ${pad(String(r.packets), 8)} ` +
    `${pad(src, 5)} ${pad(dropStr(r), 9)} ${pad(r.benchCpu.toFixed(0), 4)}`
  );
}

function printHeader(): void {
  const sub = `${pad('cpu%', 6)} ${pad('loss%', 7)} ${pad('packets', 8)} ${pad('src/s', 5)} ${pad('drop i/r', 9)} ${pad('rx%', 4)}`;
  const a = `A: ${SERIES[0]!.label}`.padEnd(sub.length);
  const b = `B: ${SERIES[1]!.label}`.padEnd(sub.length);
  console.log(`${pad('', 5)} ${pad('', 9)} | ${a} | ${b}`);
  console.log(`${pad('seats', 5)} ${pad('consumers', 9)} | ${sub} | ${sub}`);
}

function printRow(seats: number, rows: (StepResult | undefined)[]): void {
  const consumers = rows.find((r) => r)?.consumers ?? seats * 2;
  console.log(`${pad(String(seats), 5)} ${pad(String(consumers), 9)} | ${rows.map(cells).join(' | ')}`);
}

const starved = (r: StepResult): boolean => nominalPps > 0 && r.sourcePps < STARVED * nominalPps;

/**
 * Largest step consumers such that it and every smaller step were within the
 * limits. A step whose bots were starved understates the load: it is not a pass.
 */
function capacity(results: StepResult[]): number {
  let best = 0;
  for (const r of results) {
    if (r.cpu > OK_CPU || r.loss > OK_LOSS || starved(r)) break;
    best = r.consumers;
  }
  return best;
}

/** Least-squares line cpu% = a + b * consumers; consumers where it reaches OK_CPU. */
function cpuFit(results: StepResult[]): { perHundred: number; base: number; at: number } | undefined {
  const pts = results.filter((r) => r.loss <= STOP_LOSS && !starved(r));
  if (pts.length < 2) return undefined;
  const n = pts.length;
  const mx = pts.reduce((a, r) => a + r.consumers, 0) / n;
  const my = pts.reduce((a, r) => a + r.cpu, 0) / n;
  const sxx = pts.reduce((a, r) => a + (r.consumers - mx) ** 2, 0);
  const sxy = pts.reduce((a, r) => a + (r.consumers - mx) * (r.cpu - my), 0);
  if (sxx === 0 || sxy <= 0) return undefined;
  const b = sxy / sxx;
  const a = my - b * mx;
  return { perHundred: b * 100, base: a, at: (OK_CPU - a) / b };
}

// ---------------------------------------------------------------- main

async function main(): Promise<BenchFigure> {
  try {
    accessSync(mediasoup.workerBin, constants.X_OK);
  } catch {
    throw new Error(
      `the mediasoup worker is missing (${mediasoup.workerBin}); source scripts/env.sh (MEDIASOUP_WORKER_BIN) or run bash scripts/setup.sh worker`,
    );
  }
  if (spawnSync(FFMPEG, ['-hide_banner', '-version'], { stdio: 'ignore' }).status !== 0) throw new Error(`ffmpeg not found at ${FFMPEG}`);
  const { logLevel } = readSfuConfig();

  const clip = await ensureClip(FFMPEG);
  const c = DEFAULT_CLIP;
  console.log(
    `sfu-capacity: mediasoup ${mediasoup.version}, node ${process.version}, ${SITES} bots, seats consume site ${FEATURED_SITE + 1} video + site ${FLOOR_SITE + 1} audio`,
  );
  console.log(
    `clip: VP8 ${c.width}x${c.height} ${c.fps} fps ~${c.videoKbps} kbps keyframe/${c.keyframeSeconds}s + Opus 48 kHz stereo ${c.audioKbps} kbps, ` +
      `${clip.encoded ? 'encoded to' : 'cached at'} ${clip.path}`,
  );

  for (const spec of SERIES) await createSeries(spec, logLevel);
  for (let site = 0; site < SITES; site++) ffmpegs.push(startBot(site, clip.path));

  // Every producer of both series has had RTP from its bot.
  const producers = series.flatMap((s) => s.bots.flatMap((b) => [b.video, b.audio]));
  await waitFor(
    'RTP from all bots',
    async () => {
      assertRunning();
      const stats = await Promise.all(producers.map((p) => p.getStats()));
      return stats.every((st) => st.some((x) => x.packetCount > 0));
    },
    { timeoutMs: 15_000, intervalMs: 250, signal },
  );

  const bufferLine: string[] = [];
  for (const s of series) {
    const ports = new Set(s.bots.flatMap((b) => [b.videoTransport.tuple.localPort, b.audioTransport.tuple.localPort]));
    const rb = [...new Set((await udpRecvBuffers(ports)).values())];
    bufferLine.push(`${s.key} ${rb.length ? rb.join('/') : '?'} bytes`);
  }
  console.log(`effective SO_RCVBUF of the bots' ingress sockets (ss -m): ${bufferLine.join(', ')}`);
  console.log(
    `seats' PlainTransports: ${SEAT_SRTP ? `SRTP ${SRTP_SUITE}, as WebRTC encrypts (SFU_BENCH_SRTP=0 for plain RTP)` : 'plain RTP (SFU_BENCH_SRTP=0)'}`,
  );
  console.log(
    `steps of ${STEP_SEATS} seats (2 consumers each), up to ${MAX_CONSUMERS} consumers; ${SETTLE_S}s settle + ${HOLD_S}s hold per step and series; ` +
      `a series stops past ${STOP_CPU}% CPU or ${STOP_LOSS}% loss; budget ${BUDGET_S}s; ` +
      `the whole network is ${SITES}x${SEATS_PER_SITE} = ${SITES * SEATS_PER_SITE} seats`,
  );
  console.log('');
  printHeader();

  let ended = 'all steps done';
  // Estimated time of the next measurement: grows with the slowest one so far.
  let stepCost = SETTLE_S + HOLD_S + 2;
  outer: for (const seats of seatSteps()) {
    const row: (StepResult | undefined)[] = [];
    for (const s of series) {
      if (s.stopped) {
        row.push(undefined);
        continue;
      }
      if (elapsedS() + stepCost > BUDGET_S) {
        ended = `time budget of ${BUDGET_S}s reached`;
        if (row.some((r) => r)) printRow(seats, [...row, ...series.slice(row.length).map(() => undefined)]);
        break outer;
      }
      const t0 = elapsedS();
      const r = await measure(s, seats);
      stepCost = Math.max(stepCost, elapsedS() - t0 + 1);
      if (seats === 0 && nominalPps === 0) nominalPps = r.sourcePps;
      s.results.push(r);
      row.push(r);
      if (r.cpu > STOP_CPU) s.stopped = `CPU ${r.cpu.toFixed(0)}% > ${STOP_CPU}%`;
      else if (r.loss > STOP_LOSS) s.stopped = `loss ${r.loss.toFixed(2)}% > ${STOP_LOSS}%`;
    }
    printRow(seats, row);
    if (series.every((s) => s.stopped)) {
      ended = 'both series past their limit';
      break;
    }
  }

  console.log('');
  console.log(
    "cpu% = worker CPU (% of one core), loss% = receivers' RTP sequence gaps, packets = RTP packets all seats received in the hold, " +
      `src/s = packets/s into the two featured producers ('!' = below ${STARVED * 100}% of the 0-seat rate: bots starved of CPU), ` +
      "drop i/r = kernel UDP drops at the bots' ingress / the receivers' sockets, rx% = this process's CPU",
  );
  console.log(`ended: ${ended}, after ${elapsedS().toFixed(0)}s`);
  for (const s of series) {
    const fit = cpuFit(s.results);
    const fitText = fit
      ? `linear fit cpu% = ${fit.base.toFixed(1)} + ${fit.perHundred.toFixed(2)} per 100 consumers (${OK_CPU}% at ~${Math.round(fit.at)} consumers)`
      : 'no linear fit';
    console.log(`${s.key} (${s.label}): ${s.stopped ? `stopped at ${s.stopped}` : 'did not reach a limit'}; ${fitText}`);
  }
  const perSeries: Record<string, unknown> = {};
  for (const s of series) {
    const n = capacity(s.results);
    const last = s.results.at(-1);
    const capped = last !== undefined && n === last.consumers && !s.stopped ? `; the largest step run, not a limit` : '';
    console.log(`consumers per worker at <=${OK_CPU}% of one core with loss <=${OK_LOSS}%: ${n} (${s.key}: ${s.label}${capped})`);
    const fit = cpuFit(s.results);
    perSeries[s.key] = {
      label: s.label,
      consumers: n,
      stopped: s.stopped ?? null,
      cpuPerHundredConsumers: fit?.perHundred ?? null,
      steps: s.results,
    };
  }
  return {
    name: 'sfu-consumers-per-worker',
    // The lower of the two series: what one worker carries whichever buffer it has.
    figure: Math.min(...series.map((s) => capacity(s.results))),
    unit: 'consumers',
    goal: { op: '>=', value: GOAL_CONSUMERS },
    details: {
      srtp: SEAT_SRTP,
      limits: { cpuPct: OK_CPU, lossPct: OK_LOSS },
      goalReason: `${SITES} sites x ${SEATS_PER_SITE} seats x 2 streams over 2 workers`,
      ended,
      series: perSeries,
    },
  };
}

let exitCode = 0;
let result: BenchFigure | null = null;
try {
  result = await main();
} catch (err) {
  const reason = signal.aborted ? signal.reason : err;
  console.error(`sfu-capacity: ${reason instanceof Error ? reason.message : String(reason)}`);
  exitCode = interrupts > 0 ? 130 : 1;
} finally {
  await cleanup();
}
if (result) reportResults([result]);
process.exit(exitCode);
