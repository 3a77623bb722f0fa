// The store on InfluxDB's 1.x HTTP API (/ping, /write, /query), which InfluxDB
// 1.x serves and 2.x/3.x keep for compatibility.
import type { Point } from '@noc/shared/metrics';
import { quoteIdent, quoteLiteral, toLineProtocol } from './line-protocol.ts';
import { StoreUnavailableError, type SampleStore, type SeriesBySite, type SeriesQuery } from './store.ts';

export interface InfluxOptions {
  url: string;
  database: string;
  user?: string | null;
  password?: string | null;
  timeoutMs?: number;
}

interface QueryResult {
  results?: { error?: string; series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[] }[];
  error?: string;
}

/** Retention (DESIGN §4): raw 14 days; 1-minute means for 400 days. */
const SCHEMA_STATEMENTS = (db: string) => [
  `CREATE DATABASE ${quoteIdent(db)}`,
  `CREATE RETENTION POLICY "raw" ON ${quoteIdent(db)} DURATION 14d REPLICATION 1 DEFAULT`,
  `CREATE RETENTION POLICY "year" ON ${quoteIdent(db)} DURATION 400d REPLICATION 1`,
  `CREATE CONTINUOUS QUERY "means_1m" ON ${quoteIdent(db)} BEGIN SELECT mean(*) INTO ${quoteIdent(db)}."year".:MEASUREMENT FROM ${quoteIdent(db)}."raw"./.*/ GROUP BY time(1m), * END`,
];

export class InfluxStore implements SampleStore {
  readonly kind = 'influxdb' as const;
  readonly location: string;
  #opts: Required<InfluxOptions>;
  #auth: Record<string, string>;

  private constructor(opts: InfluxOptions) {
    this.#opts = { user: null, password: null, timeoutMs: 5000, ...opts };
    this.location = `${opts.url} (database ${opts.database})`;
    this.#auth = opts.user
      ? { authorization: `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ''}`).toString('base64')}` }
      : {};
  }

  /** Connects and makes sure the database, retention policies and downsampling exist. */
  static async open(opts: InfluxOptions): Promise<InfluxStore> {
    const store = new InfluxStore(opts);
    await store.ping();
    for (const statement of SCHEMA_STATEMENTS(opts.database)) {
      try {
        await store.#query(statement, 'POST');
      } catch (err) {
        // An existing policy or query with other settings is the operator's choice: keep it.
        if (!/already exists/.test((err as Error).message)) throw err;
      }
    }
    return store;
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.#opts.url}${path}`, {
        ...init,
        headers: { ...this.#auth, ...(init.headers as Record<string, string> | undefined) },
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
      });
    } catch (err) {
      throw new StoreUnavailableError(`InfluxDB at ${this.#opts.url} is unreachable: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  async ping(): Promise<void> {
    const res = await this.#fetch('/ping', { method: 'GET' });
    if (res.status !== 204 && res.status !== 200) {
      throw new StoreUnavailableError(`InfluxDB at ${this.#opts.url} answered /ping with ${res.status}`);
    }
  }

  async write(points: Point[]): Promise<void> {
    if (points.length === 0) return;
    const db = encodeURIComponent(this.#opts.database);
    const res = await this.#fetch(`/write?db=${db}&precision=ms`, {
      method: 'POST',
      body: toLineProtocol(points),
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    if (res.status !== 204) {
      const body = await res.text();
      const message = `InfluxDB refused the write (${res.status}): ${body.slice(0, 300)}`;
      throw res.status >= 500 ? new StoreUnavailableError(message) : new Error(message);
    }
  }

  async #query(q: string, method: 'GET' | 'POST' = 'GET'): Promise<QueryResult> {
    const params = new URLSearchParams({ db: this.#opts.database, epoch: 'ms', q });
    const res =
      method === 'GET'
        ? await this.#fetch(`/query?${params}`, { method })
        : await this.#fetch('/query', {
            method,
            body: params,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          });
    const body = (await res.json().catch(() => ({}))) as QueryResult;
    const error = body.error ?? body.results?.find((r) => r.error)?.error;
    if (!res.ok || error) {
      const message = `InfluxDB query failed (${res.status}): ${error ?? 'no error text'}`;
      throw res.status >= 500 ? new StoreUnavailableError(message) : new Error(message);
    }
    return body;
  }

  async series(query: SeriesQuery): Promise<SeriesBySite> {
    const where = [`time > ${Math.floor(query.since)}ms`];
    for (const [k, v] of Object.entries(query.tags ?? {})) where.push(`${quoteIdent(k)} = ${quoteLiteral(v)}`);
    const q =
      `SELECT ${quoteIdent(query.field)} FROM ${quoteIdent(query.measurement)} ` +
      `WHERE ${where.join(' AND ')} GROUP BY "site"`;
    const body = await this.#query(q);
    const out: SeriesBySite = {};
    for (const s of body.results?.[0]?.series ?? []) {
      const site = s.tags?.site;
      if (!site) continue;
      out[site] = s.values.filter((row) => typeof row[1] === 'number').map((row) => [row[0] as number, row[1] as number]);
    }
    return out;
  }

  async close(): Promise<void> {}
}
