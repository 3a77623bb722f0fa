// What the wall knows about every site: the registry, when each was last heard
// from, and its recent round-trip times.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LiveSample } from '@noc/shared/live';
import type { Site } from '@noc/shared/sites';

/** How much history a chart keeps. */
export const WINDOW_MS = 15 * 60_000;
export const HEARTBEAT_WINDOW_MS = 10_000;

export interface SiteLive {
  lastHeartbeat: number | null;
  rtt: number | null;
  rttSeries: [number, number][];
}

interface HistoryAnswer {
  series: Record<string, [number, number][]>;
}

const emptyLive = (): SiteLive => ({ lastHeartbeat: null, rtt: null, rttSeries: [] });

export const useNetworkStore = defineStore('network', () => {
  const sites = ref<Site[]>([]);
  const live = ref<Record<string, SiteLive>>({});

  function setSites(list: Site[]): void {
    sites.value = list;
    for (const s of list) live.value[s.id] ??= emptyLive();
  }

  function trim(series: [number, number][], now: number): void {
    const cut = now - WINDOW_MS;
    let drop = 0;
    while (drop < series.length && series[drop]![0] < cut) drop++;
    if (drop) series.splice(0, drop);
  }

  function applySamples(samples: LiveSample[]): void {
    const now = Date.now();
    for (const s of samples) {
      const entry = (live.value[s.site] ??= emptyLive());
      if (s.measurement === 'probe') {
        entry.lastHeartbeat = Math.max(entry.lastHeartbeat ?? 0, s.time);
      } else if (s.measurement === 'link' && s.tags.target === 'sfu' && typeof s.fields.rtt_ms === 'number') {
        entry.rtt = s.fields.rtt_ms;
        entry.rttSeries.push([s.time, s.fields.rtt_ms]);
        trim(entry.rttSeries, now);
      }
    }
  }

  async function loadSites(): Promise<void> {
    const res = await fetch('/api/sites');
    if (!res.ok) throw new Error(`sites: ${res.status} ${await res.text()}`);
    setSites(((await res.json()) as { sites: Site[] }).sites);
  }

  /** Fills the charts with the last 15 minutes from the store. */
  async function loadHistory(): Promise<void> {
    const [rtt, beats] = await Promise.all([
      fetchHistory('measurement=link&field=rtt_ms&target=sfu&minutes=15'),
      fetchHistory('measurement=probe&field=seq&minutes=1'),
    ]);
    const now = Date.now();
    for (const [site, points] of Object.entries(rtt.series)) {
      const entry = (live.value[site] ??= emptyLive());
      // Live samples may already be here: merge by time, one point per timestamp.
      const merged = new Map<number, number>([...points, ...entry.rttSeries]);
      entry.rttSeries = [...merged].sort((a, b) => a[0] - b[0]);
      trim(entry.rttSeries, now);
      entry.rtt = entry.rttSeries.at(-1)?.[1] ?? entry.rtt;
    }
    for (const [site, points] of Object.entries(beats.series)) {
      const last = points.at(-1)?.[0];
      const entry = (live.value[site] ??= emptyLive());
      if (last !== undefined) entry.lastHeartbeat = Math.max(entry.lastHeartbeat ?? 0, last);
    }
  }

  return { sites, live, setSites, applySamples, loadSites, loadHistory };
});

async function fetchHistory(query: string): Promise<HistoryAnswer> {
  const res = await fetch(`/api/history?${query}`);
  if (!res.ok) throw new Error(`history ${query}: ${res.status} ${await res.text()}`);
  return (await res.json()) as HistoryAnswer;
}
