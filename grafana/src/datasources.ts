// The two Grafana datasources the dashboards query, as provisioned by
// provisioning/datasources/noc.yaml: the same InfluxDB in its two languages.
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DATABASE } from '@noc/shared/metrics';

/** InfluxQL on database `noc`. */
export const INFLUXQL_UID = 'noc-influxql';
/** Flux on bucket `noc/raw` (InfluxDB 1.8+ with Flux enabled, or 2.x). */
export const FLUX_UID = 'noc-flux';

/** The raw samples' bucket: database/retention policy on InfluxDB 1.x. */
export const RAW_BUCKET = `${DATABASE}/raw`;

export type QueryLanguage = 'influxql' | 'flux';

export const DATASOURCES: Record<QueryLanguage, DataSourceRef & { uid: string }> = {
  influxql: { type: 'influxdb', uid: INFLUXQL_UID },
  flux: { type: 'influxdb', uid: FLUX_UID },
};

/** Which language a datasource uid speaks; an unknown uid is an error naming it. */
export function languageOf(uid: string | undefined): QueryLanguage {
  if (uid === INFLUXQL_UID) return 'influxql';
  if (uid === FLUX_UID) return 'flux';
  throw new Error(`unknown datasource uid ${JSON.stringify(uid)} (expected ${INFLUXQL_UID} or ${FLUX_UID})`);
}
