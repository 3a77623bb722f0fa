// The UPS runs on battery (NUT `OB`, or on_mains false): major, at once.
import { readPower } from '@noc/shared/site-snapshot';
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, fresh, UNKNOWN } from './rule.ts';

export const onBattery: IncidentRule<'onBattery'> = {
  id: 'onBattery',
  at: 'every-site',
  check({ now, site }) {
    if (!site.power || !fresh(site.power, now)) return UNKNOWN;
    const reading = readPower(site.power);
    if (reading.kind === 'lost') return UNKNOWN;
    if (reading.kind === 'mains') return CLEAR;
    const params: Record<string, number> = {};
    if (reading.pct !== null) params.pct = reading.pct;
    if (reading.minutes !== null) params.minutes = reading.minutes;
    return FIRING(params, { evidence: { ...site.power } });
  },
};
