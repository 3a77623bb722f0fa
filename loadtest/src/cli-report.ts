// What the CLI prints: a live line while a run lasts, and at the end the
// checks, the ceiling and the figures, with the RESULT line last
// (shared/src/bench-result.ts) and the same figures in
// bench-results/loadtest-<scenario>.json.
import type { LoadTestFigures, LoadTestRun } from '@noc/shared/load-test';
import { reportResults, type BenchFigure } from '@noc/shared/bench-result';
import { busiestCpu } from './runner/run-summary.ts';

const n = (v: number | null | undefined, unit = '', digits = 0): string =>
  v === null || v === undefined ? '–' : `${v.toFixed(digits)}${unit}`;

export function liveLine(f: LoadTestFigures, elapsedS: number): string {
  if (f.ingestRate !== undefined) {
    return [
      `${String(Math.round(elapsedS)).padStart(4)} s`,
      `ingest ${n(f.ingestRate, ' samples/s')}`,
      `ack p95 ${n(f.ingestAckP95Ms, ' ms')}`,
      `generator ${n(f.generatorCpuPct, '%')}`,
    ].join(' · ');
  }
  const busiest = busiestCpu(f.workers);
  const parts = [
    `${String(Math.round(elapsedS)).padStart(4)} s`,
    `seats ${f.seatsJoined}/${f.seatsWanted}`,
    `join p95 ${n(f.joinP95Ms, ' ms')}`,
    `consumers ${f.consumers}`,
    `busiest worker ${n(busiest, '%', 1)}`,
    `loss ${n(f.receiverLossPct, '%', 2)}`,
    `signalling errors ${f.signallingErrors}/${f.signallingRequests}`,
    `browser ${n(f.browserFps, ' fps', 1)}`,
    ...(f.wallsConnected === undefined ? [] : [`walls ${f.wallsConnected} (feed delay p95 ${n(f.liveFeedDelayP95Ms, ' ms')})`]),
    `generator ${n(f.generatorCpuPct, '%')}`,
  ];
  return parts.join(' · ');
}

/**
 * Prints the end of a run; returns the exit code: 0 when a capacity run holds,
 * or an ingest run found where the gateway leaves its threshold.
 * `ingestMaxRate`: the highest rate the ingest scenario offered.
 */
export function printOutcome(run: LoadTestRun, ingestMaxRate: number | null, print: (line: string) => void = console.log): number {
  print('');
  print(`load test #${run.id} ${run.status}${run.reason ? `: ${run.reason}` : ''}`);
  const { summary, verdict } = run;
  if (!summary || !verdict) {
    print('no summary: the run measured nothing');
    return 1;
  }
  const ingest = run.settings.scenario === 'ingest';
  if (ingest) {
    print(
      summary.ingestBreakRate
        ? `ingest: the acknowledgement p95 left its threshold at ${n(summary.ingestBreakRate, ' samples/s')}`
        : `ingest: the acknowledgement p95 stayed within its threshold up to ${n(ingestMaxRate, ' samples/s')}`,
    );
  } else {
    for (const c of verdict.checks)
      print(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(20)} ${n(c.value, '', 2).padStart(10)} ${c.op} ${c.limit}`);
    print(
      verdict.ceilingSeats === null
        ? 'ceiling: the curve gives none (it needs two loads with CPU rising)'
        : `ceiling: about ${verdict.ceilingConsumersPerWorker} consumers per worker, ${verdict.ceilingSeats} seats on these workers`,
    );
    if (summary.wallsConnected !== undefined) {
      print(
        `walls: ${summary.wallsConnected}/${run.settings.walls} on the live feed, ${summary.liveFeedEvents ?? 0} events, ` +
          `sample delay p95 ${n(summary.liveFeedDelayP95Ms, ' ms')} (not a check)`,
      );
    }
    print(`verdict: ${verdict.holds ? 'HOLDS' : 'DOES NOT HOLD'}`);
  }
  const figure: BenchFigure = {
    name: `loadtest-${run.settings.scenario}`,
    figure: summary.seatsJoined,
    unit: 'seats',
    goal: { op: '>=', value: summary.seatsWanted },
    details: {
      run: run.id,
      status: run.status,
      reason: run.reason,
      settings: run.settings,
      holds: verdict.holds,
      checks: verdict.checks,
      sfuCpuPerWorker: summary.workers.map((w) => ({ worker: w.worker, cpuPct: w.cpuPct, consumers: w.consumers })),
      workerCpuPct: summary.workerCpuPct,
      consumers: summary.consumers,
      receiverLossPct: summary.receiverLossPct,
      browserFpsMin: summary.browserFpsMin,
      firstPictureMs: summary.firstPictureMs,
      joinP95Ms: summary.joinP95Ms,
      ceilingConsumersPerWorker: verdict.ceilingConsumersPerWorker,
      ceilingSeats: verdict.ceilingSeats,
      generatorCpuPct: summary.generatorCpuPct,
      wallsConnected: summary.wallsConnected ?? null,
      liveFeedEvents: summary.liveFeedEvents ?? null,
      liveFeedDelayP95Ms: summary.liveFeedDelayP95Ms ?? null,
      ingestBreakRate: summary.ingestBreakRate ?? null,
      ingestMaxRate,
      curve: run.curve,
    },
  };
  reportResults([figure]);
  if (ingest) return summary.ingestBreakRate ? 0 : 1;
  return verdict.holds ? 0 : 1;
}
