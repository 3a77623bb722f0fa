// The NOC's colours for a quality grade and an incident's severity: the wall
// and the Grafana dashboards (grafana/) draw them alike.
import type { Severity } from './incidents.ts';
import type { Grade } from './quality.ts';

/** A grade as shown: `none` when there is no current grade. */
export type ShownGrade = Grade | 'none';

export const GRADE_COLOURS: Record<ShownGrade, string> = {
  good: '#22c55e',
  ok: '#facc15',
  bad: '#fb923c',
  terrible: '#ef4444',
  none: '#64748b',
};

export const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: '#ef4444',
  major: '#fb923c',
  warning: '#facc15',
};
