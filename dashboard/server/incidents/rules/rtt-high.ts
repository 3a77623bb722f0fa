// Round-trip time towards the SFU, mean of the last 20 s window.
import type { IncidentRule, Verdict } from './rule.ts';
import { aboveThreshold, linkEvidence } from './rule.ts';

export const rttHigh: IncidentRule<'rttHigh'> = {
  id: 'rttHigh',
  at: 'every-site',
  check(ctx): Verdict {
    const v = aboveThreshold(ctx.quality.figures.rttMs, ctx.settings, (rtt) => ({ rtt: Math.round(rtt) }));
    return v.state === 'firing' ? { ...v, evidence: linkEvidence(ctx) } : v;
  },
};
