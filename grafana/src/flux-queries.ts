// Flux as the dashboards write it, with the Flux datasource's variables left
// in: v.defaultBucket, v.timeRangeStart, v.timeRangeStop, v.windowPeriod.
import type { Measurement } from '@noc/shared/metrics';
import type { FieldOf, TagOf } from './schema-fields.ts';

export interface FluxSelect<M extends Measurement> {
  measurement: M;
  fields: readonly FieldOf<M>[];
  /** Tag conditions, e.g. `{ scenario: 'capacity' }`. */
  tags?: Partial<Record<TagOf<M>, string>>;
}

const str = (s: string): string => JSON.stringify(s);

function source<M extends Measurement>(q: FluxSelect<M>): string[] {
  const tagConds = Object.entries(q.tags ?? {}).map(([k, v]) => ` and r[${str(k)}] == ${str(v as string)}`);
  return [
    'from(bucket: v.defaultBucket)',
    '  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)',
    `  |> filter(fn: (r) => r._measurement == ${str(q.measurement)}${tagConds.join('')})`,
    `  |> filter(fn: (r) => ${q.fields.map((f) => `r._field == ${str(f)}`).join(' or ')})`,
  ];
}

/** One series per field and tag set, the window's `fn` per v.windowPeriod. */
export function fluxOverTime<M extends Measurement>(q: FluxSelect<M> & { fn: 'mean' | 'max' | 'last' }): string {
  return [...source(q), `  |> aggregateWindow(every: v.windowPeriod, fn: ${q.fn}, createEmpty: false)`].join('\n');
}

/**
 * The fields side by side per sample, one series per value of `by` (a field
 * that identifies, such as a capacity test's run_id), which must be among the
 * fields; `latest` keeps each series' last row only (each figure its last value), merged into one table.
 */
export function fluxPivotBy<M extends Measurement>(q: FluxSelect<M> & { by: FieldOf<M>; latest?: boolean }): string {
  if (!q.fields.includes(q.by)) throw new Error(`fluxPivotBy: "${q.by}" must be one of the fields`);
  const lines = [
    ...source(q),
    '  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")',
    `  |> group(columns: [${str(q.by)}])`,
    `  |> keep(columns: ${JSON.stringify(['_time', ...q.fields])})`,
  ];
  if (q.latest) {
    // Not every sample carries every figure: each figure's last value is carried on to the run's last row.
    for (const f of q.fields) if (f !== q.by) lines.push(`  |> fill(column: ${str(f)}, usePrevious: true)`);
    lines.push(`  |> last(column: ${str(q.by)})`, '  |> group()');
  }
  return lines.join('\n');
}
