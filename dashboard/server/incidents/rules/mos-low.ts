// The E-model MOS of the last 20 s window (quality.ts) below the threshold.
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, linkEvidence, UNKNOWN } from './rule.ts';

export const mosLow: IncidentRule<'mosLow'> = {
  id: 'mosLow',
  at: 'every-site',
  check(ctx) {
    const score = ctx.quality.mos;
    if (score === null) return UNKNOWN;
    if (score < ctx.settings.threshold) return FIRING({ mos: Math.round(score * 100) / 100 }, { evidence: linkEvidence(ctx) });
    return score > ctx.settings.recoverAbove || ctx.settings.recoverAbove === ctx.settings.threshold ? CLEAR : UNKNOWN;
  },
};
