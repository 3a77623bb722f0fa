// Runs a dashboard query against InfluxDB as Grafana would: macros and
// variables substituted, InfluxQL through the `influx` client (database noc),
// Flux through @influxdata/influxdb-client's query API (/api/v2/query), and
// checks the answer: at least one series, and a value in every field the
// query reads. A query that fails, returns nothing or lacks a field is an
// error naming its panel.
import type { QueryApi } from '@influxdata/influxdb-client';
import type { InfluxDB as InfluxqlClient } from 'influx';
import { substituteMacros, type MacroContext } from './macros.ts';
import { whereIs, type DashboardQuery } from './panel-queries.ts';
import { checkQuerySchema } from './query-schema.ts';

export interface QueryClients {
  /** InfluxQL, on the dashboards' database. */
  influxql: InfluxqlClient;
  database: string;
  /** Flux. */
  flux: QueryApi;
}

export interface QueryOutcome {
  query: DashboardQuery;
  /** As sent to InfluxDB. */
  sent: string;
  /** Series (InfluxQL) or tables (Flux) returned. */
  series: number;
  /** Fields (or columns) that came back with at least one value; for a tag-values query, the values. */
  fields: string[];
  rows: number;
}

interface RawSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

const present = (v: unknown): boolean => v !== null && v !== undefined && v !== '';

async function runInfluxql(clients: QueryClients, sent: string): Promise<{ series: RawSeries[] }> {
  const raw = (await clients.influxql.queryRaw(sent, { database: clients.database, precision: 'ms' })) as {
    results?: { error?: string; series?: RawSeries[] }[];
  };
  const result = raw.results?.[0];
  if (result?.error) throw new Error(`InfluxDB: ${result.error}`);
  return { series: result?.series ?? [] };
}

async function runFlux(clients: QueryClients, sent: string): Promise<Record<string, unknown>[]> {
  return clients.flux.collectRows<Record<string, unknown>>(sent);
}

/** Runs one dashboard query and checks what comes back; an error names the panel. */
export async function runDashboardQuery(clients: QueryClients, q: DashboardQuery, ctx: MacroContext): Promise<QueryOutcome> {
  const names = checkQuerySchema(q);
  const fail = (why: string, sent: string) =>
    new Error(`${whereIs(q)} query ${q.refId} ${why}\n  sent: ${sent.replace(/\n/g, '\n        ')}`);
  let sent: string;
  try {
    sent = substituteMacros(q.language, q.query, ctx);
  } catch (err) {
    throw new Error(`${whereIs(q)} query ${q.refId}: ${(err as Error).message}`, { cause: err });
  }
  let outcome: QueryOutcome;
  try {
    outcome = q.language === 'influxql' ? await influxqlOutcome(clients, q, sent, names.tagValuesOf) : await fluxOutcome(clients, q, sent);
  } catch (err) {
    throw fail(`failed: ${(err as Error).message}`, sent);
  }
  if (outcome.series === 0) throw fail('returned no series', sent);
  if (names.tagValuesOf) {
    if (outcome.fields.length === 0) throw fail(`listed no value of tag "${names.tagValuesOf}"`, sent);
    return outcome;
  }
  const missing = names.columns.filter((c) => !outcome.fields.includes(c));
  if (missing.length) {
    throw fail(
      `returned no value for ${missing.map((m) => `"${m}"`).join(', ')} (values came for: ${outcome.fields.join(', ') || 'nothing'})`,
      sent,
    );
  }
  return outcome;
}

async function influxqlOutcome(clients: QueryClients, q: DashboardQuery, sent: string, tagValuesOf?: string): Promise<QueryOutcome> {
  const { series } = await runInfluxql(clients, sent);
  const rows = series.reduce((n, s) => n + s.values.length, 0);
  if (tagValuesOf) {
    const values = new Set<string>();
    for (const s of series) {
      const col = s.columns.indexOf('value');
      for (const row of s.values) if (present(row[col])) values.add(String(row[col]));
    }
    return { query: q, sent, series: series.length, fields: [...values].sort(), rows };
  }
  const withValues = new Set<string>();
  for (const s of series) {
    s.columns.forEach((c, i) => {
      if (c !== 'time' && s.values.some((row) => present(row[i]))) withValues.add(c);
    });
  }
  return { query: q, sent, series: series.length, fields: [...withValues].sort(), rows };
}

async function fluxOutcome(clients: QueryClients, q: DashboardQuery, sent: string): Promise<QueryOutcome> {
  const rows = await runFlux(clients, sent);
  const tables = new Set(rows.map((r) => `${String(r.result)}/${String(r.table)}`));
  const withValues = new Set<string>();
  for (const r of rows) {
    if (typeof r._field === 'string') {
      if (present(r._value)) withValues.add(r._field);
      continue;
    }
    // Pivoted: each field is a column of its own.
    for (const [k, v] of Object.entries(r)) {
      if (!k.startsWith('_') && k !== 'result' && k !== 'table' && present(v)) withValues.add(k);
    }
  }
  return { query: q, sent, series: tables.size, fields: [...withValues].sort(), rows: rows.length };
}
