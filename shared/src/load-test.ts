// Capacity tests (kiểm tra tải) before a big training session: what a run is
// asked to do, the thresholds it is judged by, the figures it reports while it
// runs and the verdict it ends with. One set of types for the runner
// (loadtest/), the NOC server that hosts it, the load-test page and the CLI.
import { z } from 'zod';
import { MAX_SEATS_PER_SITE } from './sites.ts';

export const LOAD_TEST_LIMITS = {
  /** Seats per site: the regulation's 40 attendees per point (Điều 2.3, 4.3). */
  maxSeats: MAX_SEATS_PER_SITE,
  minDurationS: 10,
  /** A run never lasts longer than an hour. */
  maxDurationS: 3600,
  /** Real Chromium endpoints (each costs most of a core at start). */
  maxBrowsers: 4,
  maxWalls: 10,
} as const;

export const loadTestThresholdsSchema = z.strictObject({
  /** 95th percentile of the time from opening the signalling to joined with media flowing, ms. */
  joinP95Ms: z.number().positive().max(600_000),
  /** Signalling requests that failed, % of all. */
  signallingErrorPct: z.number().min(0).max(100),
  /** RTP packets missing at the seats' sinks, % of expected. */
  receiverLossPct: z.number().min(0).max(100),
  /** Busiest SFU worker, % of one core (mean over the steady part of the run). */
  workerCpuPct: z.number().positive().max(10_000),
  /** Lowest mean frame rate a Chromium endpoint showed. */
  browserFpsMin: z.number().min(0).max(120),
  /** Longest freeze a Chromium endpoint saw, ms. */
  freezeMaxMs: z.number().min(0).max(600_000),
});
export type LoadTestThresholds = z.infer<typeof loadTestThresholdsSchema>;

export const DEFAULT_LOAD_TEST_THRESHOLDS: LoadTestThresholds = {
  joinP95Ms: 2000,
  signallingErrorPct: 1,
  receiverLossPct: 1,
  workerCpuPct: 70,
  browserFpsMin: 15,
  freezeMaxMs: 1000,
};

const siteId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a site id')
  .max(40);

/** What a run is asked to do. Which site ids exist is checked against the registry where it is known. */
export const loadTestSettingsSchema = z.strictObject({
  scenario: z.enum(['capacity', 'ingest']).default('capacity'),
  /** The sites that take part, each with one site endpoint publishing media and one probe. */
  sites: z
    .array(siteId)
    .min(1)
    .max(64)
    .refine((sites) => new Set(sites).size === sites.length, 'must not name a site twice'),
  seats: z
    .number()
    .int()
    .min(1, 'must be at least 1 seat')
    .max(LOAD_TEST_LIMITS.maxSeats, `must be at most ${LOAD_TEST_LIMITS.maxSeats} seats per site (Điều 2.3)`),
  durationS: z
    .number()
    .int()
    .min(LOAD_TEST_LIMITS.minDurationS, `must be at least ${LOAD_TEST_LIMITS.minDurationS} s`)
    .max(LOAD_TEST_LIMITS.maxDurationS, `must be at most ${LOAD_TEST_LIMITS.maxDurationS} s (an hour)`),
  /** Real Chromium endpoints on the room page. */
  browsers: z.number().int().min(0).max(LOAD_TEST_LIMITS.maxBrowsers).default(1),
  /** Clients holding the live feed, as wall screens do. */
  walls: z.number().int().min(0).max(LOAD_TEST_LIMITS.maxWalls).default(3),
  thresholds: loadTestThresholdsSchema.partial().default({}),
  /** Start even though a real meeting is live. */
  force: z.boolean().default(false),
});
export type LoadTestSettings = z.output<typeof loadTestSettingsSchema>;
export type LoadTestSettingsInput = z.input<typeof loadTestSettingsSchema>;

/** The thresholds a run is judged by: its own, over the defaults. */
export function thresholdsOf(settings: Pick<LoadTestSettings, 'thresholds'>): LoadTestThresholds {
  return { ...DEFAULT_LOAD_TEST_THRESHOLDS, ...settings.thresholds };
}

export interface WorkerFigure {
  /** `<node>/<worker pid>`, e.g. `main/12345`. */
  worker: string;
  cpuPct: number;
  consumers: number;
}

/** What a run shows while it runs, every couple of seconds. Absent figures are not measured (yet). */
export interface LoadTestFigures {
  /** ms since the epoch. */
  t: number;
  seatsWanted: number;
  seatsJoined: number;
  joinP95Ms: number | null;
  signallingRequests: number;
  signallingErrors: number;
  workers: WorkerFigure[];
  /** Consumers on every worker of every node. */
  consumers: number;
  receiverLossPct: number | null;
  /** Lowest frame rate among the Chromium endpoints over the last period. */
  browserFps: number | null;
  /** Longest time from opening the room page to its first decoded picture. */
  firstPictureMs: number | null;
  freezeMaxMs: number | null;
  audioJitterMs: number | null;
  /** CPU of the load generator (Artillery, ffmpeg, browsers, sinks), % of one core, apart from the SFU's. */
  generatorCpuPct: number | null;
  /** Ingest scenario: the gateway's acknowledgement latency p95 and the rate offered. */
  ingestAckP95Ms?: number | null;
  ingestRate?: number | null;
  /** Capacity scenario with walls: the wall clients holding the live feed now, the events they received so far. */
  wallsConnected?: number;
  liveFeedEvents?: number;
  /** p95 of the delay of the live feed's `samples` events at the walls (arrival minus the sample's time), ms. */
  liveFeedDelayP95Ms?: number | null;
}

/** One point of the measured curve: consumers against the busiest worker's CPU and the loss. */
export interface CurvePoint {
  consumers: number;
  cpuPct: number;
  lossPct: number | null;
}

/** `seatsJoined` is checked against the seats asked for; the others against their threshold. */
export const LOAD_TEST_CHECKS = [
  'seatsJoined',
  'joinP95Ms',
  'signallingErrorPct',
  'receiverLossPct',
  'workerCpuPct',
  'browserFpsMin',
  'freezeMaxMs',
] as const;
export type LoadTestCheckName = (typeof LOAD_TEST_CHECKS)[number];

export interface LoadTestCheck {
  name: LoadTestCheckName;
  /** The measured figure; null when nothing measured it (then the check fails: a run that measured nothing does not hold). */
  value: number | null;
  limit: number;
  /** How the value must compare with the limit. */
  op: '<=' | '>=';
  ok: boolean;
}

export interface LoadTestVerdict {
  holds: boolean;
  checks: LoadTestCheck[];
  /** Consumers per worker where the fitted curve reaches the CPU threshold; null without two points to fit. */
  ceilingConsumersPerWorker: number | null;
  /** About how many seats the nodes' workers carry before one passes the CPU threshold. */
  ceilingSeats: number | null;
}

/** The figures a verdict is taken on: the run's summary. */
export interface LoadTestSummary {
  seatsWanted: number;
  seatsJoined: number;
  joinP95Ms: number | null;
  signallingErrorPct: number | null;
  receiverLossPct: number | null;
  /** Busiest worker, mean over the steady part. */
  workerCpuPct: number | null;
  workers: WorkerFigure[];
  /** The workers of the node that carries the meeting: the curve and the ceiling are per one of them. */
  meetingWorkers?: number;
  consumers: number;
  browserFpsMin: number | null;
  firstPictureMs: number | null;
  freezeMaxMs: number | null;
  audioJitterMs: number | null;
  generatorCpuPct: number | null;
  /** Ingest scenario: the rate (samples/s) at which the acknowledgement latency left its threshold. */
  ingestBreakRate?: number | null;
  /** Capacity scenario with walls: the most wall clients that held the live feed at once. Not a threshold. */
  wallsConnected?: number;
  /** … the events they received over the run, and the p95 of the delay of `samples` events, ms. Not a threshold. */
  liveFeedEvents?: number;
  liveFeedDelayP95Ms?: number | null;
}

export const LOAD_TEST_STATUSES = ['running', 'stopping', 'finished', 'stopped', 'failed'] as const;
export type LoadTestStatus = (typeof LOAD_TEST_STATUSES)[number];

/** A run that has not ended yet. */
export const isLive = (status: LoadTestStatus): boolean => status === 'running' || status === 'stopping';

export interface LoadTestRun {
  id: number;
  settings: LoadTestSettings;
  status: LoadTestStatus;
  /** Who started it (a user name, or `cli`). */
  startedBy: string;
  startedAt: number;
  endedAt: number | null;
  /** Why it stopped before its duration, or why it failed. */
  reason: string | null;
  summary: LoadTestSummary | null;
  curve: CurvePoint[];
  verdict: LoadTestVerdict | null;
}
