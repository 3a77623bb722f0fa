// The embedded store: samples in a node:sqlite file in the data folder, for a
// machine with no InfluxDB. Same interface, same 14-day raw retention, and the
// same rule as InfluxDB for a repeated point: same series and time, one point.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Point } from '@noc/shared/metrics';
import { checkMinutesQuery, RAW_RETENTION_MS, sqliteAggregateSQL, sqliteLastSQL, sqliteMinutesSQL, sqliteSeriesSQL } from './queries.ts';
import {
  checkPoints,
  sortedTags,
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

type Row = Record<string, unknown> & { site: string; t: number };

export class EmbeddedStore implements SampleStore {
  readonly kind = 'embedded' as const;
  readonly location: string;
  #db: DatabaseSync;
  #insert: StatementSync;
  #pruneTimer: NodeJS.Timeout;

  private constructor(file: string) {
    this.location = file;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new DatabaseSync(file);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS samples (
        measurement TEXT NOT NULL,
        site TEXT NOT NULL,
        tags TEXT NOT NULL,
        time INTEGER NOT NULL,
        fields TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS samples_by_time ON samples (measurement, time);
    `);
    this.#uniqueSeries();
    // InfluxDB's rule: a point with the series and time of a stored one merges its fields into it.
    this.#insert = this.#db.prepare(
      `INSERT INTO samples (measurement, site, tags, time, fields) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (measurement, site, tags, time) DO UPDATE SET fields = json_patch(fields, excluded.fields)`,
    );
    this.#prune();
    this.#pruneTimer = setInterval(() => this.#prune(), 3600_000).unref();
  }

  /** One row per series and time; files written before this rule lose their repeats once. */
  #uniqueSeries(): void {
    const exists = this.#db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'samples_by_series'`).get();
    if (exists) return;
    this.#db.exec(`
      BEGIN;
      DELETE FROM samples WHERE rowid NOT IN (SELECT max(rowid) FROM samples GROUP BY measurement, site, tags, time);
      CREATE UNIQUE INDEX samples_by_series ON samples (measurement, site, tags, time);
      COMMIT;
    `);
  }

  static async open(file: string): Promise<EmbeddedStore> {
    return new EmbeddedStore(file);
  }

  #prune(): void {
    this.#db.prepare('DELETE FROM samples WHERE time < ?').run(Date.now() - RAW_RETENTION_MS);
  }

  async write(points: Point[]): Promise<void> {
    checkPoints(points);
    this.#db.exec('BEGIN');
    try {
      for (const p of points) {
        const { site = '', ...tags } = p.tags;
        this.#insert.run(p.measurement, site, JSON.stringify(sortedTags(tags)), Math.round(p.time), JSON.stringify(p.fields));
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  async series(query: SeriesQuery): Promise<SeriesByField> {
    const { sql, params } = sqliteSeriesSQL(query);
    const rows = this.#db.prepare(sql).all(...params) as Row[];
    const out: SeriesByField = Object.fromEntries(query.fields.map((f) => [f, {}]));
    query.fields.forEach((field, i) => {
      const bySite = out[field]!;
      for (const row of rows) {
        const v = row[`f${i}`];
        if (typeof v === 'number') (bySite[row.site] ??= []).push([row.t, v]);
      }
    });
    return out;
  }

  async last(query: LastQuery): Promise<LastBySite> {
    const { sql, params } = sqliteLastSQL(query);
    const out: LastBySite = {};
    for (const row of this.#db.prepare(sql).all(...params) as Row[]) {
      if (typeof row.f0 === 'number') out[row.site] = [row.t, row.f0];
    }
    return out;
  }

  async aggregate(query: AggregateQuery): Promise<AggregateByField> {
    const { sql, params } = sqliteAggregateSQL(query);
    const rows = this.#db.prepare(sql).all(...params) as Row[];
    const out: AggregateByField = Object.fromEntries(query.fields.map((f) => [f, {}]));
    query.fields.forEach((field, i) => {
      for (const row of rows) {
        const v = row[`f${i}`];
        // count() is 0, not NULL, for a site without the field: left out as on InfluxDB.
        if (typeof v === 'number' && !(query.fn === 'count' && v === 0)) out[field]![row.site] = v;
      }
    });
    return out;
  }

  async minutes(query: MinutesQuery): Promise<MinutesByWindow> {
    checkMinutesQuery(query);
    return query.windows.map((w) => {
      const { sql, params } = sqliteMinutesSQL(query, w);
      const tally: MinutesByWindow[number] = {};
      for (const row of this.#db.prepare(sql).all(...params) as Row[]) {
        tally[row.site] = { sum: Number(row.sum), minutes: Number(row.minutes) };
      }
      return tally;
    });
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    clearInterval(this.#pruneTimer);
    if (this.#db.isOpen) this.#db.close();
  }
}
