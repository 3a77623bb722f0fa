// The store's schema on InfluxDB, shared by both majors: raw samples 14 days
// (the default), 1-minute means 400 days, filled once a minute. On 1.x these
// are retention policies of the database and continuous queries; on 2.x
// buckets named `<database>/<policy>` (so Flux's `from(bucket: "noc/raw")`
// reads the same on both), DBRP mappings and tasks. A mean skips yes/no
// fields, so `year` keeps their counts per minute instead: how many samples,
// and how many of them said yes.
import { BOOLEAN_FIELDS, MEASUREMENTS } from '@noc/shared/metrics';
import { quoteIdent } from './influxql.ts';

export const RETENTION_POLICIES = [
  { name: 'raw', duration: '14d', seconds: 14 * 86_400, isDefault: true },
  { name: 'year', duration: '400d', seconds: 400 * 86_400, isDefault: false },
] as const;

export type PolicyName = (typeof RETENTION_POLICIES)[number]['name'];

/** The bucket of a policy: the name InfluxDB 1.x's v2 API and Flux give `database/policy`, and the name of the bucket on 2.x. */
export const bucketOf = (database: string, policy: PolicyName) => `${database}/${policy}`;

/** The continuous query (1.x) and the task (2.x) that fill `year`: the mean of every numeric field per minute, per series. */
export const MEANS_CQ_NAME = 'means_1m';
export const meansCqSelect = (db: string) =>
  `SELECT mean(*) INTO ${quoteIdent(db)}."year".:MEASUREMENT FROM ${quoteIdent(db)}."raw"./.*/ GROUP BY time(1m), *`;

/** The fields of `year` that keep a yes/no field's minute: its samples, and those that said yes. */
export const countField = (field: string) => `count_${field}`;
export const trueField = (field: string) => `true_${field}`;

/**
 * A yes/no field's minute in `year` as line-protocol fields: `samples` of it,
 * `yes` of them true; no `true_` count when none was (the counts write none).
 */
export const countsLineFields = (field: string, samples: number, yes: number) =>
  yes === 0 ? `${countField(field)}=${samples}i` : `${countField(field)}=${samples}i,${trueField(field)}=${yes}i`;

/** The continuous queries (1.x) and the task (2.x) that count the yes/no fields into `year`. */
export const COUNTS_CQ_NAME = 'counts_1m';

/** Two continuous queries per yes/no field: all its samples per minute, and those that were true. */
export function countsCqs(db: string): { name: string; select: string }[] {
  const out: { name: string; select: string }[] = [];
  for (const m of MEASUREMENTS) {
    for (const f of BOOLEAN_FIELDS[m]) {
      const into = `INTO ${quoteIdent(db)}."year".${quoteIdent(m)} FROM ${quoteIdent(db)}."raw".${quoteIdent(m)}`;
      out.push(
        {
          name: `${COUNTS_CQ_NAME}_${m}_${f}`,
          select: `SELECT count(${quoteIdent(f)}) AS ${quoteIdent(countField(f))} ${into} GROUP BY time(1m), *`,
        },
        {
          name: `${COUNTS_CQ_NAME}_${m}_${f}_true`,
          select: `SELECT count(${quoteIdent(f)}) AS ${quoteIdent(trueField(f))} ${into} WHERE ${quoteIdent(f)} = true GROUP BY time(1m), *`,
        },
      );
    }
  }
  return out;
}
