// The probe keeps more and more samples it cannot deliver: over the last
// `windowSeconds` its spool grew to at least `minDepth`, the newest depth the
// highest. A spool draining after an outage of the NOC (falling depths) is a
// probe catching up; the shipped `for` (30 s) lets a drain finish first.
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
    const growing = last[1] >= settings.minDepth && last[1] > first[1] && recent.every(([, d]) => d <= last[1]);
    return growing ? FIRING({ depth: last[1] }, { evidence: { from: first, to: last } }) : CLEAR;
  },
};
