// On battery with little left: NUT's low-battery flag, charge or runtime under
// the settings' floor, or runtime shorter than the time left in the running
// meeting the site is invited to. A UPS that is not being read says nothing.
import { lowBatteryReasons, readPower } from '@noc/shared/site-snapshot';
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, fresh, UNKNOWN } from './rule.ts';

export const batteryLow: IncidentRule<'batteryLow'> = {
  id: 'batteryLow',
  at: 'every-site',
  check({ now, site, settings, meeting }) {
    const p = site.power;
    if (!p || !fresh(p, now)) return UNKNOWN;
    const reading = readPower(p);
    if (reading.kind === 'lost') return UNKNOWN;
    if (reading.kind === 'mains') return CLEAR;
    const reasons: string[] = lowBatteryReasons(p, {
      batteryLowPct: settings.minBatteryPct,
      batteryLowRuntimeS: settings.minRuntimeSeconds,
    });
    const leftS = meeting ? Math.max(0, (meeting.endsAt - now) / 1000) : null;
    if (leftS !== null && p.runtimeS !== undefined && p.runtimeS < leftS) reasons.push('meeting');
    if (reasons.length === 0) return CLEAR;
    const params: Record<string, string | number> = { reason: reasons[0]! };
    if (reading.pct !== null) params.pct = reading.pct;
    if (reading.minutes !== null) params.minutes = reading.minutes;
    if (leftS !== null) params.meetingMinutesLeft = Math.ceil(leftS / 60);
    return FIRING(params, { evidence: { ...p, reasons, meetingEndsAt: meeting?.endsAt ?? null } });
  },
};
