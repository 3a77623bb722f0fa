// The verdict of a capacity test: every threshold checked against the run's
// summary, and the ceiling the measured curve points to. Pure, so the runner,
// the page and the tests judge a run the same way.
import type { CurvePoint, LoadTestCheck, LoadTestCheckName, LoadTestSummary, LoadTestThresholds, LoadTestVerdict } from './load-test.ts';

/** What a seat receives: the featured site's video and the floor's audio. */
export const CONSUMERS_PER_SEAT = 2;

const RULES: {
  name: Exclude<LoadTestCheckName, 'seatsJoined'>;
  op: '<=' | '>=';
  value: (s: LoadTestSummary) => number | null;
  browser?: true;
}[] = [
  { name: 'joinP95Ms', op: '<=', value: (s) => s.joinP95Ms },
  { name: 'signallingErrorPct', op: '<=', value: (s) => s.signallingErrorPct },
  { name: 'receiverLossPct', op: '<=', value: (s) => s.receiverLossPct },
  { name: 'workerCpuPct', op: '<=', value: (s) => s.workerCpuPct },
  { name: 'browserFpsMin', op: '>=', value: (s) => s.browserFpsMin, browser: true },
  { name: 'freezeMaxMs', op: '<=', value: (s) => s.freezeMaxMs, browser: true },
];

/**
 * Least-squares line through (consumers per worker, CPU %) and where it
 * reaches `cpuLimit`. Null when the points do not rise (fewer than two
 * distinct loads, or CPU that does not grow with them).
 */
export function extrapolateCeiling(curve: CurvePoint[], workers: number, cpuLimit: number): number | null {
  const points = curve.filter((p) => p.consumers > 0).map((p) => ({ x: p.consumers / Math.max(1, workers), y: p.cpuPct }));
  if (new Set(points.map((p) => p.x)).size < 2) return null;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const slope = sxy / sxx;
  if (!(slope > 0)) return null;
  const intercept = my - slope * mx;
  return Math.max(0, Math.round((cpuLimit - intercept) / slope));
}

export function judgeLoadTest(
  summary: LoadTestSummary,
  thresholds: LoadTestThresholds,
  curve: CurvePoint[],
  opts: { browsers: number; workers: number },
): LoadTestVerdict {
  const joined: LoadTestCheck = {
    name: 'seatsJoined',
    value: summary.seatsJoined,
    limit: summary.seatsWanted,
    op: '>=',
    ok: summary.seatsJoined >= summary.seatsWanted,
  };
  const checks: LoadTestCheck[] = RULES.filter((r) => !r.browser || opts.browsers > 0).map((r) => {
    const value = r.value(summary);
    const limit = thresholds[r.name];
    const ok = value !== null && Number.isFinite(value) && (r.op === '<=' ? value <= limit : value >= limit);
    return { name: r.name, value, limit, op: r.op, ok };
  });
  const perWorker = extrapolateCeiling(curve, opts.workers, thresholds.workerCpuPct);
  return {
    // Every seat must have joined, or the figures describe a smaller meeting than the one asked for.
    holds: joined.ok && checks.every((c) => c.ok),
    checks: [joined, ...checks],
    ceilingConsumersPerWorker: perWorker,
    ceilingSeats: perWorker === null ? null : Math.floor((perWorker * Math.max(1, opts.workers)) / CONSUMERS_PER_SEAT),
  };
}
