// Whether the network was shown to hold before the next tập huấn: the next
// planned training (an occurrence of the meeting plans) within `daysBefore` days, and the latest capacity test
// that ended since that many days before it (finished or failed; a run stopped
// by hand says nothing either way).
import type { LoadTestRun } from '@noc/shared/load-test';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { NOC_TIME_ZONE } from '@noc/shared/zoned-time';

const DAY_MS = 24 * 3600_000;

export interface TrainingReadiness {
  training: PlanOccurrence;
  /** Its day on the NOC's clock (Asia/Ho_Chi_Minh), dd/mm/yyyy. */
  date: string;
  /** The latest judged run in the window before it, or null when none ended there. */
  run: LoadTestRun | null;
}

/** Runs that ended in [from, to), newest first. */
export type RunsEndedBetween = (from: number, to: number) => LoadTestRun[];

/** The planned meetings overlapping [from, to), by start (`ctx.plans.occurrences`). */
export type PlannedBetween = (from: number, to: number) => readonly PlanOccurrence[];

export function trainingReadiness(
  planned: PlannedBetween | null,
  runsEnded: RunsEndedBetween,
  now: number,
  daysBefore: number,
): TrainingReadiness | null {
  if (!planned) return null;
  const training = planned(now, now + daysBefore * DAY_MS).find((m) => m.kind === 'tap-huan' && m.start > now);
  if (!training) return null;
  const judged = runsEnded(training.start - daysBefore * DAY_MS, now + 1).filter(
    (r) => r.settings.scenario === 'capacity' && (r.status === 'finished' || r.status === 'failed'),
  );
  const date = new Intl.DateTimeFormat('en-GB', { timeZone: NOC_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    training.start,
  );
  return { training, date, run: judged[0] ?? null };
}

/** How long an answer of `readinessReader` stands: runs end and days pass far more slowly than the engine ticks. */
const READINESS_FRESH_MS = 2000;

/**
 * `trainingReadiness` for the incident engine, which asks on every tick:
 * each answer (per `daysBefore`) is kept for a few seconds, so the plans
 * and the run records are read a few times a minute, not twice a second.
 */
export function readinessReader(
  planned: PlannedBetween | null,
  runsEnded: RunsEndedBetween,
): (now: number, daysBefore: number) => TrainingReadiness | null {
  const kept = new Map<number, { at: number; answer: TrainingReadiness | null }>();
  return (now, daysBefore) => {
    const hit = kept.get(daysBefore);
    if (hit && now >= hit.at && now - hit.at < READINESS_FRESH_MS) return hit.answer;
    const answer = trainingReadiness(planned, runsEnded, now, daysBefore);
    kept.set(daysBefore, { at: now, answer });
    return answer;
  };
}

/** What a judged run fell short on: the failed checks' names, or why it failed. */
export function shortfallOf(run: LoadTestRun): string {
  const failed = run.verdict?.checks.filter((c) => !c.ok).map((c) => c.name) ?? [];
  if (failed.length > 0) return failed.join(', ');
  return run.reason ?? run.status;
}

/** A run holds when it finished and its verdict says so. */
export const runHolds = (run: LoadTestRun): boolean => run.status === 'finished' && run.verdict?.holds === true;
