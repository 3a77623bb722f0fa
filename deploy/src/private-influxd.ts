// Where the NOC server's private influxd lives and listens when it runs as a service
// (noc-influxd.service, and the backup and restore of it): its folder `<NOC_DATA_DIR>/influxdb`,
// HTTP on 127.0.0.1:INFLUX_PORT (18086) and the backup/restore RPC service on
// 127.0.0.1:INFLUX_RPC_PORT (18088). Loopback only: nothing but the NOC host reaches it.
import { join } from 'node:path';
import { envPort } from '@noc/shared/env-number';
import { readServerConfig } from '../../dashboard/server/config.ts';

export const PRIVATE_INFLUXD_HOST = '127.0.0.1';

export interface PrivateInfluxd {
  dir: string;
  httpPort: number;
  rpcPort: number;
  /** Its HTTP API, the NOC server's INFLUX_URL. */
  url: string;
  /** `host:port` of its RPC service, for `influxd backup` and `influxd restore`. */
  rpcAddress: string;
}

export function privateInfluxd(env: NodeJS.ProcessEnv = process.env): PrivateInfluxd {
  const { dataDir } = readServerConfig(env);
  const httpPort = envPort(env, 'INFLUX_PORT', 18086);
  const rpcPort = envPort(env, 'INFLUX_RPC_PORT', 18088);
  return {
    dir: join(dataDir, 'influxdb'),
    httpPort,
    rpcPort,
    url: `http://${PRIVATE_INFLUXD_HOST}:${httpPort}`,
    rpcAddress: `${PRIVATE_INFLUXD_HOST}:${rpcPort}`,
  };
}
