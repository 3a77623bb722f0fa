// A replayed moment in the shapes the wall and the site page draw: each site's
// state folded by the shared reducer from the stored samples at the moment
// (read back from the store: no arrival time), its round-trip chart, and the
// SFU nodes' states as a health report for the topology.
import { markRaw } from 'vue';
import type { HealthReport, SfuHealth } from '@noc/shared/health';
import type { ReplayComponent, ReplayState } from '@noc/shared/replay';
import { applySample, emptySiteState, type SiteState } from '@noc/shared/site-state';
import type { SiteLive } from '../../stores/network.ts';

/** Each site's state at the moment; a site without any sample then is silent (never heard within the look-back). */
export function replaySites(state: ReplayState, siteIds: readonly string[]): Record<string, SiteLive> {
  const out: Record<string, SiteLive> = {};
  for (const id of siteIds) out[id] = replaySite(state, id);
  return out;
}

/** One site's state at the moment, with its round-trip chart. */
export function replaySite(state: ReplayState, site: string): SiteLive {
  const s: SiteState = emptySiteState(site);
  for (const sample of state.samples) {
    if (sample.site === site) applySample(s, sample, { now: state.at, receivedAt: null });
  }
  return { ...s, spool: markRaw(s.spool), quality: markRaw(s.quality), rttSeries: markRaw(state.rtt[site] ?? []), rev: 0 };
}

const component = (c: ReplayComponent, at: number): SfuHealth => ({ ...c, detail: '', checkedAt: at });

/** The topology's health report at the moment; null when none was recorded before it. */
export function replayHealth(state: ReplayState): HealthReport | null {
  const t = state.topology;
  if (!t) return null;
  const parts = [t.sfu.state, t.sfuBackup.state, t.store.state];
  const status = t.store.state === 'down' ? 'down' : parts.every((p) => p === 'up' || p === 'disabled') ? 'ok' : 'degraded';
  return {
    status,
    time: state.at,
    components: {
      store: { state: t.store.state, detail: '', checkedAt: t.since, kind: 'influxdb', buffered: 0 },
      sfu: component(t.sfu, t.since),
      sfuBackup: component(t.sfuBackup, t.since),
      simulator: { state: 'disabled', detail: '', checkedAt: t.since, sitesReporting: 0, sitesTotal: 0 },
    },
  };
}
