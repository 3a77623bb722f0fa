// InfluxQL as the dashboards write it, with Grafana's macros left in:
// `$timeFilter`, `$__interval`, and template variables such as `$site`.
import type { Measurement } from '@noc/shared/metrics';
import type { FieldOf, TagOf } from './schema-fields.ts';

export type InfluxqlFunction = 'mean' | 'max' | 'min' | 'last';

export interface InfluxqlSelect<M extends Measurement> {
  measurement: M;
  /** Each field with the function over it; the column is named after the field. */
  fields: readonly FieldOf<M>[];
  fn: InfluxqlFunction;
  /** Conditions besides the time range, e.g. `"target" = 'sfu'` or SITE_FILTER. */
  where?: readonly string[];
  /** Tags each series is split by. */
  groupBy?: readonly TagOf<M>[];
}

/** The site chosen in the `site` template variable (Grafana quotes its value for a regex). */
export const SITE_FILTER = `"site" =~ /^$site$/`;

/** `"tag" = 'value'` with the value quoted for InfluxQL. */
export const tagIs = (tag: string, value: string): string => `${ident(tag)} = '${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const ident = (name: string): string => `"${name.replace(/"/g, '\\"')}"`;

function parts<M extends Measurement>(q: InfluxqlSelect<M>): { select: string; from: string; where: string } {
  return {
    select: q.fields.map((f) => `${q.fn}(${ident(f)}) AS ${ident(f)}`).join(', '),
    from: ident(q.measurement),
    where: [...(q.where ?? []), '$timeFilter'].join(' AND '),
  };
}

/** One series per group over time, a point per `$__interval`. */
export function overTime<M extends Measurement>(q: InfluxqlSelect<M>): string {
  const { select, from, where } = parts(q);
  const groupBy = ['time($__interval)', ...(q.groupBy ?? []).map(ident)].join(', ');
  return `SELECT ${select} FROM ${from} WHERE ${where} GROUP BY ${groupBy} fill(null)`;
}

/** One row per group over the whole time range (e.g. each site's latest figures). */
export function overRange<M extends Measurement>(q: InfluxqlSelect<M>): string {
  const { select, from, where } = parts(q);
  const groupBy = (q.groupBy ?? []).map(ident).join(', ');
  return `SELECT ${select} FROM ${from} WHERE ${where}${groupBy ? ` GROUP BY ${groupBy}` : ''}`;
}

/** The values a tag takes in a measurement: a template variable's query. */
export const tagValues = <M extends Measurement>(measurement: M, tag: TagOf<M>): string =>
  `SHOW TAG VALUES FROM ${ident(measurement)} WITH KEY = ${ident(tag)}`;
