// One site's state now (@noc/shared/site-state): the last heartbeat, the
// probe's own figures, the power readings, the quality grade of its link
// (shared/src/quality.ts). Read from the store when the page opens
// (`/api/history/last`, the last minute of link samples), then kept current by
// the live feed's samples.
import { shallowRef, triggerRef, watch, type Ref } from 'vue';
import type { LiveSample } from '@noc/shared/live';
import type { Fields, Measurement } from '@noc/shared/metrics';
import { QUALITY_VOTING_WINDOWS, QUALITY_WINDOW_MS } from '@noc/shared/quality';
import { applySample, emptySiteState, type StateSample } from '@noc/shared/site-state';
import { api } from '../api.ts';

export type { Reading } from '@noc/shared/site-state';

/** Numeric figures read from the store when the page opens (non-numeric ones, such as the agent version, come live). */
const LAST_FIELDS: Partial<Record<Measurement, string[]>> = {
  probe: ['seq', 'uptime_s', 'spool_depth', 'dropped'],
  power: ['battery_pct', 'runtime_s', 'input_v', 'load_pct'],
};
const LINK_FIELDS = ['loss_pct', 'jitter_ms', 'rtt_ms'] as const;

/** Joins single-field answers of one measurement into one sample per moment. */
function samplesByTime(measurement: Measurement, tags: Record<string, string>, figures: [string, number, number][]): StateSample[] {
  const byTime = new Map<number, Fields>();
  for (const [field, time, v] of figures) (byTime.get(time) ?? byTime.set(time, {}).get(time)!)[field] = v;
  return [...byTime].map(([time, fields]) => ({ measurement, tags, fields, time }));
}

export function useSiteState(site: Ref<string>) {
  /** Not deep-reactive (it holds a quality tracker): every change is followed by `triggerRef`. */
  const state = shallowRef(emptySiteState(site.value));
  let generation = 0;

  function apply(samples: readonly LiveSample[]): void {
    const now = Date.now();
    let changed = false;
    for (const s of samples) {
      if (s.site !== state.value.site) continue;
      changed = applySample(state.value, s, { now, receivedAt: s.receivedAt }).touched || changed;
    }
    if (changed) triggerRef(state);
  }

  async function load(): Promise<void> {
    const gen = ++generation;
    const id = site.value;
    const lasts = (Object.entries(LAST_FIELDS) as [Measurement, readonly string[]][]).flatMap(([measurement, fields]) =>
      fields.map(async (field) => {
        const value = (await api('history.last', { query: { measurement, field, site: id } })).values[id];
        return { measurement, field, value };
      }),
    );
    const minutes = Math.ceil((QUALITY_VOTING_WINDOWS * QUALITY_WINDOW_MS) / 60_000) + 1;
    const links = LINK_FIELDS.map(async (field) => {
      const query = { measurement: 'link', field, target: 'sfu', site: id, minutes } as const;
      return { field, points: (await api('history', { query })).series[id] ?? [] };
    });
    const [lastAnswers, linkAnswers] = await Promise.all([Promise.allSettled(lasts), Promise.allSettled(links)]);
    if (gen !== generation) return;
    const figures = new Map<Measurement, [string, number, number][]>();
    for (const a of lastAnswers) {
      if (a.status !== 'fulfilled' || !a.value.value) continue;
      const { measurement, field, value } = a.value;
      (figures.get(measurement) ?? figures.set(measurement, []).get(measurement)!).push([field, value[0], value[1]]);
    }
    const linkFigures = linkAnswers.flatMap((a) =>
      a.status === 'fulfilled' ? a.value.points.map(([time, v]): [string, number, number] => [a.value.field, time, v]) : [],
    );
    const samples = [
      ...[...figures].flatMap(([measurement, f]) => samplesByTime(measurement, {}, f)),
      ...samplesByTime('link', { target: 'sfu' }, linkFigures),
    ];
    // Read back from the store: no arrival time, so heartbeats count at their own time (site-state.ts).
    const now = Date.now();
    for (const s of samples) applySample(state.value, s, { now, receivedAt: null });
    triggerRef(state);
  }

  watch(
    site,
    (id) => {
      state.value = emptySiteState(id);
      void load();
    },
    { immediate: true },
  );

  return { state, apply, reload: load };
}
