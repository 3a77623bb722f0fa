// During a meeting the site is invited to: the video its room sends runs below
// `minFps` (0 when frozen). Outside a meeting, or without figures from the
// room, there is nothing to tell.
import type { IncidentRule } from './rule.ts';
import { CLEAR, FIRING, UNKNOWN } from './rule.ts';

/** Room figures older than this are not "now". */
const VIDEO_MAX_AGE_MS = 10_000;

export const videoFrozen: IncidentRule<'videoFrozen'> = {
  id: 'videoFrozen',
  at: 'every-site',
  check({ now, site, settings, meeting }) {
    if (!meeting) return CLEAR;
    const v = site.video;
    if (!v || now - v.at > VIDEO_MAX_AGE_MS || v.fps === null) return UNKNOWN;
    if (v.fps >= settings.minFps) return CLEAR;
    return FIRING({ fps: Math.round(v.fps), meeting: meeting.record.title }, { evidence: { ...v } });
  },
};
