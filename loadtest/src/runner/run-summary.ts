// From what a run measured to its summary and curve: the figures every couple
// of seconds become the curve (consumers against the busiest worker's CPU and
// the loss), and the steady part of the run (after the seats' ramp) gives the
// busiest worker's mean CPU.
import type { CurvePoint, LoadTestFigures, LoadTestSummary, WorkerFigure } from '@noc/shared/load-test';
import type { FigureTally } from './figure-tally.ts';

export function busiestCpu(workers: WorkerFigure[]): number | null {
  return workers.length ? Math.max(...workers.map((w) => w.cpuPct)) : null;
}

/** One point per figure that saw a worker. */
export function curveOf(figures: LoadTestFigures[]): CurvePoint[] {
  return figures.flatMap((f) => {
    const cpu = busiestCpu(f.workers);
    return cpu === null
      ? []
      : [{ consumers: f.consumers, cpuPct: round(cpu), lossPct: f.receiverLossPct === null ? null : round(f.receiverLossPct) }];
  });
}

function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const roundOrNull = (n: number | null): number | null => (n === null ? null : round(n));

export interface SummaryInput {
  seatsWanted: number;
  tally: FigureTally;
  figures: LoadTestFigures[];
  /** Figures from this moment on are the steady part (seats have joined). */
  steadyFrom: number;
  ingestBreakRate?: number | null;
  /** The run played wall clients: their figures go in the summary. */
  walls?: boolean;
}

export function summarise(input: SummaryInput): LoadTestSummary {
  const { tally, figures } = input;
  const steady = figures.filter((f) => f.t >= input.steadyFrom);
  const part = steady.length ? steady : figures;
  const cpus = part.map((f) => busiestCpu(f.workers)).filter((c): c is number => c !== null);
  // The workers as they were at the fullest moment of the run.
  const fullest = [...figures].sort((a, b) => b.consumers - a.consumers)[0];
  const generator = part.map((f) => f.generatorCpuPct).filter((c): c is number => c !== null);
  return {
    seatsWanted: input.seatsWanted,
    seatsJoined: Math.max(0, ...figures.map((f) => f.seatsJoined), tally.seatsJoined),
    joinP95Ms: roundOrNull(tally.joinP95Ms()),
    signallingErrorPct: roundOrNull(tally.signallingErrorPct()),
    receiverLossPct: roundOrNull(tally.receiverLossPct()),
    workerCpuPct: roundOrNull(mean(cpus)),
    workers: fullest?.workers ?? [],
    // The meeting runs on the main node; the backup's workers only keep its copy.
    meetingWorkers: Math.max(
      1,
      new Set(figures.flatMap((f) => f.workers.filter((w) => w.worker.startsWith('main/')).map((w) => w.worker))).size,
    ),
    consumers: fullest?.consumers ?? 0,
    browserFpsMin: roundOrNull(tally.browserFpsMin()),
    firstPictureMs: roundOrNull(tally.firstPictureMs()),
    freezeMaxMs: roundOrNull(tally.freezeMaxMs()),
    audioJitterMs: roundOrNull(tally.audioJitterMs()),
    generatorCpuPct: roundOrNull(mean(generator)),
    ...(input.walls
      ? {
          wallsConnected: tally.wallsConnectedMost,
          liveFeedEvents: tally.liveFeedEvents,
          liveFeedDelayP95Ms: roundOrNull(tally.liveFeedDelayP95Ms()),
        }
      : {}),
    ...(input.ingestBreakRate !== undefined ? { ingestBreakRate: input.ingestBreakRate } : {}),
  };
}
