// What the NOC server needs of a time-series store. Two implementations: InfluxDB
// (1.x, or 2.x with a token) and an embedded store on node:sqlite for machines without one.
// The reads are planned in queries.ts; a store only runs the plan it is given.
import { fieldSchemas, MEASUREMENTS, type Measurement, type Point, type Tags } from '@noc/shared/metrics';

/**
 * Where a window's points come from: raw samples, or the 1-minute means kept
 * for 400 days (`year`); `bucketMs` null means every point, otherwise the mean
 * of each bucket (aligned to the epoch).
 */
export interface Resolution {
  source: 'raw' | 'year';
  bucketMs: number | null;
}

export interface SeriesQuery {
  measurement: Measurement;
  /** Numeric fields of the measurement: only these are read. */
  fields: readonly string[];
  /** The window, ms since the epoch, both ends included. */
  from: number;
  to: number;
  /** Only points with these tag values. */
  tags?: Tags;
  resolution: Resolution;
}

export interface LastQuery {
  measurement: Measurement;
  field: string;
  /** Only points at or after this time (ms since the epoch). */
  since: number;
  tags?: Tags;
}

/** The statistics a window can be summed up by. */
export const AGGREGATES = ['mean', 'min', 'max', 'count'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** One figure per site and field over a whole window (a report's figures, not a chart's). */
export interface AggregateQuery {
  measurement: Measurement;
  /** Numeric fields of the measurement. */
  fields: readonly string[];
  /** The window, ms since the epoch, both ends included. */
  from: number;
  to: number;
  tags?: Tags;
  fn: Aggregate;
  /** `year`: over the 1-minute means (InfluxDB keeps them 400 days); default `raw`, the samples themselves. */
  source?: Resolution['source'];
}

/**
 * A report's minutes: per window and site, the 1-minute means of one field
 * (on InfluxDB the `mean_<field>` of `year`; the embedded store averages its
 * raw samples per minute). A boolean field counts as 1 when true.
 */
export interface MinutesQuery {
  measurement: Measurement;
  /** A numeric or boolean field of the measurement's samples. */
  field: string;
  tags?: Tags;
  /** Each window [from, to), ms since the epoch. */
  windows: readonly { from: number; to: number }[];
}

/** The sum of a site's 1-minute means in a window, and how many minutes had one. */
export interface MinuteTally {
  sum: number;
  minutes: number;
}

/** One entry per window asked for, in order: per site, its tally (sites without a minute left out). */
export type MinutesByWindow = Record<string, MinuteTally>[];

/** Per field, per site: the figure. */
export type AggregateByField = Record<string, Record<string, number>>;

/** Points per site, oldest first: [time ms, value]. */
export type SeriesBySite = Record<string, [number, number][]>;
/** One SeriesBySite per field asked for. */
export type SeriesByField = Record<string, SeriesBySite>;
/** The latest point per site: [time ms, value]. */
export type LastBySite = Record<string, [number, number]>;

export interface SampleStore {
  readonly kind: 'influxdb' | 'embedded';
  /** Where the data lives, for logs and health. */
  readonly location: string;
  /** Writes all points or none. A point with the same series and time as a stored one replaces its fields. */
  write(points: Point[]): Promise<void>;
  series(query: SeriesQuery): Promise<SeriesByField>;
  last(query: LastQuery): Promise<LastBySite>;
  /** Sites with no value of a field in the window are left out of that field's figures. */
  aggregate(query: AggregateQuery): Promise<AggregateByField>;
  /** Many windows at once (the meetings of a year), per site. */
  minutes(query: MinutesQuery): Promise<MinutesByWindow>;
  /** Resolves when the store answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  /** Samples taken into an outage buffer since the store was opened, to be written later (none without a buffer). */
  readonly bufferedTotal?: number;
  close(): Promise<void>;
}

/** The store cannot be reached or answered 5xx: try again later. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A point no store would take as it is: refused before anything is written. */
export class InvalidPointError extends Error {
  constructor(index: number, message: string) {
    super(`points[${index}]: ${message}`);
    this.name = 'InvalidPointError';
  }
}

const NAME = /^[a-z_][a-z0-9_]{0,39}$/;

/** A field or tag name that may appear in a query or a JSON path. */
export function isName(s: string): boolean {
  return NAME.test(s);
}

type FieldType = 'number' | 'boolean' | 'string';

/** Each field's value type, read off the metrics schema (every field there is optional). */
const FIELD_TYPES = Object.fromEntries(
  MEASUREMENTS.map((m) => [
    m,
    Object.fromEntries(
      Object.entries(fieldSchemas[m].shape).map(([field, schema]) => [field, schema.unwrap().type as FieldType]),
    ) as Record<string, FieldType | undefined>,
  ]),
) as Record<Measurement, Record<string, FieldType | undefined>>;

/**
 * Checks a batch before any of it is written, so a write is all or nothing on
 * both stores: InfluxDB would keep the good lines of a bad batch, and a value
 * of another type than the field's stored ones is refused per point.
 */
export function checkPoints(points: readonly Point[]): void {
  points.forEach((p, i) => {
    if (!MEASUREMENTS.includes(p.measurement)) throw new InvalidPointError(i, `unknown measurement "${p.measurement}"`);
    if (!Number.isFinite(p.time)) throw new InvalidPointError(i, 'time is not a finite number');
    for (const [k, v] of Object.entries(p.tags)) {
      if (!isName(k)) throw new InvalidPointError(i, `invalid tag name "${k}"`);
      if (typeof v !== 'string' || v === '') throw new InvalidPointError(i, `tag ${k} must be a non-empty string`);
    }
    const fields = Object.entries(p.fields);
    if (fields.length === 0) throw new InvalidPointError(i, 'has no fields');
    const types = FIELD_TYPES[p.measurement];
    for (const [k, v] of fields) {
      const type = types[k];
      if (type === undefined) throw new InvalidPointError(i, `${p.measurement} has no field "${k}"`);
      if (typeof v !== type) throw new InvalidPointError(i, `field ${k} must be a ${type}, got ${typeof v}`);
      if (typeof v === 'number' && !Number.isFinite(v)) throw new InvalidPointError(i, `field ${k} is ${v}`);
    }
  });
}

/** Tags with their keys in order: one spelling per series. */
export function sortedTags(tags: Tags): Tags {
  const out: Tags = {};
  for (const k of Object.keys(tags).sort()) out[k] = tags[k]!;
  return out;
}
