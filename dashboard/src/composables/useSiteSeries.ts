// Time series of one site for the chosen range: read from `/api/history`
// (raw points up to 15 minutes; means beyond, from the 400-day 1-minute means
// for long ranges; the answer names its resolution), then, on the short live
// range, extended by the live feed's samples as they come. Long ranges are
// read again every minute.
import { computed, onUnmounted, ref, shallowRef, triggerRef, watch, type Ref } from 'vue';
import type { LiveSample } from '@noc/shared/live';
import type { Measurement, Tags } from '@noc/shared/metrics';
import { api, reasonOf } from '../api.ts';

export const RANGES = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
export type RangeKey = (typeof RANGES)[number];
export const RANGE_MINUTES: Record<RangeKey, number> = { '15m': 15, '1h': 60, '6h': 360, '24h': 1440, '7d': 10_080, '30d': 43_200 };
/** The range drawn from raw points and kept current by the live feed. */
export const LIVE_RANGE: RangeKey = '15m';

const REFRESH_MS = 60_000;

export interface SeriesSpec {
  key: string;
  measurement: Measurement;
  field: string;
  /** Tag filters, e.g. `{ target: 'sfu' }`; live samples must carry the same tags. */
  tags?: Tags;
  /** Multiplies every value (seconds → minutes: 1/60). */
  scale?: number;
}

export type SeriesPoint = [number, number];

/** A named line of a chart. */
export interface ChartSeries {
  name: string;
  points: SeriesPoint[];
}

export interface HistoryResolution {
  source: 'raw' | 'year';
  /** Null for raw points; the width of the mean buckets otherwise. */
  bucketSeconds: number | null;
}

const matches = (spec: SeriesSpec, s: LiveSample): boolean =>
  s.measurement === spec.measurement && Object.entries(spec.tags ?? {}).every(([k, v]) => s.tags[k] === v);

const historyQuery = (spec: SeriesSpec, site: string, minutes: number) => ({
  ...spec.tags,
  measurement: spec.measurement,
  field: spec.field,
  site,
  minutes,
});

export function useSiteSeries(site: Ref<string>, range: Ref<RangeKey>, specs: readonly SeriesSpec[]) {
  /** Points per spec key, oldest first. Replaced or mutated in place, then triggered. */
  const data = shallowRef<Record<string, SeriesPoint[]>>({});
  const resolution = ref<HistoryResolution | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** The end of the drawn window: now on the live range (moved by `tick`), the read time otherwise. */
  const to = ref(Date.now());
  const live = computed(() => range.value === LIVE_RANGE);
  const windowMs = computed(() => RANGE_MINUTES[range.value] * 60_000);
  const from = computed(() => to.value - windowMs.value);
  let generation = 0;
  /** Samples received while a read is under way. */
  const pending: LiveSample[] = [];
  let refreshTimer: ReturnType<typeof setInterval> | null = null;

  async function load(): Promise<void> {
    const gen = ++generation;
    const forSite = site.value;
    const minutes = RANGE_MINUTES[range.value];
    loading.value = true;
    const answers = await Promise.allSettled(specs.map((spec) => api('history', { query: historyQuery(spec, forSite, minutes) })));
    if (gen !== generation) return;
    const next: Record<string, SeriesPoint[]> = {};
    let failure: string | null = null;
    let res: HistoryResolution | null = null;
    let end = Date.now();
    answers.forEach((answer, i) => {
      const spec = specs[i]!;
      if (answer.status === 'rejected') {
        failure ??= reasonOf(answer.reason);
        next[spec.key] = data.value[spec.key] ?? [];
        return;
      }
      res ??= answer.value.resolution;
      end = answer.value.to;
      const scale = spec.scale ?? 1;
      next[spec.key] = (answer.value.series[forSite] ?? []).map(([t, v]): SeriesPoint => [t, v * scale]);
    });
    data.value = next;
    resolution.value = res;
    error.value = failure;
    to.value = live.value ? Math.max(Date.now(), end) : end;
    loading.value = false;
    // Live samples that arrived while reading go in now (one point per timestamp).
    const waiting = pending.splice(0);
    if (live.value && waiting.length) append(waiting);
  }

  /** Live samples of this site: appended to the series they belong to, on the live range only. */
  function append(samples: readonly LiveSample[]): void {
    if (!live.value) return;
    if (loading.value) {
      pending.push(...samples);
      return;
    }
    const series = data.value;
    let changed = false;
    for (const s of samples) {
      for (const spec of specs) {
        const value = s.fields[spec.field];
        if (typeof value !== 'number' || !matches(spec, s)) continue;
        const list = (series[spec.key] ??= []);
        const point: SeriesPoint = [s.time, value * (spec.scale ?? 1)];
        const last = list.at(-1);
        if (!last || last[0] < s.time) list.push(point);
        else {
          // Late (a probe's spool catching up): put it in its place.
          const at = list.findIndex(([t]) => t >= s.time);
          if (list[at]?.[0] === s.time) list[at] = point;
          else list.splice(at, 0, point);
        }
        changed = true;
      }
    }
    if (!changed) return;
    trim(Date.now());
    triggerRef(data);
  }

  function trim(now: number): void {
    const cut = now - windowMs.value;
    for (const list of Object.values(data.value)) {
      let drop = 0;
      while (drop < list.length && list[drop]![0] < cut) drop++;
      if (drop) list.splice(0, drop);
    }
  }

  /** Moves the live window to now. */
  function tick(now = Date.now()): void {
    if (!live.value) return;
    to.value = now;
  }

  function schedule(): void {
    if (refreshTimer) clearInterval(refreshTimer);
    refreshTimer = live.value ? null : setInterval(() => void load(), REFRESH_MS);
  }

  let shownSite = site.value;
  watch(
    [site, range],
    () => {
      pending.length = 0;
      if (shownSite !== site.value) data.value = {};
      shownSite = site.value;
      schedule();
      void load();
    },
    { immediate: true },
  );
  onUnmounted(() => {
    generation++;
    if (refreshTimer) clearInterval(refreshTimer);
  });

  return { data, resolution, loading, error, live, from, to, windowMs, append, tick, reload: load };
}
