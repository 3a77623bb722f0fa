// No heartbeat from the site's probe for `silentSeconds`. Counted from the last
// heartbeat, or from when the engine began listening (a restarted server does
// not call every site offline before their probes had a chance to speak; nor
// does it call one back before it spoke: until then the answer is unknown).
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, UNKNOWN } from './rule.ts';

export const siteOffline: IncidentRule<'siteOffline'> = {
  id: 'siteOffline',
  at: 'every-site',
  check({ now, site, settings, listeningSince }) {
    const heard = Math.max(site.lastHeartbeat ?? 0, listeningSince);
    const silentMs = now - heard;
    if (silentMs < settings.silentSeconds * 1000)
      return site.lastHeartbeat !== null && site.lastHeartbeat >= listeningSince ? CLEAR : UNKNOWN;
    return FIRING(
      { silentSeconds: Math.floor(silentMs / 1000) },
      { evidence: { lastHeartbeat: site.lastHeartbeat, silentSeconds: Math.floor(silentMs / 1000) } },
    );
  },
};
