// Chooses the store from the configuration: InfluxDB when a URL is set,
// otherwise the embedded store in the data folder.
import { join } from 'node:path';
import type { ServerConfig } from '../config.ts';
import { EmbeddedStore } from './embedded-store.ts';
import { InfluxStore } from './influx-store.ts';
import type { SampleStore } from './store.ts';
import { waitFor } from '@noc/shared/wait';

export async function openStore(config: ServerConfig): Promise<SampleStore> {
  const url = config.influxUrl;
  if (url === null) return EmbeddedStore.open(join(config.dataDir, 'samples.sqlite'));
  // InfluxDB may still be starting next to us: keep trying for a while.
  return waitFor(`InfluxDB at ${url}`, () =>
    InfluxStore.open({
      url,
      database: config.influxDb,
      user: config.influxUser,
      password: config.influxPassword,
    }),
    { timeoutMs: 30_000, intervalMs: 500 },
  );
}
