// The samples a moment's wall is folded from, read from the sample store
// through its `series` read only: for each site, the link figures towards the
// SFU of the last minute (the quality grade votes over three 20 s windows),
// the heartbeats and round-trip times of the last 15 minutes (when the site
// was last heard; the tile's chart), the media it sent in the last 10 s, its
// latest power and room readings. Within the raw samples' 14 days every point
// is read; beyond, the 1-minute means (retention policy `year`), each standing
// at the end of its minute (never after the moment).
import { QUALITY_VOTING_WINDOWS, QUALITY_WINDOW_MS } from '@noc/shared/quality';
import type { Fields, Measurement, Tags } from '@noc/shared/metrics';
import type { ReplaySample } from '@noc/shared/replay';
import { SITE_STATE_LIMITS } from '@noc/shared/site-state';
import { RAW_RETENTION_MS } from '../store/queries.ts';
import type { Resolution, SampleStore, SeriesByField } from '../store/store.ts';

const MINUTE = 60_000;
/** The wall's round-trip chart and how far back a heartbeat is looked for. */
export const REPLAY_LOOKBACK_MS = 15 * MINUTE;
/** The link samples the grade votes over. */
const QUALITY_MS = QUALITY_WINDOW_MS * QUALITY_VOTING_WINDOWS;

export interface ReplaySamples {
  source: 'raw' | 'year';
  samples: ReplaySample[];
  rtt: Record<string, [number, number][]>;
}

interface Read {
  measurement: Measurement;
  fields: readonly string[];
  tags?: Tags;
  /** How far back before the moment. */
  backMs: number;
  /** Only the newest point per site is a sample (power, room: the latest reading). */
  latestOnly?: boolean;
}

/** What each site's tile is folded from. */
const READS: readonly Read[] = [
  { measurement: 'link', fields: ['rtt_ms', 'loss_pct', 'jitter_ms'], tags: { target: 'sfu' }, backMs: QUALITY_MS },
  { measurement: 'probe', fields: ['seq'], backMs: REPLAY_LOOKBACK_MS, latestOnly: true },
  { measurement: 'probe', fields: ['spool_depth'], backMs: QUALITY_MS },
  {
    measurement: 'media',
    fields: ['fps', 'width', 'height'],
    tags: { kind: 'video', direction: 'send' },
    backMs: SITE_STATE_LIMITS.mediaFreshMs,
  },
  { measurement: 'media', fields: ['audio_level'], tags: { kind: 'audio', direction: 'send' }, backMs: SITE_STATE_LIMITS.mediaFreshMs },
  { measurement: 'power', fields: ['battery_pct', 'runtime_s', 'input_v', 'load_pct'], backMs: REPLAY_LOOKBACK_MS, latestOnly: true },
  { measurement: 'env', fields: ['temp_c', 'humidity_pct'], backMs: REPLAY_LOOKBACK_MS, latestOnly: true },
];

/** Raw points within the raw retention, the 1-minute means beyond it. */
export function replaySource(at: number, now: number): 'raw' | 'year' {
  return now - (at - REPLAY_LOOKBACK_MS) <= RAW_RETENTION_MS ? 'raw' : 'year';
}

/** Folds single-field series of one read into samples, one per site and time. */
function toSamples(read: Read, series: SeriesByField, site: string | undefined, stamp: (t: number) => number): ReplaySample[] {
  const bySite = new Map<string, Map<number, Fields>>();
  for (const field of read.fields) {
    for (const [s, points] of Object.entries(series[field] ?? {})) {
      if (site !== undefined && s !== site) continue;
      const byTime = bySite.get(s) ?? bySite.set(s, new Map()).get(s)!;
      for (const [t, v] of points) (byTime.get(t) ?? byTime.set(t, {}).get(t)!)[field] = v;
    }
  }
  const out: ReplaySample[] = [];
  const tags = read.tags ?? {};
  for (const [s, byTime] of bySite) {
    const times = [...byTime.keys()].sort((a, b) => a - b);
    for (const t of read.latestOnly ? times.slice(-1) : times) {
      out.push({ site: s, measurement: read.measurement, tags, fields: byTime.get(t)!, time: stamp(t) });
    }
  }
  return out;
}

/**
 * The samples of every site (or of `site` only) as the store held them at
 * `at`, and the round-trip series of the 15 minutes before it.
 */
export async function readReplaySamples(
  store: SampleStore,
  at: number,
  site: string | undefined,
  now = Date.now(),
): Promise<ReplaySamples> {
  const source = replaySource(at, now);
  const resolution: Resolution = source === 'raw' ? { source, bucketMs: null } : { source, bucketMs: MINUTE };
  // A mean stands for its minute: it is placed at the minute's end, never after the moment.
  const stamp = source === 'raw' ? (t: number) => t : (t: number) => Math.min(t + MINUTE - 1, at);
  const siteTag: Tags = site === undefined ? {} : { site };
  // The means need at least two whole minutes to hold anything of the last one.
  const back = (ms: number) => (source === 'raw' ? ms : Math.max(ms, 2 * MINUTE));
  const read = (measurement: Measurement, fields: readonly string[], tags: Tags | undefined, backMs: number) =>
    store.series({ measurement, fields, from: at - back(backMs), to: at, tags: { ...tags, ...siteTag }, resolution });
  const [rtt, ...answers] = await Promise.all([
    read('link', ['rtt_ms'], { target: 'sfu' }, REPLAY_LOOKBACK_MS),
    ...READS.map((r) => read(r.measurement, r.fields, r.tags, r.backMs)),
  ]);
  const samples = READS.flatMap((r, i) => toSamples(r, answers[i]!, site, stamp)).sort((a, b) => a.time - b.time);
  const rttBySite: Record<string, [number, number][]> = {};
  for (const [s, points] of Object.entries(rtt.rtt_ms ?? {})) {
    if (site === undefined || s === site) rttBySite[s] = points.map(([t, v]) => [stamp(t), v]);
  }
  return { source, samples, rtt: rttBySite };
}
