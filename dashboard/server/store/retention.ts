// The store's schema on InfluxDB, shared by both majors: raw samples 14 days
// (the default), 1-minute means 400 days, filled once a minute. On 1.x these
// are retention policies of the database and a continuous query; on 2.x
// buckets named `<database>/<policy>` (so Flux's `from(bucket: "noc/raw")`
// reads the same on both), DBRP mappings and a task.
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
