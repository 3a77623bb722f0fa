// What the NOC server gives a capacity-test run (loadtest/src/runner/run-contract.ts):
// the main SFU node's signalling, the nodes' status URLs, its own URL, the
// server secret, the site registry and a work folder of the run's own under
// the data folder (`<dataDir>/load-tests/<id>`).
import { join } from 'node:path';
import type { LoadTestEnvironment } from '@noc/loadtest/runner/run-contract';
import type { Site } from '@noc/shared/sites';
import type { ServerConfig } from '../config.ts';

export function loadTestEnvironment(o: {
  config: Pick<ServerConfig, 'sfuUrl' | 'sfuBackupUrl' | 'dataDir'>;
  nocUrl: string;
  secret: Buffer;
  sites: Site[];
  runId: number;
}): LoadTestEnvironment {
  const main = o.config.sfuUrl.replace(/\/+$/, '');
  return {
    signallingUrl: `${main.replace(/^http/, 'ws')}/signalling`,
    sfuStatusUrls: { main, backup: o.config.sfuBackupUrl },
    nocUrl: o.nocUrl,
    secret: o.secret,
    sites: o.sites,
    workDir: join(o.config.dataDir, 'load-tests', String(o.runId)),
  };
}
