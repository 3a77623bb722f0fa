// The E-model MOS of the last 20 s window (quality.ts) below the threshold.
import type { IncidentRule } from './rule.ts';
import { belowThreshold, linkEvidence } from './rule.ts';

export const mosLow: IncidentRule<'mosLow'> = {
  id: 'mosLow',
  at: 'every-site',
  check(ctx) {
    const v = belowThreshold(ctx.quality.mos, ctx.settings, (mos) => ({ mos: Math.round(mos * 100) / 100 }));
    return v.state === 'firing' ? { ...v, evidence: linkEvidence(ctx) } : v;
  },
};
