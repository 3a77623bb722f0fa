// What a dashboard query names of the metrics schema (shared/src/metrics.ts):
// its measurement, the fields it reads and the tags it filters or groups by,
// read from the InfluxQL or Flux text; and the check that each exists, which
// names the panel of a query that asks for what the schema lacks.
import { MEASUREMENTS, type Measurement } from '@noc/shared/metrics';
import type { QueryLanguage } from './datasources.ts';
import { whereIs, type DashboardQuery } from './panel-queries.ts';
import { fieldsOf, tagsOf } from './schema-fields.ts';

export interface QueryNames {
  measurement: string;
  /** Fields read (selected, or filtered on `_field` in Flux). */
  fields: string[];
  /** The columns each field comes back as (InfluxQL: its alias); the same order as `fields`. */
  columns: string[];
  /** Tags filtered or grouped by. */
  tags: string[];
  /** A tag-values query (a variable): the tag whose values it lists. */
  tagValuesOf?: string;
}

const unique = (xs: string[]): string[] => [...new Set(xs)];
const all = (re: RegExp, text: string, group = 1): string[] => [...text.matchAll(re)].map((m) => m[group]!);

function influxqlNames(query: string): QueryNames {
  const show = /^\s*SHOW\s+TAG\s+VALUES\s+FROM\s+"([^"]+)"\s+WITH\s+KEY\s*=\s*"([^"]+)"/i.exec(query);
  if (show) return { measurement: show[1]!, fields: [], columns: [], tags: [show[2]!], tagValuesOf: show[2]! };
  const m = /^\s*SELECT\s+(.+?)\s+FROM\s+"([^"]+)"(?:\s+WHERE\s+(.+?))?(?:\s+GROUP\s+BY\s+(.+?))?(?:\s+fill\(\w+\))?\s*$/is.exec(query);
  if (!m) throw new Error('is not a SELECT … FROM "<measurement>" or SHOW TAG VALUES query the check can read');
  const [, select, measurement, where = '', groupBy = ''] = m;
  const fields: string[] = [];
  const columns: string[] = [];
  for (const item of select!.split(',')) {
    const f = /^\s*(?:(\w+)\(\s*)?"([^"]+)"\s*\)?\s*(?:AS\s+"([^"]+)")?\s*$/i.exec(item);
    if (!f) throw new Error(`selects ${JSON.stringify(item.trim())}, not a field or a function of one`);
    fields.push(f[2]!);
    columns.push(f[3] ?? f[1] ?? f[2]!);
  }
  const tags = [...all(/"([^"]+)"\s*(?:=~|!~|=|!=|<>)/g, where), ...all(/"([^"]+)"/g, groupBy)];
  return { measurement: measurement!, fields, columns, tags: unique(tags) };
}

function fluxNames(query: string): QueryNames {
  const measurements = unique(all(/r\._measurement\s*==\s*"([^"]+)"/g, query));
  if (measurements.length !== 1) throw new Error(`must filter exactly one _measurement (found ${measurements.length})`);
  const fields = unique(all(/r\._field\s*==\s*"([^"]+)"/g, query));
  const tags = unique([...all(/r\["([^"]+)"\]\s*(?:==|!=|=~|!~)/g, query), ...all(/r\.([A-Za-z]\w*)\s*(?:==|!=|=~|!~)/g, query)]);
  return { measurement: measurements[0]!, fields, columns: fields, tags };
}

/** The schema names a query uses; an unreadable query is an error. */
export function queryNames(language: QueryLanguage, query: string): QueryNames {
  return language === 'influxql' ? influxqlNames(query) : fluxNames(query);
}

/** What a query names that the schema lacks (empty when all is there). */
export function schemaProblems(names: QueryNames): string[] {
  if (!(MEASUREMENTS as string[]).includes(names.measurement)) {
    return [`measurement "${names.measurement}" is not in the schema (measurements: ${MEASUREMENTS.join(', ')})`];
  }
  const m = names.measurement as Measurement;
  const fields = fieldsOf(m);
  const tags = tagsOf(m);
  const problems: string[] = [];
  for (const f of names.fields) {
    if (!fields.includes(f)) problems.push(`field "${f}" is not a field of "${m}" (fields: ${fields.join(', ')})`);
  }
  for (const t of names.tags) {
    // A condition may test a field too; a GROUP BY or tag-values key must be a tag (checked as tagValuesOf).
    if (!tags.includes(t) && !(fields.includes(t) && t !== names.tagValuesOf)) {
      problems.push(`tag "${t}" is not a tag of "${m}" (tags: ${tags.join(', ')})`);
    }
  }
  return problems;
}

/** A dashboard query's schema names, checked: an error naming the panel when it asks for what the schema lacks. */
export function checkQuerySchema(q: DashboardQuery): QueryNames {
  let names: QueryNames;
  try {
    names = queryNames(q.language, q.query);
  } catch (err) {
    throw new Error(`${whereIs(q)} query ${q.refId} ${(err as Error).message}`, { cause: err });
  }
  const problems = schemaProblems(names);
  if (problems.length) throw new Error(`${whereIs(q)} query ${q.refId}: ${problems.join('; ')}`);
  return names;
}
