// Runs the NOC server until SIGINT/SIGTERM.
import { readServerConfig } from './config.ts';
import { NocServer } from './noc-server.ts';

const config = readServerConfig();
const server = await NocServer.create({ config, simulatorExpected: config.simulator });
console.log(`[noc] listening on ${server.url} (store: ${server.ctx.store.kind} at ${server.ctx.store.location})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('[noc] error while stopping:', err);
        process.exit(1);
      },
    );
  });
}
