// The schema on InfluxDB 2.x, made through its API with
// @influxdata/influxdb-client-apis: buckets `<db>/raw` (14 days) and
// `<db>/year` (400 days), DBRP mappings so InfluxQL on /query reads them as
// the database's retention policies (`raw` the default), and the tasks that
// fill `year` as the 1.x continuous queries do (means, yes/no counts). Idempotent: an existing
// bucket, mapping or task is kept as it is.
import type { InfluxDB } from '@influxdata/influxdb-client';
import { BucketsAPI, DbrpsAPI, OrgsAPI, TasksAPI } from '@influxdata/influxdb-client-apis';
import { HttpError } from '@influxdata/influxdb-client';
import { countsTaskName, fluxCountsTask, fluxMeansTask, meansTaskName } from './flux.ts';
import { bucketOf, RETENTION_POLICIES } from './retention.ts';

const notFound = (err: unknown) => err instanceof HttpError && err.statusCode === 404;

/** The organisation's id; a clear error when it does not exist. */
export async function orgId(client: InfluxDB, org: string): Promise<string> {
  const found = await new OrgsAPI(client).getOrgs({ org }).catch((err: unknown) => {
    if (notFound(err)) return { orgs: [] };
    throw err;
  });
  const id = found.orgs?.find((o) => o.name === org)?.id;
  if (!id) throw new Error(`InfluxDB has no organisation "${org}" (INFLUX_ORG) that the token can see`);
  return id;
}

/** The tasks that fill `year`, by what they keep. */
export const YEAR_TASKS = {
  means: { name: meansTaskName, flux: fluxMeansTask },
  counts: { name: countsTaskName, flux: fluxCountsTask },
} as const;

/** The id of a task that fills `year`, null when it is not installed. */
export async function yearTaskId(client: InfluxDB, orgID: string, database: string, task: keyof typeof YEAR_TASKS): Promise<string | null> {
  const { tasks } = await new TasksAPI(client).getTasks({ orgID, name: YEAR_TASKS[task].name(database) });
  return tasks?.[0]?.id ?? null;
}

export async function ensureInflux2Schema(client: InfluxDB, org: string, database: string): Promise<void> {
  const orgID = await orgId(client, org);
  const buckets = new BucketsAPI(client);
  const dbrps = new DbrpsAPI(client);
  const mapped = (await dbrps.getDBRPs({ orgID, db: database })).content ?? [];
  for (const rp of RETENTION_POLICIES) {
    const name = bucketOf(database, rp.name);
    const existing = await buckets.getBuckets({ orgID, name }).catch((err: unknown) => {
      if (notFound(err)) return { buckets: [] };
      throw err;
    });
    const bucketID =
      existing.buckets?.find((b) => b.name === name)?.id ??
      (await buckets.postBuckets({ body: { orgID, name, retentionRules: [{ type: 'expire', everySeconds: rp.seconds }] } })).id!;
    if (!mapped.some((m) => m.retention_policy === rp.name)) {
      await dbrps.postDBRP({ body: { orgID, bucketID, database, retention_policy: rp.name, default: rp.isDefault } });
    }
  }
  for (const task of Object.keys(YEAR_TASKS) as (keyof typeof YEAR_TASKS)[]) {
    if ((await yearTaskId(client, orgID, database, task)) === null) {
      await new TasksAPI(client).postTasks({ body: { orgID, flux: YEAR_TASKS[task].flux(database), status: 'active' } });
    }
  }
}
