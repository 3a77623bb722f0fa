// The probe keeps more and more samples it cannot deliver: its spool holds at
// least `minDepth` and grew over the last `windowSeconds`.
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, UNKNOWN } from './rule.ts';

export const spoolGrowing: IncidentRule<'spoolGrowing'> = {
  id: 'spoolGrowing',
  at: 'every-site',
  check({ now, site, settings }) {
    const recent = site.spool.filter(([t]) => t >= now - settings.windowSeconds * 1000 && t <= now);
    const first = recent[0];
    const last = recent.at(-1);
    if (!first || !last || first === last) return UNKNOWN;
    if (last[1] >= settings.minDepth && last[1] > first[1]) return FIRING({ depth: last[1] }, { evidence: { from: first, to: last } });
    return CLEAR;
  },
};
