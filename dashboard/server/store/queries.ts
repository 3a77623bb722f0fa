// Every read the NOC makes of its samples, in one place: which resolution a
// window is drawn at, and the InfluxQL and SQL that read it (the Flux of a
// window's aggregate is in flux.ts). Both stores run
// the same plan, reading only the fields asked for (InfluxDB spends ~10× longer
// on mean(*) over a measurement than on mean(one_field)).
import { YEAR_RETENTION_MS } from '@noc/shared/history-query';
import type { Measurement, Tags } from '@noc/shared/metrics';
import { fieldSchemas, NUMERIC_FIELDS } from '@noc/shared/metrics';
import { quoteIdent, quoteLiteral } from './influxql.ts';
import {
  AGGREGATES,
  isName,
  type AggregateQuery,
  type LastBySite,
  type LastQuery,
  type MinutesQuery,
  type Resolution,
  type SampleStore,
  type SeriesByField,
  type SeriesQuery,
} from './store.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Windows up to this long are drawn from every raw point. */
export const RAW_WINDOW_MS = 15 * MINUTE;
/** Raw samples are kept this long (retention policy `raw`). */
export const RAW_RETENTION_MS = 14 * DAY;
/** The 1-minute means are kept this long (retention policy `year`); the history API's longest window. */
export { YEAR_RETENTION_MS };
/** A chart needs no more points per site than this. */
export const MAX_POINTS_PER_SITE = 400;
/** Mean buckets, smallest first; the year policy holds 1-minute means, so it starts at 1 minute. */
const BUCKETS_MS = [10_000, 30_000, MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];

/** The fields the continuous query `means_1m` writes into `year`: mean_<field>. */
export const yearField = (field: string) => `mean_${field}`;

/**
 * Raw points for a window of up to 15 minutes; beyond that, means over buckets
 * that keep a site's series under MAX_POINTS_PER_SITE; beyond the 14-day raw
 * retention, means of the `year` policy's 1-minute means.
 */
export function resolutionFor(windowMs: number): Resolution {
  if (windowMs <= RAW_WINDOW_MS) return { source: 'raw', bucketMs: null };
  const source = windowMs > RAW_RETENTION_MS ? 'year' : 'raw';
  const smallest = source === 'year' ? MINUTE : 0;
  const bucketMs = BUCKETS_MS.find((b) => b >= smallest && windowMs / b <= MAX_POINTS_PER_SITE) ?? BUCKETS_MS[BUCKETS_MS.length - 1]!;
  return { source, bucketMs };
}

/** InfluxDB's duration literal for a bucket. */
function influxDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Refuses fields that are not numeric fields of the measurement, and odd tag names. */
export function checkNames(measurement: Measurement, fields: readonly string[], tags: Tags | undefined): void {
  if (fields.length === 0) throw new Error('a query needs at least one field');
  for (const f of fields) {
    if (!NUMERIC_FIELDS[measurement].includes(f)) throw new Error(`"${f}" is not a numeric field of ${measurement}`);
  }
  for (const k of Object.keys(tags ?? {})) if (!isName(k)) throw new Error(`invalid tag name "${k}"`);
}

function influxWhere(from: number, to: number | null, tags: Tags | undefined): string {
  const where = [`time >= ${Math.floor(from)}ms`];
  if (to !== null) where.push(`time <= ${Math.floor(to)}ms`);
  for (const [k, v] of Object.entries(tags ?? {})) where.push(`${quoteIdent(k)} = ${quoteLiteral(v)}`);
  return where.join(' AND ');
}

/**
 * InfluxQL for a series query; columns come back as time, then the fields in
 * order, named by field. The year windows stay on InfluxQL: measured against
 * the same read in Flux (aggregateWindow over `noc/year`) on 1.12.2 with 60
 * days of 1-minute means for 12 sites, neither was faster throughout (medians
 * of 9, InfluxQL / Flux: 15 days 403 / 584 ms, 30 days 575 / 533, 90 days
 * 929 / 1160, 400 days 1153 / 1173), and InfluxQL reads the same on the
 * 1.x API of both majors.
 */
export function influxSeriesQL(q: SeriesQuery): string {
  checkNames(q.measurement, q.fields, q.tags);
  const { source, bucketMs } = q.resolution;
  const where = influxWhere(q.from, q.to, q.tags);
  if (bucketMs === null) {
    if (source !== 'raw') throw new Error('the year policy holds means only: give a bucket');
    return `SELECT ${q.fields.map(quoteIdent).join(', ')} FROM ${quoteIdent(q.measurement)} WHERE ${where} GROUP BY "site"`;
  }
  const select = q.fields.map((f) => `mean(${quoteIdent(source === 'year' ? yearField(f) : f)}) AS ${quoteIdent(f)}`).join(', ');
  const from = source === 'year' ? `"year".${quoteIdent(q.measurement)}` : quoteIdent(q.measurement);
  return `SELECT ${select} FROM ${from} WHERE ${where} GROUP BY time(${influxDuration(bucketMs)}), "site" fill(none)`;
}

/** InfluxQL for the latest value per site; columns: time, the field. */
export function influxLastQL(q: LastQuery): string {
  checkNames(q.measurement, [q.field], q.tags);
  return (
    `SELECT last(${quoteIdent(q.field)}) AS ${quoteIdent(q.field)} FROM ${quoteIdent(q.measurement)} ` +
    `WHERE ${influxWhere(q.since, null, q.tags)} GROUP BY "site"`
  );
}

export interface SqlQuery {
  sql: string;
  params: (string | number)[];
}

function sqliteWhere(measurement: Measurement, from: number, to: number | null, tags: Tags | undefined): SqlQuery {
  const clauses = ['measurement = ?', 'time >= ?'];
  const params: (string | number)[] = [measurement, Math.floor(from)];
  if (to !== null) {
    clauses.push('time <= ?');
    params.push(Math.floor(to));
  }
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (k === 'site') {
      clauses.push('site = ?');
    } else {
      clauses.push(`json_extract(tags, '$.${k}') = ?`);
    }
    params.push(v);
  }
  return { sql: clauses.join(' AND '), params };
}

/** The value of a numeric field, NULL where the point lacks it. */
const sqliteNumber = (field: string) =>
  `CASE WHEN json_type(fields, '$.${field}') IN ('integer', 'real') THEN json_extract(fields, '$.${field}') END`;

/**
 * SQL for a series query on the embedded store (table `samples`): rows of
 * site, t, then f0, f1 … for the fields in order. The embedded store keeps raw
 * samples only, so the year source is read from them too.
 */
export function sqliteSeriesSQL(q: SeriesQuery): SqlQuery {
  checkNames(q.measurement, q.fields, q.tags);
  const where = sqliteWhere(q.measurement, q.from, q.to, q.tags);
  const { bucketMs } = q.resolution;
  if (bucketMs === null) {
    const cols = q.fields.map((f, i) => `${sqliteNumber(f)} AS f${i}`).join(', ');
    return { sql: `SELECT site, time AS t, ${cols} FROM samples WHERE ${where.sql} ORDER BY time`, params: where.params };
  }
  // The bucket is a whole number from BUCKETS_MS: written into the SQL so the division stays an integer one.
  const bucket = Math.floor(bucketMs);
  const cols = q.fields.map((f, i) => `avg(${sqliteNumber(f)}) AS f${i}`).join(', ');
  return {
    sql: `SELECT site, (time / ${bucket}) * ${bucket} AS t, ${cols} FROM samples WHERE ${where.sql} GROUP BY site, t ORDER BY t`,
    params: where.params,
  };
}

/** SQL for the latest value per site: rows of site, t, f0. */
export function sqliteLastSQL(q: LastQuery): SqlQuery {
  checkNames(q.measurement, [q.field], q.tags);
  const where = sqliteWhere(q.measurement, q.since, null, q.tags);
  const value = sqliteNumber(q.field);
  return {
    // SQLite returns the bare columns of the row that holds max(time).
    sql: `SELECT site, max(time) AS t, ${value} AS f0 FROM samples WHERE ${where.sql} AND ${value} IS NOT NULL GROUP BY site`,
    params: where.params,
  };
}

/** Refuses an aggregate query no store could answer: unknown fields or statistic, a window that ends before it starts. */
export function checkAggregateQuery(q: AggregateQuery): void {
  checkNames(q.measurement, q.fields, q.tags);
  if (!AGGREGATES.includes(q.fn)) throw new Error(`unknown aggregate "${String(q.fn)}": one of ${AGGREGATES.join(', ')}`);
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to) || q.to < q.from)
    throw new Error('the window must be finite and end after it starts');
}

/** Refuses a minutes query: a field neither numeric nor boolean, windows that end before they start. */
export function checkMinutesQuery(q: MinutesQuery): void {
  const type = (fieldSchemas[q.measurement]?.shape as Record<string, { unwrap(): { type: string } }> | undefined)?.[q.field]?.unwrap().type;
  if (type !== 'number' && type !== 'boolean') throw new Error(`"${q.field}" is not a numeric or boolean field of ${q.measurement}`);
  for (const k of Object.keys(q.tags ?? {})) if (!isName(k)) throw new Error(`invalid tag name "${k}"`);
  q.windows.forEach((w, i) => {
    if (!Number.isFinite(w.from) || !Number.isFinite(w.to) || w.to <= w.from)
      throw new Error(`windows[${i}] must be finite and end after it starts`);
  });
}

/**
 * SQL for one window of a minutes query on the embedded store: rows of site,
 * sum, minutes; each minute's value the mean of its raw samples (true 1, false 0).
 */
export function sqliteMinutesSQL(q: MinutesQuery, window: { from: number; to: number }): SqlQuery {
  const where = sqliteWhere(q.measurement, window.from, window.to - 1, q.tags);
  const f = q.field;
  const value = `CASE json_type(fields, '$.${f}') WHEN 'true' THEN 1.0 WHEN 'false' THEN 0.0 WHEN 'integer' THEN json_extract(fields, '$.${f}') WHEN 'real' THEN json_extract(fields, '$.${f}') END`;
  return {
    sql: `SELECT site, sum(m) AS sum, count(*) AS minutes FROM (
            SELECT site, time / 60000 AS minute, avg(${value}) AS m FROM samples WHERE ${where.sql} GROUP BY site, minute
          ) WHERE m IS NOT NULL GROUP BY site`,
    params: where.params,
  };
}

/** SQL for one figure per site and field over a window: rows of site, f0, f1 … (the embedded store reads its raw samples for either source). */
export function sqliteAggregateSQL(q: AggregateQuery): SqlQuery {
  checkAggregateQuery(q);
  const where = sqliteWhere(q.measurement, q.from, q.to, q.tags);
  const fn = q.fn === 'mean' ? 'avg' : q.fn;
  const cols = q.fields.map((f, i) => `${fn}(${sqliteNumber(f)}) AS f${i}`).join(', ');
  return { sql: `SELECT site, ${cols} FROM samples WHERE ${where.sql} GROUP BY site`, params: where.params };
}

export interface WindowRequest {
  measurement: Measurement;
  fields: readonly string[];
  from: number;
  /** Defaults to now. */
  to?: number;
  tags?: Tags;
}

export interface WindowAnswer {
  resolution: Resolution;
  /** The start of the first bucket (or `from` for raw points). */
  from: number;
  to: number;
  series: SeriesByField;
}

/** The reads the API makes, planned here and run by whichever store is configured. */
export class SampleQueries {
  #store: SampleStore;

  constructor(store: SampleStore) {
    this.#store = store;
  }

  /** Per-site series of the given fields over a window, at the resolution the window calls for. */
  async window(req: WindowRequest): Promise<WindowAnswer> {
    const to = req.to ?? Date.now();
    if (!(to > req.from)) throw new Error('the window must end after it starts');
    const resolution = resolutionFor(to - req.from);
    // Bucket queries start on a bucket boundary so the first bucket is a whole one on both stores.
    const from = resolution.bucketMs === null ? req.from : Math.floor(req.from / resolution.bucketMs) * resolution.bucketMs;
    const series = await this.#store.series({
      measurement: req.measurement,
      fields: req.fields,
      from,
      to,
      resolution,
      ...(req.tags ? { tags: req.tags } : {}),
    });
    return { resolution, from, to, series };
  }

  /** The latest value of a field per site, looking back at most `withinMs` (default: the raw retention). */
  async last(req: { measurement: Measurement; field: string; tags?: Tags; withinMs?: number }): Promise<LastBySite> {
    return this.#store.last({
      measurement: req.measurement,
      field: req.field,
      since: Date.now() - (req.withinMs ?? RAW_RETENTION_MS),
      ...(req.tags ? { tags: req.tags } : {}),
    });
  }
}
