// The embedded store: samples in a node:sqlite file in the data folder, for a
// machine with no InfluxDB. Same interface, same 14-day raw retention.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Point } from '@noc/shared/metrics';
import type { SampleStore, SeriesBySite, SeriesQuery } from './store.ts';

const RETENTION_MS = 14 * 24 * 3600_000;
const TAG_KEY = /^[a-z_]{1,32}$/;

export class EmbeddedStore implements SampleStore {
  readonly kind = 'embedded' as const;
  readonly location: string;
  #db: DatabaseSync;
  #insert;
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
    this.#insert = this.#db.prepare(
      'INSERT INTO samples (measurement, site, tags, time, fields) VALUES (?, ?, ?, ?, ?)',
    );
    this.#prune();
    this.#pruneTimer = setInterval(() => this.#prune(), 3600_000).unref();
  }

  static async open(file: string): Promise<EmbeddedStore> {
    return new EmbeddedStore(file);
  }

  #prune(): void {
    this.#db.prepare('DELETE FROM samples WHERE time < ?').run(Date.now() - RETENTION_MS);
  }

  async write(points: Point[]): Promise<void> {
    this.#db.exec('BEGIN');
    try {
      for (const p of points) {
        const { site = '', ...tags } = p.tags;
        this.#insert.run(p.measurement, site, JSON.stringify(tags), Math.round(p.time), JSON.stringify(p.fields));
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  async series(query: SeriesQuery): Promise<SeriesBySite> {
    const clauses = ['measurement = ?', 'time > ?'];
    const params: (string | number)[] = [query.measurement, Math.floor(query.since)];
    for (const [k, v] of Object.entries(query.tags ?? {})) {
      if (!TAG_KEY.test(k)) throw new Error(`invalid tag name "${k}"`);
      clauses.push(`json_extract(tags, '$.${k}') = ?`);
      params.push(v);
    }
    const rows = this.#db
      .prepare(
        `SELECT site, time, json_extract(fields, ?) AS value FROM samples
         WHERE ${clauses.join(' AND ')} ORDER BY time`,
      )
      .all(`$.${query.field}`, ...params) as { site: string; time: number; value: unknown }[];
    const out: SeriesBySite = {};
    for (const row of rows) {
      if (typeof row.value !== 'number') continue;
      (out[row.site] ??= []).push([row.time, row.value]);
    }
    return out;
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    clearInterval(this.#pruneTimer);
    if (this.#db.isOpen) this.#db.close();
  }
}
