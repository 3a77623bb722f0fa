// Runs the echo responder alone (the SFU nodes start it in their own process):
//   node probes/src/echo/index.ts [--host 0.0.0.0] [--port 4460] [--no-bandwidth]
import { parseArgs } from 'node:util';
import { DEFAULT_ECHO_PORT, startEchoResponder } from './echo-server.ts';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '0.0.0.0' },
    port: { type: 'string', default: String(DEFAULT_ECHO_PORT) },
    'no-bandwidth': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[echo] --port must be a port number 0-65535, got "${values.port}"`);
  process.exit(2);
}

const responder = await startEchoResponder({ host: values.host, port, bandwidth: !values['no-bandwidth'] });
console.log(`[echo] answering UDP echo${values['no-bandwidth'] ? '' : ' and TCP bandwidth tests'} on ${responder.host}:${responder.port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void responder.close().then(() => console.log('[echo] stopped'));
  });
}
