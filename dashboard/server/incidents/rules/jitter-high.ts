// Jitter towards the SFU, mean of the last 20 s window.
import type { IncidentRule, Verdict } from './rule.ts';
import { aboveThreshold, linkEvidence, round1 } from './rule.ts';

export const jitterHigh: IncidentRule<'jitterHigh'> = {
  id: 'jitterHigh',
  at: 'every-site',
  check(ctx): Verdict {
    const v = aboveThreshold(ctx.quality.figures.jitterMs, ctx.settings, (jitter) => ({ jitter: round1(jitter) }));
    return v.state === 'firing' ? { ...v, evidence: linkEvidence(ctx) } : v;
  },
};
