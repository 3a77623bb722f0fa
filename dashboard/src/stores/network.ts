// What the wall knows about every site: the registry, when each was last heard
// from, its latest link, media, power and room figures, the link samples its
// quality grade is voted from, 15 minutes of round-trip times, and the SFU
// nodes' health. Series are plain arrays (not deep-reactive: 12 sites at 1 Hz
// must stay cheap); `rev` of a site changes whenever its series do.
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { HealthReport } from '@noc/shared/health';
import type { LiveSample } from '@noc/shared/live';
import { QualityTracker } from '@noc/shared/quality';
import { powerFromFields, type SiteSnapshot } from '@noc/shared/site-snapshot';
import type { Site } from '@noc/shared/sites';
import { api } from '../api.ts';
import { pageAccessToken } from '../composables/useAccessToken.ts';

/** How much history a chart keeps. */
export const WINDOW_MS = 15 * 60_000;
export const HEARTBEAT_WINDOW_MS = 10_000;
/** How far back the quality vote looks (three 20 s windows). */
const QUALITY_HISTORY_MS = 60_000;
const SPOOL_KEEP_MS = 2 * 60_000;

export type Point = [number, number];

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
/** The latest power reading, as the alert rules read it. */
export type PowerNow = NonNullable<SiteSnapshot['power']>;
export interface EnvNow {
  at: number;
  tempC?: number;
  humidityPct?: number;
}

export interface SiteLive {
  lastHeartbeat: number | null;
  link: LinkNow | null;
  /** What the site sends into a meeting (media, direction `send`). */
  video: VideoNow | null;
  audio: AudioNow | null;
  power: PowerNow | null;
  env: EnvNow | null;
  /** Round-trip time towards the SFU, oldest first, the last 15 minutes (not reactive: watch `rev`). */
  rttSeries: Point[];
  /** The heartbeats' spool depth, the last 2 minutes (not reactive). */
  spool: Point[];
  /** Link samples of the last minute, for the quality grade (not reactive). */
  quality: QualityTracker;
  /** Changes whenever a series of this site changes. */
  rev: number;
}

const emptyLive = (): SiteLive => ({
  lastHeartbeat: null,
  link: null,
  video: null,
  audio: null,
  power: null,
  env: null,
  rttSeries: markRaw([]),
  spool: markRaw([]),
  quality: markRaw(new QualityTracker()),
  rev: 0,
});

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Puts points into a series ordered by time, one per timestamp, and drops what is older than `cut`. */
export function mergePoints(series: Point[], points: readonly Point[], cut: number): void {
  for (const p of points) {
    let i = series.length;
    while (i > 0 && series[i - 1]![0] > p[0]) i--;
    if (i > 0 && series[i - 1]![0] === p[0]) series[i - 1] = p;
    else if (i === series.length) series.push(p);
    else series.splice(i, 0, p);
  }
  let drop = 0;
  while (drop < series.length && series[drop]![0] < cut) drop++;
  if (drop) series.splice(0, drop);
}

export const useNetworkStore = defineStore('network', () => {
  const sites = ref<Site[]>([]);
  const live = ref<Record<string, SiteLive>>({});
  const health = shallowRef<HealthReport | null>(null);
  /** The history has been read once: a site still without a heartbeat is silent, not loading. */
  const loaded = ref(false);

  /** The site's entry through the reactive record (a new one is created reactive, then read back). */
  function entry(site: string): SiteLive {
    if (!live.value[site]) live.value[site] = emptyLive();
    return live.value[site]!;
  }

  function setSites(list: Site[]): void {
    sites.value = list;
    for (const s of list) entry(s.id);
  }

  function applySample(s: LiveSample, now: number): void {
    const e = entry(s.site);
    const f = s.fields;
    switch (s.measurement) {
      case 'probe': {
        e.lastHeartbeat = Math.max(e.lastHeartbeat ?? 0, s.time);
        const depth = num(f.spool_depth);
        if (depth !== null) {
          mergePoints(e.spool, [[s.time, depth]], now - SPOOL_KEEP_MS);
          e.rev++;
        }
        break;
      }
      case 'link': {
        if (s.tags.target !== 'sfu') break;
        const link: LinkNow = { at: s.time, rttMs: num(f.rtt_ms), jitterMs: num(f.jitter_ms), lossPct: num(f.loss_pct) };
        if (!e.link || s.time >= e.link.at) e.link = link;
        e.quality.add({ time: s.time, rttMs: link.rttMs, jitterMs: link.jitterMs, lossPct: link.lossPct });
        if (link.rttMs !== null) mergePoints(e.rttSeries, [[s.time, link.rttMs]], now - WINDOW_MS);
        e.rev++;
        break;
      }
      case 'media': {
        if (s.tags.direction !== 'send') break;
        // The SFU node's own figures carry no frame rate or level; the site's endpoint sends those.
        if (s.tags.kind === 'video' && (f.fps !== undefined || f.height !== undefined)) {
          if (!e.video || s.time >= e.video.at) e.video = { at: s.time, fps: num(f.fps), width: num(f.width), height: num(f.height) };
        } else if (s.tags.kind === 'audio' && f.audio_level !== undefined) {
          if (!e.audio || s.time >= e.audio.at) e.audio = { at: s.time, level: num(f.audio_level) };
        }
        break;
      }
      case 'power': {
        if (e.power && s.time < e.power.at) break;
        e.power = powerFromFields(s.time, f);
        break;
      }
      case 'env': {
        if (e.env && s.time < e.env.at) break;
        const env: EnvNow = { at: s.time };
        if (num(f.temp_c) !== null) env.tempC = f.temp_c as number;
        if (num(f.humidity_pct) !== null) env.humidityPct = f.humidity_pct as number;
        e.env = env;
        break;
      }
      default:
        break;
    }
  }

  function applySamples(samples: readonly LiveSample[]): void {
    const now = Date.now();
    for (const s of samples) {
      if (!s.site) continue;
      applySample(s, now);
    }
  }

  function setHealth(report: HealthReport): void {
    health.value = report;
  }

  async function loadSites(): Promise<void> {
    // A room or control page opened by a token link has no session: its token opens the list.
    const token = pageAccessToken();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    setSites((await api('sites', { headers })).sites);
  }

  async function loadHealth(): Promise<void> {
    setHealth(await api('health'));
  }

  /**
   * Reads what the wall draws from the store, the whole window up to now, and
   * merges it by timestamp with what the live feed brought.
   */
  async function backfill(): Promise<void> {
    const to = Date.now();
    const start = to - WINDOW_MS;
    const qualityFrom = Math.max(start, to - QUALITY_HISTORY_MS);
    const spoolFrom = Math.max(start, to - SPOOL_KEEP_MS);
    const window = (q: string, since: number) => api('history', { query: new URLSearchParams(`${q}&from=${since}&to=${to}`) });
    const [rtt, loss, jitter, beats, spool, lastBeat] = await Promise.all([
      window('measurement=link&field=rtt_ms&target=sfu', start),
      window('measurement=link&field=loss_pct&target=sfu', qualityFrom),
      window('measurement=link&field=jitter_ms&target=sfu', qualityFrom),
      window('measurement=probe&field=seq', start),
      window('measurement=probe&field=spool_depth', spoolFrom),
      api('history.last', { query: { measurement: 'probe', field: 'seq' } }),
    ]);
    const now = Date.now();
    const touched = new Set<string>();
    for (const [site, points] of Object.entries(rtt.series)) {
      mergePoints(entry(site).rttSeries, points, now - WINDOW_MS);
      touched.add(site);
    }
    // The grade's windows: loss, jitter and RTT of the same moments, joined by time.
    const sites = new Set([...Object.keys(loss.series), ...Object.keys(jitter.series)]);
    for (const site of sites) {
      const e = entry(site);
      const byTime = new Map<number, { lossPct?: number; jitterMs?: number; rttMs?: number }>();
      const at = (t: number) => byTime.get(t) ?? byTime.set(t, {}).get(t)!;
      for (const [t, v] of loss.series[site] ?? []) at(t).lossPct = v;
      for (const [t, v] of jitter.series[site] ?? []) at(t).jitterMs = v;
      for (const [t, v] of rtt.series[site] ?? []) if (t >= qualityFrom) at(t).rttMs = v;
      for (const [time, figures] of byTime) e.quality.add({ time, ...figures });
      const newest = [...byTime.keys()].reduce((a, b) => Math.max(a, b), -Infinity);
      const figures = byTime.get(newest);
      if (figures && (!e.link || newest > e.link.at)) {
        e.link = { at: newest, rttMs: figures.rttMs ?? null, jitterMs: figures.jitterMs ?? null, lossPct: figures.lossPct ?? null };
      }
      touched.add(site);
    }
    for (const [site, points] of Object.entries(beats.series)) {
      const last = points.at(-1)?.[0];
      if (last !== undefined) entry(site).lastHeartbeat = Math.max(entry(site).lastHeartbeat ?? 0, last);
    }
    for (const [site, point] of Object.entries(lastBeat.values)) {
      entry(site).lastHeartbeat = Math.max(entry(site).lastHeartbeat ?? 0, point[0]);
    }
    for (const [site, points] of Object.entries(spool.series)) {
      mergePoints(entry(site).spool, points, now - SPOOL_KEEP_MS);
      touched.add(site);
    }
    for (const site of touched) entry(site).rev++;
    loaded.value = true;
  }

  /**
   * Each time the live feed (re)connects: the first read of the window (shared
   * if it is already running), then the whole window again, so neither a blip
   * nor the moment between the first read and the subscription leaves a hole,
   * not even where a probe replayed older samples while the page was cut off.
   * One read for all sites; points already held merge by timestamp.
   */
  async function catchUp(): Promise<void> {
    await loadHistory();
    await backfill();
  }

  let firstRead: Promise<void> | null = null;
  /** The first read: the whole 15-minute window (one at a time; a failed one may be tried again). */
  function loadHistory(): Promise<void> {
    firstRead ??= backfill().catch((err: unknown) => {
      firstRead = null;
      throw err;
    });
    return firstRead;
  }

  return { sites, live, health, loaded, setSites, applySamples, setHealth, loadSites, loadHealth, loadHistory, catchUp };
});
