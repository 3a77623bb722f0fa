// What a wall tile shows of a site at a moment, derived from the network store:
// heard from or stale, the quality grade and the figures. A stale site claims
// nothing: no grade, no "in a meeting".
import type { ShownGrade } from '@noc/shared/palette';
import { readPower, type PowerReading } from '@noc/shared/site-snapshot';
import { isHeard, SITE_STATE_LIMITS } from '@noc/shared/site-state';
import type { SiteLive } from '../../stores/network.ts';

/** Media figures older than this mean the site is not sending into a meeting now. */
export const MEDIA_FRESH_MS = SITE_STATE_LIMITS.mediaFreshMs;

export type TileState = 'ok' | 'stale' | 'waiting';
export type { ShownGrade };

export type PowerView = PowerReading | { kind: 'unknown' };

export interface SiteView {
  state: TileState;
  /** ms since the last heartbeat; null when none was ever heard. */
  ageMs: number | null;
  grade: ShownGrade;
  mos: number | null;
  rttMs: number | null;
  /** The latest link figures (the grade is what smooths them). */
  lossPct: number | null;
  jitterMs: number | null;
  /** The site is sending into a meeting now. */
  inMeeting: boolean;
  fps: number | null;
  height: number | null;
  width: number | null;
  audioLevel: number | null;
  power: PowerView;
}

export function siteView(site: string, live: SiteLive | undefined, now: number, loaded: boolean): SiteView {
  const beat = live?.lastHeartbeat ?? null;
  const ageMs = beat === null ? null : Math.max(0, now - beat);
  const state: TileState = beat !== null ? (isHeard({ lastHeartbeat: beat }, now) ? 'ok' : 'stale') : loaded ? 'stale' : 'waiting';
  const quality = live?.quality.current(now);
  const fresh = state === 'ok';
  const grade: ShownGrade = fresh && quality?.grade ? quality.grade : 'none';
  const video = live?.video && now - live.video.at <= MEDIA_FRESH_MS ? live.video : null;
  const audio = live?.audio && now - live.audio.at <= MEDIA_FRESH_MS ? live.audio : null;
  const inMeeting = fresh && (video !== null || audio !== null);
  return {
    state,
    ageMs,
    grade,
    mos: fresh ? (quality?.mos ?? null) : null,
    // A stale tile keeps showing the last figures, marked as old.
    rttMs: live?.link?.rttMs ?? null,
    lossPct: live?.link?.lossPct ?? null,
    jitterMs: live?.link?.jitterMs ?? null,
    inMeeting,
    fps: inMeeting ? (video?.fps ?? null) : null,
    width: inMeeting ? (video?.width ?? null) : null,
    height: inMeeting ? (video?.height ?? null) : null,
    audioLevel: inMeeting ? (audio?.level ?? null) : null,
    power: live?.power ? readPower(live.power) : { kind: 'unknown' },
  };
}
