// The figures of an `evidence` entry of the timeline, flattened for a compact
// rendering: the rule's params first, then what the rule recorded (link means,
// power reading, spool depths …), one figure per name, at most MAX_FIGURES.

export type Figure =
  | { key: string; kind: 'number'; value: number }
  | { key: string; kind: 'time'; value: number }
  | { key: string; kind: 'text'; value: string }
  | { key: string; kind: 'flag'; value: boolean }
  /** A [time, value] point, such as the spool depth at the start and end of a window. */
  | { key: string; kind: 'point'; at: number; value: number };

const MAX_FIGURES = 16;
/** Figures named like a moment and large enough to be one (ms since the epoch). */
const isMoment = (key: string, v: number): boolean => (key === 'at' || key === 'lastHeartbeat' || key.endsWith('At')) && v > 1e11;
const isPoint = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number';

export function evidenceFigures(data: Record<string, unknown> | null): Figure[] {
  const out: Figure[] = [];
  const seen = new Set<string>();
  const push = (f: Figure): void => {
    seen.add(f.key);
    out.push(f);
  };
  const add = (key: string, v: unknown, depth: number): void => {
    if (v === null || v === undefined || seen.has(key) || out.length >= MAX_FIGURES) return;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) push({ key, kind: isMoment(key, v) ? 'time' : 'number', value: v });
    } else if (typeof v === 'string') {
      if (v) push({ key, kind: 'text', value: v });
    } else if (typeof v === 'boolean') {
      push({ key, kind: 'flag', value: v });
    } else if (isPoint(v)) {
      push({ key, kind: 'point', at: v[0], value: v[1] });
    } else if (Array.isArray(v)) {
      const items = v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
      if (items.length) push({ key, kind: 'text', value: items.join(', ') });
    } else if (typeof v === 'object' && depth < 2) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) add(k, x, depth + 1);
    }
  };
  if (!data) return out;
  const params = data.params;
  if (params && typeof params === 'object' && !Array.isArray(params)) for (const [k, v] of Object.entries(params)) add(k, v, 1);
  for (const [k, v] of Object.entries(data)) if (k !== 'params') add(k, v, 0);
  return out;
}
