// The room is too humid for the equipment (Điều 6.2).
import type { IncidentRule } from './rule.ts';
import { aboveThreshold, fresh, UNKNOWN } from './rule.ts';

export const humidityHigh: IncidentRule<'humidityHigh'> = {
  id: 'humidityHigh',
  at: 'every-site',
  check({ now, site, settings }) {
    if (!site.env || !fresh(site.env, now)) return UNKNOWN;
    return aboveThreshold(site.env.humidityPct ?? null, settings, (humidity) => ({ humidity: Math.round(humidity) }));
  },
};
