// Packet loss towards the SFU over the last 20 s window above the threshold;
// major at or above `majorThreshold`. Clears below `recoverBelow`.
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, linkEvidence, UNKNOWN } from './rule.ts';

export const lossHigh: IncidentRule<'lossHigh'> = {
  id: 'lossHigh',
  at: 'every-site',
  check(ctx) {
    const loss = ctx.quality.figures.lossPct;
    const s = ctx.settings;
    if (loss === null) return UNKNOWN;
    if (loss > s.threshold) {
      // Two decimals: a loss just past the threshold must not read as the threshold.
      return FIRING({ loss: Math.round(loss * 100) / 100 }, { ...(loss >= s.majorThreshold ? { severity: 'major' as const } : {}), evidence: linkEvidence(ctx) });
    }
    return loss < s.recoverBelow || s.recoverBelow === s.threshold ? CLEAR : UNKNOWN;
  },
};
