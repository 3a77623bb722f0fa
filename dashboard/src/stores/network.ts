// What the wall knows about every site: the registry, each site's state
// (@noc/shared/site-state: when it was last heard, its latest link, media,
// power and room figures, the link samples its quality grade is voted from),
// 15 minutes of round-trip times, and the SFU nodes' health. Series are plain arrays (not deep-reactive: 12 sites at 1 Hz
// must stay cheap); `rev` of a site changes whenever its series do.
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { HealthReport } from '@noc/shared/health';
import type { LiveSample } from '@noc/shared/live';
import type { Fields } from '@noc/shared/metrics';
import { applySample, emptySiteState, mergePoint, type SiteState } from '@noc/shared/site-state';
import type { Site } from '@noc/shared/sites';
import { api } from '../api.ts';
import { pageAccessToken } from '../composables/useAccessToken.ts';

/** How much history a chart keeps. */
export const WINDOW_MS = 15 * 60_000;
/** How far back the quality vote looks (three 20 s windows). */
const QUALITY_HISTORY_MS = 60_000;
/** How much of the spool depth the first read brings. */
const SPOOL_HISTORY_MS = 2 * 60_000;

export type Point = [number, number];
export type { AudioNow, EnvNow, LinkNow, PowerNow, VideoNow } from '@noc/shared/site-state';

/** A site's state (@noc/shared/site-state) and the wall's chart of its round-trip times. */
export interface SiteLive extends SiteState {
  /** Round-trip time towards the SFU, oldest first, the last 15 minutes (not reactive: watch `rev`). */
  rttSeries: Point[];
  /** Changes whenever a series of this site (RTT, spool, quality samples) changes. */
  rev: number;
}

/** Series and the quality tracker stay plain (not deep-reactive): 12 sites at 1 Hz must stay cheap. */
const emptyLive = (site: string): SiteLive => {
  const s = emptySiteState(site);
  return { ...s, spool: markRaw(s.spool), quality: markRaw(s.quality), rttSeries: markRaw([]), rev: 0 };
};

/** Puts points into a series ordered by time, one per timestamp, and drops what is older than `cut`. */
export function mergePoints(series: Point[], points: readonly Point[], cut: number): void {
  for (const p of points) mergePoint(series, p, cut);
}

export const useNetworkStore = defineStore('network', () => {
  const sites = ref<Site[]>([]);
  const live = ref<Record<string, SiteLive>>({});
  const health = shallowRef<HealthReport | null>(null);
  /** The history has been read once: a site still without a heartbeat is silent, not loading. */
  const loaded = ref(false);

  /** The site's entry through the reactive record (a new one is created reactive, then read back). */
  function entry(site: string): SiteLive {
    if (!live.value[site]) live.value[site] = emptyLive(site);
    return live.value[site]!;
  }

  function setSites(list: Site[]): void {
    sites.value = list;
    for (const s of list) entry(s.id);
  }

  function applySamples(samples: readonly LiveSample[]): void {
    const now = Date.now();
    for (const s of samples) {
      if (!s.site) continue;
      const e = entry(s.site);
      const change = applySample(e, s, { now, receivedAt: s.receivedAt });
      const rtt = s.fields.rtt_ms;
      if (s.measurement === 'link' && s.tags.target === 'sfu' && typeof rtt === 'number' && Number.isFinite(rtt)) {
        // An older sample arriving late still has its place in the chart.
        mergePoints(e.rttSeries, [[s.time, rtt]], now - WINDOW_MS);
      }
      if (change.series) e.rev++;
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
    const spoolFrom = Math.max(start, to - SPOOL_HISTORY_MS);
    const link = (field: string, since: number) =>
      api('history', { query: { measurement: 'link', field, target: 'sfu', from: since, to } });
    const probe = (field: string, since: number) => api('history', { query: { measurement: 'probe', field, from: since, to } });
    const [rtt, loss, jitter, beats, spool, lastBeat] = await Promise.all([
      link('rtt_ms', start),
      link('loss_pct', qualityFrom),
      link('jitter_ms', qualityFrom),
      probe('seq', start),
      probe('spool_depth', spoolFrom),
      api('history.last', { query: { measurement: 'probe', field: 'seq' } }),
    ]);
    const now = Date.now();
    const touched = new Set<string>();
    // Read back from the store: no arrival time, so heartbeats count at their own time (site-state.ts).
    const stored = (site: string, measurement: 'link' | 'probe', tags: Record<string, string>, fields: Fields, time: number) =>
      applySample(entry(site), { measurement, tags, fields, time }, { now, receivedAt: null });
    for (const [site, points] of Object.entries(rtt.series)) {
      mergePoints(entry(site).rttSeries, points, now - WINDOW_MS);
      touched.add(site);
    }
    // The grade's windows: loss, jitter and RTT of the same moments, joined by time.
    const sites = new Set([...Object.keys(loss.series), ...Object.keys(jitter.series)]);
    for (const site of sites) {
      const byTime = new Map<number, Fields>();
      const at = (t: number) => byTime.get(t) ?? byTime.set(t, {}).get(t)!;
      for (const [t, v] of loss.series[site] ?? []) at(t).loss_pct = v;
      for (const [t, v] of jitter.series[site] ?? []) at(t).jitter_ms = v;
      for (const [t, v] of rtt.series[site] ?? []) if (t >= qualityFrom) at(t).rtt_ms = v;
      // The reads run one after another: a moment newer than the last RTT read may have come in
      // between them, half-read. The live feed (open while this runs) brings it whole.
      const rttUntil = rtt.series[site]?.at(-1)?.[0] ?? Infinity;
      for (const [time, fields] of byTime) if (time <= rttUntil) stored(site, 'link', { target: 'sfu' }, fields, time);
      touched.add(site);
    }
    for (const [site, points] of Object.entries(beats.series)) {
      const last = points.at(-1);
      if (last) stored(site, 'probe', {}, { seq: last[1] }, last[0]);
    }
    for (const [site, [time, seq]] of Object.entries(lastBeat.values)) stored(site, 'probe', {}, { seq }, time);
    for (const [site, points] of Object.entries(spool.series)) {
      for (const [time, depth] of points) stored(site, 'probe', {}, { spool_depth: depth }, time);
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
