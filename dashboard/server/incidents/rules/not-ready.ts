// A site the readiness check (Điều 8.2) found not ready for a meeting
// ("Điểm cầu chưa sẵn sàng cho cuộc họp …"): it fires while the site's latest
// check for a meeting not over yet says not ready, and clears when a later
// check finds it ready or the meeting has passed.
import { NOC_TIME_ZONE } from '@noc/shared/zoned-time';
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING } from './rule.ts';

const when = new Intl.DateTimeFormat('en-GB', {
  timeZone: NOC_TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export const notReady: IncidentRule<'notReady'> = {
  id: 'notReady',
  at: 'every-site',
  check(ctx) {
    const found = ctx.notReady();
    if (!found) return CLEAR;
    return FIRING(
      { meeting: found.title, date: when.format(found.startsAt).replace(',', ''), count: found.reasons.length },
      { evidence: { occurrence: found.occurrence, reasons: found.reasons } },
    );
  },
};
