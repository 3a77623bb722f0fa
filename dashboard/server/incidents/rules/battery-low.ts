// On battery with little left: NUT's low-battery flag, charge or runtime under
// the settings' floor, or runtime shorter than the time left in the running
// meeting the site is invited to.
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, fresh, UNKNOWN } from './rule.ts';

export const batteryLow: IncidentRule<'batteryLow'> = {
  id: 'batteryLow',
  at: 'every-site',
  check({ now, site, settings, meeting }) {
    const p = site.power;
    if (!p || !fresh(p, now)) return UNKNOWN;
    const flags = new Set((p.status ?? '').trim().split(/\s+/));
    const onBattery = p.onMains === false || flags.has('OB');
    if (!onBattery) return CLEAR;
    const reasons: string[] = [];
    if (flags.has('LB')) reasons.push('ups-low-battery');
    if (p.batteryPct !== undefined && p.batteryPct <= settings.minBatteryPct) reasons.push('charge');
    if (p.runtimeS !== undefined && p.runtimeS <= settings.minRuntimeSeconds) reasons.push('runtime');
    const leftS = meeting ? Math.max(0, (meeting.endsAt - now) / 1000) : null;
    if (leftS !== null && p.runtimeS !== undefined && p.runtimeS < leftS) reasons.push('meeting');
    if (reasons.length === 0) return CLEAR;
    const params: Record<string, string | number> = { reason: reasons[0]! };
    if (p.batteryPct !== undefined) params.pct = Math.round(p.batteryPct);
    if (p.runtimeS !== undefined) params.minutes = Math.floor(p.runtimeS / 60);
    if (leftS !== null) params.meetingMinutesLeft = Math.ceil(leftS / 60);
    return FIRING(params, { evidence: { ...p, reasons, meetingEndsAt: meeting?.endsAt ?? null } });
  },
};
