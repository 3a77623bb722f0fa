// The UPS is not being read: NUT answers something other than status flags
// (DRIVER-NOT-CONNECTED, DATA-STALE …), so the site's power is unknown.
import { readPower } from '@noc/shared/site-snapshot';
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, fresh, UNKNOWN } from './rule.ts';

export const upsLost: IncidentRule<'upsLost'> = {
  id: 'upsLost',
  at: 'every-site',
  check({ now, site }) {
    if (!site.power || !fresh(site.power, now)) return UNKNOWN;
    const reading = readPower(site.power);
    return reading.kind === 'lost' ? FIRING({ status: reading.status }, { evidence: { ...site.power } }) : CLEAR;
  },
};
