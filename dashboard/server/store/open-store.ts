// Chooses the store from the configuration: InfluxDB when a URL is set (behind
// the gateway's on-disk buffer, so an InfluxDB outage loses nothing), otherwise
// the embedded store in the data folder.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerConfig } from '../config.ts';
import { BufferedStore } from '../ingest/buffered-store.ts';
import { EmbeddedStore } from './embedded-store.ts';
import { InfluxStore } from './influx-store.ts';
import { StoreUnavailableError, type SampleStore } from './store.ts';

/** How long start-up waits for an InfluxDB that is still starting next to us. */
const STARTUP_WAIT_MS = 5000;

export async function openStore(config: ServerConfig, log = (m: string) => console.warn(`[store] ${m}`)): Promise<SampleStore> {
  const url = config.influxUrl;
  if (url === null) return EmbeddedStore.open(join(config.dataDir, 'samples.sqlite'));
  const influx = InfluxStore.create({
    url,
    database: config.influxDb,
    user: config.influxUser,
    password: config.influxPassword,
    token: config.influxToken,
    org: config.influxOrg,
  });
  // Make the schema now if InfluxDB answers soon; if it does not, start anyway:
  // samples wait in the buffer, and the schema is made before the first write.
  const deadline = Date.now() + STARTUP_WAIT_MS;
  for (;;) {
    try {
      await influx.ensureSchema();
      break;
    } catch (err) {
      // Anything but "unavailable" (a statement InfluxDB refuses) is for the operator to fix.
      if (!(err instanceof StoreUnavailableError)) throw err;
      if (Date.now() >= deadline) {
        log(`${err.message}; starting with samples kept in the ingest buffer until it answers`);
        break;
      }
      await sleep(250);
    }
  }
  return BufferedStore.open(influx, { dir: join(config.dataDir, 'ingest-buffer'), maxBytes: config.ingestBufferBytes });
}
