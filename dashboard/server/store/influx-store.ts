// The store on InfluxDB's 1.x HTTP API (/ping, /write, /query) through the
// `influx` client (node-influx), on InfluxDB 1.x. The schema is made with
// InfluxQL statements (database, retention policies, continuous query) that
// InfluxDB 2.x and 3.x do not run, so those are not supported.
import { InfluxDB, ResultError, type IPoint, type IPoolOptions } from 'influx';
import type { Point } from '@noc/shared/metrics';
import { quoteIdent } from './influxql.ts';
import { influxLastQL, influxSeriesQL } from './queries.ts';
import {
  checkPoints,
  StoreUnavailableError,
  type LastBySite,
  type LastQuery,
  type SampleStore,
  type SeriesByField,
  type SeriesQuery,
} from './store.ts';

export interface InfluxOptions {
  url: string;
  database: string;
  user?: string | null;
  password?: string | null;
  /** For each request; past it InfluxDB counts as unavailable. */
  timeoutMs?: number;
}

/** Retention: raw samples 14 days (the default policy); 1-minute means 400 days. */
export const RETENTION_POLICIES = [
  { name: 'raw', duration: '14d', isDefault: true },
  { name: 'year', duration: '400d', isDefault: false },
] as const;

/** The continuous query that fills `year`: the mean of every numeric field per minute, per series. */
export const MEANS_CQ_NAME = 'means_1m';
export const meansCqSelect = (db: string) =>
  `SELECT mean(*) INTO ${quoteIdent(db)}."year".:MEASUREMENT FROM ${quoteIdent(db)}."raw"./.*/ GROUP BY time(1m), *`;

/**
 * The client never takes a host out of its pool: whether and when to retry is
 * the caller's call (the ingest buffer backs off on its own), and no timer is
 * left running behind a failed request.
 */
const NO_BACKOFF: NonNullable<IPoolOptions['backoff']> = {
  getDelay: () => 0,
  next: () => NO_BACKOFF,
  reset: () => NO_BACKOFF,
};

/** Writes out at once; batches arriving meanwhile are merged into the next one. */
const MAX_WRITES_IN_FLIGHT = 2;
/** InfluxDB's own advice is 5,000–10,000 points per write. */
const MAX_WRITE_POINTS = 5000;

interface QueuedWrite {
  points: IPoint[];
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Answers that say "not now" rather than "never": the credentials (until the
 * operator fixes them), a time-out, too many writes at once.
 */
const RETRY_LATER = [401, 403, 408, 429];

/**
 * node-influx's HTTP errors are classes of a private file of the package
 * (lib/src/pool), not exported from its entry, so they are told apart by what
 * they carry: an answer with a status (RequestError, 3xx–4xx), or its
 * "service not available" error for a 5xx, a time-out or no host.
 */
function influxAnswerStatus(err: unknown): number | null {
  const res = (err as { res?: { statusCode?: unknown } } | null)?.res;
  return err instanceof Error && typeof res?.statusCode === 'number' ? res.statusCode : null;
}
const influxUnavailable = (err: unknown): boolean => err instanceof Error && err.constructor.name === 'ServiceNotAvailableError';

/** Network failures, 5xx and RETRY_LATER are "unavailable"; another 4xx or a query error is a refusal. */
function toStoreError(err: unknown, url: string, what: string): Error {
  const status = influxAnswerStatus(err);
  if (status !== null) {
    const message = `InfluxDB at ${url} refused the ${what} (${status}): ${(err as Error).message.slice(0, 300)}`;
    return RETRY_LATER.includes(status) ? new StoreUnavailableError(message, { cause: err }) : new Error(message);
  }
  if (err instanceof ResultError) return new Error(`InfluxDB could not run the ${what}: ${err.message}`);
  const e = err as Error & { code?: string };
  // 5xx and time-outs come as ServiceNotAvailableError; a refused or broken connection as a system error with a code.
  if (influxUnavailable(err) || typeof e.code === 'string') {
    const reason = e.code ?? (e.message || 'no answer');
    return new StoreUnavailableError(`InfluxDB at ${url} is unavailable (${what}: ${reason})`, { cause: err });
  }
  return e instanceof Error ? e : new Error(String(err));
}

export class InfluxStore implements SampleStore {
  readonly kind = 'influxdb' as const;
  readonly location: string;
  readonly database: string;
  #url: string;
  #timeoutMs: number;
  #influx: InfluxDB;
  #schema: Promise<void> | null = null;
  #queue: QueuedWrite[] = [];
  #inFlight = 0;

  private constructor(opts: InfluxOptions) {
    const url = new URL(opts.url);
    this.#url = opts.url;
    this.#timeoutMs = opts.timeoutMs ?? 5000;
    this.database = opts.database;
    this.location = `${opts.url} (database ${opts.database})`;
    this.#influx = new InfluxDB({
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      path: url.pathname.replace(/\/+$/, ''),
      database: opts.database,
      ...(opts.user ? { username: opts.user, password: opts.password ?? '' } : {}),
      pool: { maxRetries: 0, requestTimeout: this.#timeoutMs, backoff: NO_BACKOFF },
    });
  }

  /** A store that has not talked to InfluxDB yet: the schema is made before the first write. */
  static create(opts: InfluxOptions): InfluxStore {
    return new InfluxStore(opts);
  }

  /** Connects and makes sure the database, retention policies and downsampling exist. */
  static async open(opts: InfluxOptions): Promise<InfluxStore> {
    const store = new InfluxStore(opts);
    await store.ensureSchema();
    return store;
  }

  /**
   * Creates the database, the retention policies and the continuous query.
   * Idempotent: InfluxDB accepts the same statement again; an existing policy or
   * query with other settings is the operator's choice and is kept.
   */
  ensureSchema(): Promise<void> {
    this.#schema ??= this.#createSchema().catch((err: unknown) => {
      this.#schema = null;
      throw err;
    });
    return this.#schema;
  }

  async #createSchema(): Promise<void> {
    const db = this.database;
    const keepExisting = (err: unknown) => {
      if (!/already exists/.test((err as Error).message)) throw err;
    };
    try {
      await this.#influx.createDatabase(db);
      for (const rp of RETENTION_POLICIES) {
        await this.#influx
          .createRetentionPolicy(rp.name, { database: db, duration: rp.duration, replication: 1, isDefault: rp.isDefault })
          .catch(keepExisting);
      }
      await this.#influx.createContinuousQuery(MEANS_CQ_NAME, meansCqSelect(db), db).catch(keepExisting);
    } catch (err) {
      throw toStoreError(err, this.#url, 'schema set-up');
    }
  }

  async ping(): Promise<void> {
    let stats;
    try {
      stats = await this.#influx.ping(this.#timeoutMs);
    } catch (err) {
      throw toStoreError(err, this.#url, 'ping');
    }
    const host = stats[0];
    if (!host?.online) {
      const why = host?.res ? `answered /ping with ${host.res.statusCode}` : `no answer to /ping within ${this.#timeoutMs} ms`;
      throw new StoreUnavailableError(`InfluxDB at ${this.#url} is unreachable (${why})`);
    }
  }

  /**
   * Writes are batched: while MAX_WRITES_IN_FLIGHT writes are out, the batches
   * that arrive wait and go together in the next write (up to MAX_WRITE_POINTS),
   * so a busy gateway makes few large writes and an idle one adds no delay.
   * A merged write that InfluxDB refuses is tried again batch by batch, so each
   * caller hears about its own points only.
   */
  async write(points: Point[]): Promise<void> {
    checkPoints(points);
    if (points.length === 0) return;
    await this.ensureSchema();
    // Tags go as they are: influxd puts them in order itself.
    const batch: IPoint[] = points.map((p) => ({
      measurement: p.measurement,
      tags: p.tags,
      fields: p.fields,
      timestamp: Math.round(p.time),
    }));
    return new Promise((resolve, reject) => {
      this.#queue.push({ points: batch, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < MAX_WRITES_IN_FLIGHT && this.#queue.length > 0) {
      let size = 0;
      let n = 0;
      while (n < this.#queue.length && (n === 0 || size + this.#queue[n]!.points.length <= MAX_WRITE_POINTS)) {
        size += this.#queue[n]!.points.length;
        n++;
      }
      const group = this.#queue.splice(0, n);
      this.#inFlight++;
      void this.#writeGroup(group).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #writeGroup(group: QueuedWrite[]): Promise<void> {
    try {
      await this.#send(group.length === 1 ? group[0]!.points : group.flatMap((w) => w.points));
      for (const w of group) w.resolve();
    } catch (err) {
      if (err instanceof StoreUnavailableError || group.length === 1) {
        for (const w of group) w.reject(err as Error);
        return;
      }
      // Refused: find out whose points InfluxDB will not take.
      for (const w of group) await this.#send(w.points).then(w.resolve, w.reject);
    }
  }

  async #send(points: IPoint[]): Promise<void> {
    try {
      await this.#influx.writePoints(points, { precision: 'ms' });
    } catch (err) {
      // The database was dropped behind our back: make it again and write once more.
      if (influxAnswerStatus(err) === 404 && /database not found/.test((err as Error).message)) {
        this.#schema = null;
        await this.ensureSchema();
        return this.#influx.writePoints(points, { precision: 'ms' }).catch((again: unknown) => {
          throw toStoreError(again, this.#url, 'write');
        });
      }
      throw toStoreError(err, this.#url, 'write');
    }
  }

  /** Runs InfluxQL in the store's database; rows as node-influx parses them (time as a Date). */
  async query(q: string): Promise<{ name: string; tags: Record<string, string>; rows: Record<string, unknown>[] }[]> {
    try {
      const results = await this.#influx.query<Record<string, unknown>>(q, { precision: 'ms' });
      return results.groups();
    } catch (err) {
      throw toStoreError(err, this.#url, 'query');
    }
  }

  async series(query: SeriesQuery): Promise<SeriesByField> {
    const groups = await this.query(influxSeriesQL(query));
    const out: SeriesByField = Object.fromEntries(query.fields.map((f) => [f, {}]));
    for (const group of groups) {
      const site = group.tags.site;
      if (!site) continue;
      for (const field of query.fields) {
        const points: [number, number][] = [];
        for (const row of group.rows) {
          const v = row[field];
          if (typeof v === 'number') points.push([(row.time as Date).getTime(), v]);
        }
        if (points.length > 0) out[field]![site] = points;
      }
    }
    return out;
  }

  async last(query: LastQuery): Promise<LastBySite> {
    const groups = await this.query(influxLastQL(query));
    const out: LastBySite = {};
    for (const group of groups) {
      const row = group.rows[0];
      const v = row?.[query.field];
      if (group.tags.site && row && typeof v === 'number') out[group.tags.site] = [(row.time as Date).getTime(), v];
    }
    return out;
  }

  async close(): Promise<void> {}
}
