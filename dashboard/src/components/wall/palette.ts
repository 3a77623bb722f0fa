// The wall's colours, one place for the tiles, the topology and the lists: a
// grade or a state always has the same colour wherever it shows.
// The grade and severity colours live in shared/ (the Grafana dashboards use them too).
import type { ComponentState } from '@noc/shared/health';
import type { ShownGrade } from './site-view.ts';

export { GRADE_COLOURS, SEVERITY_COLOURS } from '@noc/shared/palette';

/** Text that reads on each grade's colour. */
export const GRADE_INK: Record<ShownGrade, string> = {
  good: '#052e16',
  ok: '#422006',
  bad: '#431407',
  terrible: '#ffffff',
  none: '#f1f5f9',
};

export const STATE_COLOURS: Record<ComponentState | 'unknown', string> = {
  up: '#22c55e',
  degraded: '#facc15',
  down: '#ef4444',
  disabled: '#64748b',
  unknown: '#64748b',
};

export const WALL_INK = {
  text: '#e2e8f0',
  strong: '#f8fafc',
  muted: '#94a3b8',
  faint: '#475569',
  panel: '#111a2b',
  border: '#1f2b40',
};
