// The Flux the store runs: the aggregate of each site's fields over a window,
// a report's minutes, and the 2.x tasks that keep the 1-minute means and the
// yes/no fields' counts. Flux reads the same on
// InfluxDB 1.x (with flux-enabled) and 2.x: buckets are `<database>/<policy>`.
import { BOOLEAN_FIELDS, type Tags } from '@noc/shared/metrics';
import { bucketOf, COUNTS_CQ_NAME, countField, MEANS_CQ_NAME, trueField } from './retention.ts';
import { checkAggregateQuery, checkMinutesQuery, yearField } from './queries.ts';
import type { AggregateQuery, MinutesQuery } from './store.ts';

/** A Flux string literal: backslash, double quote and the `${` of interpolation escaped. */
export const fluxString = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\$\{/g, '\\${')}"`;

/** A Flux time literal for ms since the epoch. */
export const fluxTime = (ms: number) => new Date(Math.floor(ms)).toISOString();

function tagFilter(tags: Tags | undefined): string {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return '';
  return `\n  |> filter(fn: (r) => ${entries.map(([k, v]) => `r[${fluxString(k)}] == ${fluxString(v)}`).join(' and ')})`;
}

/**
 * One figure per site and field over [from, to], both ends included: the
 * window is one aggregateWindow as long as the window itself, starting at
 * `from`. On the `year` source the fields read are the 1-minute means.
 */
export function fluxAggregate(database: string, q: AggregateQuery): string {
  checkAggregateQuery(q);
  const source = q.source ?? 'raw';
  const names = q.fields.map((f) => fluxString(source === 'year' ? yearField(f) : f));
  const from = Math.floor(q.from);
  const stop = Math.floor(q.to) + 1;
  return `from(bucket: ${fluxString(bucketOf(database, source))})
  |> range(start: ${fluxTime(from)}, stop: ${fluxTime(stop)})
  |> filter(fn: (r) => r._measurement == ${fluxString(q.measurement)})
  |> filter(fn: (r) => contains(value: r._field, set: [${names.join(', ')}]))${tagFilter(q.tags)}
  |> group(columns: ["site", "_field"])
  |> aggregateWindow(every: ${stop - from}ms, offset: ${from % (stop - from)}ms, fn: ${q.fn}, createEmpty: false)
  |> keep(columns: ["site", "_field", "_value"])`;
}

/**
 * Half of a minutes query in one script: per window, the sum or the count of
 * each site's 1-minute means of `year`, as rows of site, w (the window's
 * index), _value. Windows [from, to) as Flux's range is. sum() and count()
 * right after group() are read in the storage engine; a reduce() that made
 * both at once ran 10–20 times longer (1.12.2, 24 windows of 3 h, 12 sites).
 */
export function fluxMinutes(database: string, q: MinutesQuery, fn: 'sum' | 'count'): string {
  checkMinutesQuery(q);
  if (q.windows.length === 0) throw new Error('a minutes query needs at least one window');
  const bucket = fluxString(bucketOf(database, 'year'));
  const parts = q.windows.map(
    (w, i) => `w${i} = from(bucket: ${bucket})
  |> range(start: ${fluxTime(w.from)}, stop: ${fluxTime(w.to)})
  |> ${minuteValues(q)}
  |> group(columns: ["site"])
  |> ${fn}()
  |> map(fn: (r) => ({site: r.site, w: ${i}, _value: float(v: r._value)}))`,
  );
  // union() takes two streams or more.
  const out = q.windows.length === 1 ? 'w0' : `union(tables: [${q.windows.map((_, i) => `w${i}`).join(', ')}])`;
  return `${parts.join('\n')}\n${out}\n`;
}

/**
 * The rows of `year` holding each minute's value of a field: its mean, or for
 * a yes/no field the share of its samples that said yes (a minute with no
 * `true_` count had none).
 */
function minuteValues(q: MinutesQuery): string {
  const measurement = `r._measurement == ${fluxString(q.measurement)}`;
  if (!BOOLEAN_FIELDS[q.measurement].includes(q.field)) {
    return `filter(fn: (r) => ${measurement} and r._field == ${fluxString(yearField(q.field))})${tagFilter(q.tags)}`;
  }
  const all = countField(q.field);
  const yes = trueField(q.field);
  return `filter(fn: (r) => ${measurement} and (r._field == ${fluxString(all)} or r._field == ${fluxString(yes)}))${tagFilter(q.tags)}
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> filter(fn: (r) => exists r.${all} and r.${all} > 0)
  |> map(fn: (r) => ({r with _value: (if exists r.${yes} then float(v: r.${yes}) else 0.0) / float(v: r.${all})}))`;
}

/** The name of the 2.x task that fills `year`. */
export const meansTaskName = (database: string) => `${database} ${MEANS_CQ_NAME}`;

/**
 * The 2.x task doing what the 1.x continuous query does: every minute, the
 * previous minute's mean of every numeric field, per series, into the `year`
 * bucket as `mean_<field>` at the minute's start.
 */
export function fluxMeansTask(database: string): string {
  return `import "types"

option task = {name: ${fluxString(meansTaskName(database))}, every: 1m}

from(bucket: ${fluxString(bucketOf(database, 'raw'))})
  |> range(start: -task.every)
  |> filter(fn: (r) => types.isNumeric(v: r._value))
  |> aggregateWindow(every: 1m, fn: mean, createEmpty: false, timeSrc: "_start")
  |> map(fn: (r) => ({r with _field: "mean_" + r._field}))
  |> to(bucket: ${fluxString(bucketOf(database, 'year'))})
`;
}

/** The name of the 2.x task that counts the yes/no fields into `year`. */
export const countsTaskName = (database: string) => `${database} ${COUNTS_CQ_NAME}`;

/**
 * The 2.x task doing what the 1.x counts queries do: every minute, per series
 * and yes/no field, the previous minute's samples as `count_<field>` and those
 * that were true as `true_<field>`, into the `year` bucket at the minute's start.
 */
export function fluxCountsTask(database: string): string {
  const count = (prefix: string) => `  |> aggregateWindow(every: 1m, fn: count, createEmpty: false, timeSrc: "_start")
  |> map(fn: (r) => ({r with _field: ${fluxString(prefix)} + r._field}))
  |> to(bucket: ${fluxString(bucketOf(database, 'year'))})`;
  return `import "types"

option task = {name: ${fluxString(countsTaskName(database))}, every: 1m}

flags = from(bucket: ${fluxString(bucketOf(database, 'raw'))})
  |> range(start: -task.every)
  |> filter(fn: (r) => types.isType(v: r._value, type: "bool"))

flags
${count(countField(''))}

flags
  |> filter(fn: (r) => r._value == true)
${count(trueField(''))}
`;
}
