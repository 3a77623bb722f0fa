// A site's current state, folded from its samples: the one reducer the
// incident engine (server), the wall and the site page all use. It reads no
// clock and does no I/O: the caller passes the moment (`now`) and, for a
// sample that came through the ingest gateway, when it arrived there
// (`receivedAt`); the same state and samples always give the same result.
//
// When a site was last heard (`lastHeartbeat`) is on the NOC's clock, not the
// probe's: what tells the NOC that a site is alive now is a heartbeat arriving
// now. A probe's clock can be wrong (late, or ahead), and a probe that was cut
// off replays its spool later, so a heartbeat's own time alone says neither. The rule:
//
// - A heartbeat counts at its arrival, or up to the delivery allowance (a
//   probe's sender sends once a second) earlier when its own time says it was
//   taken then: at min(arrival, max(own time, arrival − allowance)). So a
//   clock running ahead claims nothing beyond the arrival, a clock running late
//   nothing before arrival − allowance, and with a right clock the site goes
//   silent a window after its last heartbeat was taken, not after it was sent.
// - The probe's lag is how far its heartbeats' arrival trails their own time
//   (network delay plus the error of its clock). The first heartbeat the NOC
//   hears from a site sets it (the NOC cannot know the probe's clock before).
// - A heartbeat is live when it arrives within the heartbeat window of when a
//   heartbeat of that time should arrive: lag ≤ max(known lag, 0) + window; its
//   lag becomes the known lag. While the site is heard (its last heartbeat
//   within the window of this arrival), any heartbeat that arrives is live too,
//   so a probe whose clock jumps back stays heard (the known lag is kept).
// - Any other heartbeat is replayed (a spool, a retried batch) or out of order:
//   it counts at the moment it would have arrived (its own time plus the known
//   lag), which is in the past, so old samples never make a dead site look
//   alive. Only a newer moment than the one held moves `lastHeartbeat`.
// - A silent site whose probe comes back with another clock (its lag beyond
//   the window) at first looks replayed. When heartbeats, each newer than the
//   one before, keep arriving with that same lag (within the window) for a
//   whole window of arrival time, the new lag is taken: a replay arrives in a
//   burst, a running probe does not.
// - Heartbeats read back from the store (a page's history) have no arrival:
//   they count at their own time, never later than `now`.
//
// Other measurements keep the newest sample by its own time (an older one
// never overwrites a newer); link samples towards the SFU also vote for the
// quality grade (quality.ts).
import type { Fields, Measurement, Tags } from './metrics.ts';
import { QualityTracker } from './quality.ts';
import { powerFromFields, SNAPSHOT_THRESHOLDS, type SiteSnapshot } from './site-snapshot.ts';

/** How long the site state's windows are; the heartbeat window is `SNAPSHOT_THRESHOLDS.heartbeatMs`. */
export const SITE_STATE_LIMITS = {
  /** The heartbeat window: a site not heard for longer is silent (stale on the wall, offline for the rules' default). */
  heartbeatWindowMs: SNAPSHOT_THRESHOLDS.heartbeatMs,
  /** How much earlier than its arrival a heartbeat's own time may place it: a probe's sender sends once a second. */
  deliveryAllowanceMs: 2_000,
  /** Media figures older than this mean the site is not sending into a meeting now. */
  mediaFreshMs: 10_000,
  /** How long heartbeats' spool depth is kept: the longest window a rule may look at (incident-rules.ts). */
  spoolKeepMs: 10 * 60_000,
} as const;

/** A sample as the reducer reads it: a stored point or a live-feed sample. */
export interface StateSample {
  measurement: Measurement;
  tags: Tags;
  fields: Fields;
  /** The sample's own time (the sender's clock). */
  time: number;
}

/** The moment a sample is folded in. */
export interface StateClock {
  /** Now, on the NOC's clock. */
  now: number;
  /** When the ingest gateway accepted the sample; null for a sample read back from the store. */
  receivedAt: number | null;
}

/** The newest sample's fields of a measurement (fields of samples with the same time are merged). */
export interface Reading {
  at: number;
  fields: Fields;
}
export interface LinkNow {
  at: number;
  rttMs: number | null;
  jitterMs: number | null;
  lossPct: number | null;
}
export interface VideoNow {
  at: number;
  fps: number | null;
  width: number | null;
  height: number | null;
}
export interface AudioNow {
  at: number;
  level: number | null;
}
export type PowerNow = NonNullable<SiteSnapshot['power']>;
export type EnvNow = NonNullable<SiteSnapshot['env']>;

/** What the heartbeat rule keeps of a probe's clock. */
export interface ProbeClock {
  /** Arrival minus own time of the last live heartbeat; null before the first. */
  lagMs: number | null;
  /** A different lag that ever newer heartbeats of a silent site keep arriving with, since when, and the newest's own time. */
  pending: { lagMs: number; since: number; last: number } | null;
}

export interface SiteState {
  site: string;
  /** When the site was last heard, on the NOC's clock (see the rule above); null when never. */
  lastHeartbeat: number | null;
  clock: ProbeClock;
  /** The probe's own figures (seq, uptime_s, spool_depth, dropped, version). */
  probe: Reading | null;
  /** The latest link figures towards the SFU. */
  link: LinkNow | null;
  /** Link samples towards the SFU that vote for the grade; `quality.current(now)` gives it. */
  quality: QualityTracker;
  /** What the site's own endpoint sends into a meeting (media, direction `send`, no `node` tag). */
  video: VideoNow | null;
  audio: AudioNow | null;
  power: PowerNow | null;
  env: EnvNow | null;
  /** Heartbeats' spool depth, [time, depth], oldest first, one per time, the last `spoolKeepMs`. */
  spool: [number, number][];
}

export function emptySiteState(site: string): SiteState {
  return {
    site,
    lastHeartbeat: null,
    clock: { lagMs: null, pending: null },
    probe: null,
    link: null,
    quality: new QualityTracker(),
    video: null,
    audio: null,
    power: null,
    env: null,
    spool: [],
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The moment a heartbeat says the site was heard, on the NOC's clock, and what
 * it teaches of the probe's clock (the rule at the top of this file).
 */
export function heardAt(
  state: Pick<SiteState, 'clock' | 'lastHeartbeat'>,
  time: number,
  at: StateClock,
  windowMs: number = SITE_STATE_LIMITS.heartbeatWindowMs,
): number {
  const { receivedAt } = at;
  if (receivedAt === null) return Math.min(time, at.now);
  const clock = state.clock;
  const lag = receivedAt - time;
  const live = Math.min(receivedAt, Math.max(time, receivedAt - SITE_STATE_LIMITS.deliveryAllowanceMs));
  if (clock.lagMs === null || lag <= Math.max(clock.lagMs, 0) + windowMs) {
    clock.lagMs = lag;
    clock.pending = null;
    return live;
  }
  // A site heard until now stays heard by whatever of its heartbeats arrives.
  if (state.lastHeartbeat !== null && receivedAt - state.lastHeartbeat <= windowMs) return live;
  const p = clock.pending;
  if (p && time > p.last && Math.abs(lag - p.lagMs) <= windowMs) {
    p.last = time;
    if (receivedAt - p.since >= windowMs) {
      clock.lagMs = lag;
      clock.pending = null;
      return live;
    }
  } else if (!p || time > p.last) clock.pending = { lagMs: lag, since: receivedAt, last: time };
  return Math.min(time + clock.lagMs, receivedAt);
}

/** Keeps the newest reading; a sample of the same time adds its fields, an older one changes nothing. */
function newestReading(before: Reading | null, time: number, fields: Fields): Reading | null {
  if (before && time < before.at) return before;
  return { at: time, fields: before && before.at === time ? { ...before.fields, ...fields } : { ...fields } };
}

/** Puts [time, value] into a series ordered by time (one per time) and drops what is older than `cut`. */
export function mergePoint(series: [number, number][], point: [number, number], cut: number): void {
  let i = series.length;
  while (i > 0 && series[i - 1]![0] > point[0]) i--;
  if (i > 0 && series[i - 1]![0] === point[0]) series[i - 1] = point;
  else series.splice(i, 0, point);
  let drop = 0;
  while (drop < series.length && series[drop]![0] < cut) drop++;
  if (drop) series.splice(0, drop);
}

/** What a sample changed: `series` when the spool or the quality samples did (for readers that redraw on it). */
export interface StateChange {
  touched: boolean;
  series: boolean;
}

/** Folds one sample of the site into its state. */
export function applySample(state: SiteState, s: StateSample, at: StateClock): StateChange {
  const f = s.fields;
  switch (s.measurement) {
    case 'probe': {
      const heard = heardAt(state, s.time, at);
      if (heard > (state.lastHeartbeat ?? -Infinity)) state.lastHeartbeat = heard;
      state.probe = newestReading(state.probe, s.time, f);
      const depth = num(f.spool_depth);
      if (depth === null) return { touched: true, series: false };
      mergePoint(state.spool, [s.time, depth], at.now - SITE_STATE_LIMITS.spoolKeepMs);
      return { touched: true, series: true };
    }
    case 'link': {
      if (s.tags.target !== 'sfu') return { touched: false, series: false };
      const link: LinkNow = { at: s.time, rttMs: num(f.rtt_ms), jitterMs: num(f.jitter_ms), lossPct: num(f.loss_pct) };
      if (!state.link || s.time > state.link.at) state.link = link;
      else if (s.time === state.link.at) {
        // The same moment read field by field (the store's history): join them.
        const l = state.link;
        state.link = { at: l.at, rttMs: link.rttMs ?? l.rttMs, jitterMs: link.jitterMs ?? l.jitterMs, lossPct: link.lossPct ?? l.lossPct };
      }
      state.quality.add({ time: s.time, rttMs: link.rttMs, jitterMs: link.jitterMs, lossPct: link.lossPct });
      return { touched: true, series: true };
    }
    case 'media': {
      // The SFU node's own view of a site carries a `node` tag; the site's endpoint sends what it sends.
      if (s.tags.direction !== 'send' || s.tags.node !== undefined) return { touched: false, series: false };
      if (s.tags.kind === 'video') {
        if (!state.video || s.time >= state.video.at)
          state.video = { at: s.time, fps: num(f.fps), width: num(f.width), height: num(f.height) };
      } else if (s.tags.kind === 'audio') {
        if (!state.audio || s.time >= state.audio.at) state.audio = { at: s.time, level: num(f.audio_level) };
      }
      return { touched: true, series: false };
    }
    case 'power': {
      if (state.power && s.time < state.power.at) return { touched: false, series: false };
      const p = powerFromFields(s.time, f);
      state.power = state.power && state.power.at === s.time ? { ...state.power, ...p } : p;
      return { touched: true, series: false };
    }
    case 'env': {
      if (state.env && s.time < state.env.at) return { touched: false, series: false };
      const env: EnvNow = state.env && state.env.at === s.time ? { ...state.env } : { at: s.time };
      if (num(f.temp_c) !== null) env.tempC = f.temp_c as number;
      if (num(f.humidity_pct) !== null) env.humidityPct = f.humidity_pct as number;
      state.env = env;
      return { touched: true, series: false };
    }
    default:
      return { touched: false, series: false };
  }
}

/** Heard within the heartbeat window before `now`. */
export function isHeard(state: Pick<SiteState, 'lastHeartbeat'>, now: number, windowMs = SITE_STATE_LIMITS.heartbeatWindowMs): boolean {
  return state.lastHeartbeat !== null && now - state.lastHeartbeat <= windowMs;
}
