// Writes each site's quality grade and MOS (quality.ts) to the store at the
// end of every 20 s window, as the measurement `quality`, so a chart of the
// store (Grafana through grafana/'s datasource, say) can draw them next to the raw figures.
import type { Point } from '@noc/shared/metrics';
import { GRADES, QUALITY_WINDOW_MS, windowStart } from '@noc/shared/quality';
import type { NetworkState } from './site-state.ts';

/** 3 for good … 0 for terrible: a number a chart can draw. */
export const gradeLevel = (grade: (typeof GRADES)[number]): number => GRADES.length - 1 - GRADES.indexOf(grade);

export function qualityPoints(state: NetworkState, windowEnd: number): Point[] {
  const points: Point[] = [];
  // Judged just before the window's end, so the closing window votes with its own samples.
  const at = windowEnd - 1;
  for (const s of state.sites.values()) {
    const q = s.quality.current(at);
    if (q.grade === null) continue;
    const fields: Point['fields'] = { grade: q.grade, grade_level: gradeLevel(q.grade) };
    if (q.mos !== null) fields.mos = Math.round(q.mos * 1000) / 1000;
    if (q.figures.lossPct !== null) fields.loss_pct = q.figures.lossPct;
    if (q.figures.jitterMs !== null) fields.jitter_ms = q.figures.jitterMs;
    if (q.figures.rttMs !== null) fields.rtt_ms = q.figures.rttMs;
    points.push({ measurement: 'quality', tags: { site: s.site }, fields, time: windowEnd - QUALITY_WINDOW_MS });
  }
  return points;
}

export class QualityWriter {
  #state: NetworkState;
  #write: (points: Point[]) => Promise<void>;
  #timer: NodeJS.Timeout | null = null;
  #lastWindow = 0;

  constructor(state: NetworkState, write: (points: Point[]) => Promise<void>) {
    this.#state = state;
    this.#write = write;
  }

  start(): void {
    this.#lastWindow = windowStart(Date.now());
    this.#timer = setInterval(() => this.#maybeWrite(), 1000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #maybeWrite(): void {
    const current = windowStart(Date.now());
    if (current === this.#lastWindow) return;
    this.#lastWindow = current;
    const points = qualityPoints(this.#state, current);
    if (points.length)
      this.#write(points).catch((err: unknown) => console.warn(`[incidents] could not write quality grades: ${(err as Error).message}`));
  }
}
