// The room is too hot for the equipment (Điều 6.2).
import type { IncidentRule } from './rule.ts';
import { aboveThreshold, fresh, round1, UNKNOWN } from './rule.ts';

export const tempHigh: IncidentRule<'tempHigh'> = {
  id: 'tempHigh',
  at: 'every-site',
  check({ now, site, settings }) {
    if (!site.env || !fresh(site.env, now)) return UNKNOWN;
    return aboveThreshold(site.env.tempC ?? null, settings, (temp) => ({ temp: round1(temp) }));
  },
};
