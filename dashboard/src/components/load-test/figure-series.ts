// A run's figures as chart series: one line per quantity, and the SFU's CPU
// one line per worker. Figures a run did not measure (null) leave no point.
import type { LoadTestFigures } from '@noc/shared/load-test';
import type { ChartSeries, SeriesPoint } from '../../composables/useSiteSeries.ts';

type Pick = (f: LoadTestFigures) => number | null | undefined;

export function lineOf(figures: readonly LoadTestFigures[], pick: Pick): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const f of figures) {
    const v = pick(f);
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push([f.t, v]);
  }
  return out;
}

/** CPU of each worker over the run, named `<node>/<pid>`, in the order they first reported. */
export function workerCpuSeries(figures: readonly LoadTestFigures[]): ChartSeries[] {
  const byWorker = new Map<string, SeriesPoint[]>();
  for (const f of figures) {
    for (const w of f.workers) {
      let points = byWorker.get(w.worker);
      if (!points) byWorker.set(w.worker, (points = []));
      points.push([f.t, w.cpuPct]);
    }
  }
  return [...byWorker].map(([name, points]) => ({ name, points }));
}

/** The latest figures, or null before the first. */
export const latestOf = (figures: readonly LoadTestFigures[]): LoadTestFigures | null => figures.at(-1) ?? null;
