// Runs one SFU node until SIGINT/SIGTERM: its workers, a first router, and the status endpoint.
import { readSfuConfig } from './config.ts';
import { SfuNode } from './sfu-node.ts';
import { startStatusServer } from './status-server.ts';

const config = readSfuConfig();
const node = await SfuNode.create(config);
// The meeting router; meetings get their own routers once meeting control exists.
await node.createRouter({ purpose: 'lobby' });
const { server, url } = await startStatusServer(node, config.host, config.port);
const status = node.status();
console.log(
  `[sfu:${config.node}] mediasoup ${status.mediasoupVersion}: ${status.workers.length} worker(s) (pid ${status.workers.map((w) => w.pid).join(', ')}), status on ${url}/health`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    node.close();
    process.exit(0);
  });
}
