// The schema on InfluxDB 1.x, made with InfluxQL through node-influx: the
// database, the retention policies `raw` (default) and `year`, and the
// continuous queries that fill `year` (the means, and the yes/no fields' counts). Idempotent: InfluxDB accepts the same
// statement again; an existing policy or query with other settings is the
// operator's choice and is kept.
import type { InfluxDB } from 'influx';
import { countsCqs, MEANS_CQ_NAME, meansCqSelect, RETENTION_POLICIES } from './retention.ts';

export async function ensureInflux1Schema(influx: InfluxDB, database: string): Promise<void> {
  const keepExisting = (err: unknown) => {
    if (!/already exists/.test((err as Error).message)) throw err;
  };
  await influx.createDatabase(database);
  for (const rp of RETENTION_POLICIES) {
    await influx
      .createRetentionPolicy(rp.name, { database, duration: rp.duration, replication: 1, isDefault: rp.isDefault })
      .catch(keepExisting);
  }
  await influx.createContinuousQuery(MEANS_CQ_NAME, meansCqSelect(database), database).catch(keepExisting);
  for (const cq of countsCqs(database)) await influx.createContinuousQuery(cq.name, cq.select, database).catch(keepExisting);
}
