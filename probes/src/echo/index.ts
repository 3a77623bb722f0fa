// Runs the echo responder alone (the SFU nodes start it in their own process):
//   node probes/src/echo/index.ts [--host 0.0.0.0] [--port 4460] [--secret-file data/secret.key] [--sites-file …]
// The bandwidth test needs the NOC server's secret to check the probes' tokens:
// without --secret-file (or with --no-bandwidth) only the UDP echo is served.
import { parseArgs } from 'node:util';
import { ProbeTokenCheck } from '@noc/shared/probe-token-check';
import { readSecret } from '@noc/shared/secret-file';
import { DEFAULT_SITES_FILE, loadRegistry } from '@noc/shared/sites-loader';
import { DEFAULT_ECHO_PORT, startEchoResponder, type BandwidthTestOptions } from './echo-server.ts';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '0.0.0.0' },
    port: { type: 'string', default: String(DEFAULT_ECHO_PORT) },
    'secret-file': { type: 'string' },
    'sites-file': { type: 'string', default: DEFAULT_SITES_FILE },
    'no-bandwidth': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[echo] --port must be a port number 0-65535, got "${values.port}"`);
  process.exit(2);
}

let bandwidth: BandwidthTestOptions | undefined;
const secretFile = values['secret-file'];
if (secretFile && !values['no-bandwidth']) {
  try {
    // Read, never created here: a secret of our own would match no probe's token.
    const secret = await readSecret(secretFile);
    const registry = await loadRegistry(values['sites-file']);
    bandwidth = { tokens: new ProbeTokenCheck(secret, new Set(registry.sites.map((s) => s.id))) };
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    console.error(`[echo] ${missing ? `--secret-file ${secretFile}: no such file (the NOC server's secret.key)` : (err as Error).message}`);
    process.exit(1);
  }
}

const responder = await startEchoResponder({ host: values.host, port, ...(bandwidth ? { bandwidth } : {}) });
console.log(
  `[echo] answering UDP echo${bandwidth ? ' and the sites’ TCP bandwidth tests' : ' (no bandwidth test: it needs --secret-file)'} on ${responder.host}:${responder.port}`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void responder.close().then(() => console.log('[echo] stopped'));
  });
}
