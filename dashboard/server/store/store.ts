// What the NOC server needs of a time-series store. Two implementations: InfluxDB
// (1.x HTTP API) and an embedded store on node:sqlite for machines without one.
import type { Measurement, Point, Tags } from '@noc/shared/metrics';

export interface SeriesQuery {
  measurement: Measurement;
  /** A numeric field of the measurement. */
  field: string;
  /** Only points after this time (ms since the epoch). */
  since: number;
  /** Only points with these tag values (besides site). */
  tags?: Tags;
}

/** Points per site, oldest first: [time ms, value]. */
export type SeriesBySite = Record<string, [number, number][]>;

export interface SampleStore {
  readonly kind: 'influxdb' | 'embedded';
  /** Where the data lives, for logs and health. */
  readonly location: string;
  /** Writes all points or none. */
  write(points: Point[]): Promise<void>;
  series(query: SeriesQuery): Promise<SeriesBySite>;
  /** Resolves when the store answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
