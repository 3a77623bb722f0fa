// The store on InfluxDB, 1.x (1.8 or later; the setup builds 1.12.2) or 2.x
// (2.7, with a token and an organisation), through two clients, each where it
// fits: `influx` (node-influx) for InfluxQL on /query (the schema on 1.x, the
// series and latest-value reads) and /ping; `@influxdata/influxdb-client` for
// writes on the v2 write API (bucket `<db>/raw`, which 1.x reads as database
// and retention policy) and for Flux (a window's aggregates). The schema on 2.x
// goes through its API (influx2-schema.ts).
import { InfluxDB as FluxClient } from '@influxdata/influxdb-client';
import { InfluxDB, type IPoolOptions } from 'influx';
import type { Point } from '@noc/shared/metrics';
import { fluxAggregate, fluxMinutes } from './flux.ts';
import { ensureInflux1Schema } from './influx1-schema.ts';
import { ensureInflux2Schema } from './influx2-schema.ts';
import { influxAnswerStatus, influxAnswerText, toStoreError } from './influx-errors.ts';
import { identifyInflux, pingInflux, type InfluxIdentity } from './influx-version.ts';
import { toLine } from './line-protocol.ts';
import { influxLastQL, influxSeriesQL, yearField } from './queries.ts';
import { bucketOf } from './retention.ts';
import { WriteBatcher } from './write-batcher.ts';
import {
  checkPoints,
  type AggregateByField,
  type AggregateQuery,
  type LastBySite,
  type LastQuery,
  type MinutesByWindow,
  type MinutesQuery,
  type SampleStore,
  type SeriesByField,
  type SeriesQuery,
} from './store.ts';

/** Windows per Flux script of a minutes query: a year's meetings in a few requests. */
const MINUTES_PER_SCRIPT = 60;

export { MEANS_CQ_NAME, meansCqSelect, RETENTION_POLICIES } from './retention.ts';

export interface InfluxOptions {
  url: string;
  database: string;
  user?: string | null;
  password?: string | null;
  /** An API token: needed by InfluxDB 2.x (INFLUX_TOKEN). On 1.x the v2 API's token defaults to `user:password`. */
  token?: string | null;
  /** The organisation on InfluxDB 2.x (INFLUX_ORG); 1.x has none. */
  org?: string | null;
  /** For each request; past it InfluxDB counts as unavailable. */
  timeoutMs?: number;
}

/**
 * node-influx never takes a host out of its pool: whether and when to retry is
 * the caller's call (the ingest buffer backs off on its own), and no timer is
 * left running behind a failed request.
 */
const NO_BACKOFF: NonNullable<IPoolOptions['backoff']> = {
  getDelay: () => 0,
  next: () => NO_BACKOFF,
  reset: () => NO_BACKOFF,
};

const LINE_PROTOCOL = { 'content-type': 'text/plain; charset=utf-8' };

export class InfluxStore implements SampleStore {
  readonly kind = 'influxdb' as const;
  readonly location: string;
  readonly database: string;
  #url: string;
  #timeoutMs: number;
  #token: string | null;
  #org: string | null;
  #influx: InfluxDB;
  #client: FluxClient;
  #writePath: string;
  #identity: InfluxIdentity | null = null;
  #schema: Promise<void> | null = null;
  #batcher = new WriteBatcher((lines) => this.#send(lines));

  private constructor(opts: InfluxOptions) {
    const url = new URL(opts.url);
    this.#url = opts.url;
    this.#timeoutMs = opts.timeoutMs ?? 5000;
    this.#token = opts.token || null;
    this.#org = opts.org || null;
    this.database = opts.database;
    this.location = `${opts.url} (database ${opts.database})`;
    // On 2.x, /query takes the token as the password of any user name.
    const user = opts.user || (this.#token ? 'noc' : null);
    const password = opts.password ?? this.#token ?? '';
    this.#influx = new InfluxDB({
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      path: url.pathname.replace(/\/+$/, ''),
      database: opts.database,
      ...(user ? { username: user, password } : {}),
      pool: { maxRetries: 0, requestTimeout: this.#timeoutMs, backoff: NO_BACKOFF },
    });
    const token = this.#token ?? (opts.user ? `${opts.user}:${opts.password ?? ''}` : undefined);
    this.#client = new FluxClient({ url: opts.url, timeout: this.#timeoutMs, ...(token ? { token } : {}) });
    const write = new URLSearchParams({ org: this.#org ?? '', bucket: bucketOf(opts.database, 'raw'), precision: 'ms' });
    this.#writePath = `/api/v2/write?${write}`;
  }

  /** A store that has not talked to InfluxDB yet: the schema is made before the first write. */
  static create(opts: InfluxOptions): InfluxStore {
    return new InfluxStore(opts);
  }

  /** Connects and makes sure the schema (retention and downsampling) exists. */
  static async open(opts: InfluxOptions): Promise<InfluxStore> {
    const store = new InfluxStore(opts);
    await store.ensureSchema();
    return store;
  }

  /** Which InfluxDB answered when the schema was made (null before). */
  get identity(): InfluxIdentity | null {
    return this.#identity;
  }

  /**
   * Makes the database's retention and downsampling on the InfluxDB that
   * answers: retention policies and a continuous query on 1.x, buckets, DBRP
   * mappings and a task on 2.x. Idempotent; what exists is kept.
   */
  ensureSchema(): Promise<void> {
    this.#schema ??= this.#createSchema().catch((err: unknown) => {
      this.#schema = null;
      throw err;
    });
    return this.#schema;
  }

  async #createSchema(): Promise<void> {
    try {
      const identity = await identifyInflux(this.#influx, this.#url, this.#timeoutMs, this.#token !== null);
      if (identity.major === 2) {
        const missing = [this.#token ? null : 'INFLUX_TOKEN', this.#org ? null : 'INFLUX_ORG'].filter((m) => m !== null);
        if (missing.length > 0) {
          throw new Error(
            `InfluxDB at ${this.#url} is ${identity.version ?? '2.x'}, which needs an API token and an organisation: set ${missing.join(' and ')}`,
          );
        }
        await ensureInflux2Schema(this.#client, this.#org!, this.database);
      } else {
        await ensureInflux1Schema(this.#influx, this.database);
      }
      this.#identity = identity;
    } catch (err) {
      throw toStoreError(err, this.#url, 'schema set-up');
    }
  }

  async ping(): Promise<void> {
    try {
      await pingInflux(this.#influx, this.#url, this.#timeoutMs);
    } catch (err) {
      throw toStoreError(err, this.#url, 'ping');
    }
  }

  /** Batched with other callers' writes (write-batcher.ts); the lines are made once, here. */
  async write(points: Point[]): Promise<void> {
    checkPoints(points);
    if (points.length === 0) return;
    await this.ensureSchema();
    return this.#batcher.write(points.map(toLine));
  }

  /** One request on the v2 write API, no retry of the client's own: the gateway's buffer is the one that retries. */
  async #send(lines: string[]): Promise<void> {
    const body = lines.join('\n');
    try {
      await this.#client.transport.request(this.#writePath, body, { method: 'POST', headers: LINE_PROTOCOL });
    } catch (err) {
      // The database (1.x) or bucket (2.x) was dropped behind our back: make it again and write once more.
      if (influxAnswerStatus(err) === 404 && /database not found|bucket .* not found/.test(influxAnswerText(err))) {
        this.#schema = null;
        await this.ensureSchema();
        return this.#client.transport.request(this.#writePath, body, { method: 'POST', headers: LINE_PROTOCOL }).catch((again: unknown) => {
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

  /** Runs Flux (on 1.x as on 2.x); the rows of every table as objects. */
  async flux(query: string): Promise<Record<string, unknown>[]> {
    try {
      return await this.#client.getQueryApi(this.#org ?? '').collectRows<Record<string, unknown>>(query);
    } catch (err) {
      // A 1.x without Flux answers 403: not a matter of waiting.
      if (influxAnswerStatus(err) === 403 && /flux.*disabled/i.test(influxAnswerText(err))) {
        throw new Error(`InfluxDB at ${this.#url} runs no Flux: set flux-enabled = true in the [http] section of its configuration`, {
          cause: err,
        });
      }
      throw toStoreError(err, this.#url, 'Flux query');
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

  /** Flux's aggregateWindow over the whole window (flux.ts). */
  async aggregate(query: AggregateQuery): Promise<AggregateByField> {
    const rows = await this.flux(fluxAggregate(this.database, query));
    const out: AggregateByField = Object.fromEntries(query.fields.map((f) => [f, {}]));
    const byStored = new Map(query.fields.map((f) => [query.source === 'year' ? yearField(f) : f, f]));
    for (const row of rows) {
      const field = byStored.get(String(row._field));
      const site = row.site;
      if (field !== undefined && typeof site === 'string' && typeof row._value === 'number') out[field]![site] = row._value;
    }
    return out;
  }

  /** The sums and the counts (flux.ts), each in scripts of MINUTES_PER_SCRIPT windows, two scripts at a time. */
  async minutes(query: MinutesQuery): Promise<MinutesByWindow> {
    const out: MinutesByWindow = query.windows.map(() => ({}));
    const jobs: { first: number; fn: 'sum' | 'count' }[] = [];
    for (let first = 0; first < query.windows.length; first += MINUTES_PER_SCRIPT) jobs.push({ first, fn: 'sum' }, { first, fn: 'count' });
    const run = async ({ first, fn }: (typeof jobs)[number]) => {
      const windows = query.windows.slice(first, first + MINUTES_PER_SCRIPT);
      for (const row of await this.flux(fluxMinutes(this.database, { ...query, windows }, fn))) {
        const tally = out[first + Number(row.w)];
        if (typeof row.site !== 'string' || typeof row._value !== 'number' || !tally) continue;
        const t = (tally[row.site] ??= { sum: 0, minutes: 0 });
        if (fn === 'sum') t.sum = row._value;
        else t.minutes = row._value;
      }
    };
    for (let i = 0; i < jobs.length; i += 2) await Promise.all(jobs.slice(i, i + 2).map(run));
    return out;
  }

  async close(): Promise<void> {}
}
