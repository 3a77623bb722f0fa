// A capacity test that did not hold before a scheduled tập huấn ("Kiểm tra tải
// không đạt trước tập huấn"): checked at the main point (the Sở runs the
// training). It clears when a later run holds, or once the training has begun.
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING } from './rule.ts';
import { runHolds, shortfallOf } from '../../load-tests/training-readiness.ts';

export const loadTestFailed: IncidentRule<'loadTestFailed'> = {
  id: 'loadTestFailed',
  at: 'main',
  check(ctx) {
    const readiness = ctx.trainingReadiness(ctx.settings.daysBefore);
    if (!readiness?.run || runHolds(readiness.run)) return CLEAR;
    const { run, training } = readiness;
    return FIRING(
      { run: run.id, training: training.title, date: readiness.date, failed: shortfallOf(run) },
      { evidence: { run: run.id, status: run.status, reason: run.reason, checks: run.verdict?.checks ?? [] } },
    );
  },
};
