// Packet loss towards the SFU over the last 20 s window above the threshold;
// major at or above `majorThreshold`. Clears below `recoverBelow`.
import type { IncidentRule } from './rule.ts';
import { aboveThreshold, linkEvidence } from './rule.ts';

export const lossHigh: IncidentRule<'lossHigh'> = {
  id: 'lossHigh',
  at: 'every-site',
  check(ctx) {
    const loss = ctx.quality.figures.lossPct;
    // Two decimals: a loss just past the threshold must not read as the threshold.
    const v = aboveThreshold(loss, ctx.settings, (l) => ({ loss: Math.round(l * 100) / 100 }));
    if (v.state !== 'firing') return v;
    return { ...v, ...(loss! >= ctx.settings.majorThreshold ? { severity: 'major' as const } : {}), evidence: linkEvidence(ctx) };
  },
};
