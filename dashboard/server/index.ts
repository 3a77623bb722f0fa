// Runs the NOC server until SIGINT/SIGTERM.
import { readServerConfig } from './config.ts';
import { NocServer } from './noc-server.ts';

const config = readServerConfig();
const server = await NocServer.create({ config, simulatorExpected: config.simulator });
// On every address (0.0.0.0, ::) Fastify names the loopback one: say so, so nobody reads it as loopback only.
const everywhere =
  config.host === '0.0.0.0' || config.host === '::' ? ` on every address, port ${config.port} (here: ${server.url})` : ` on ${server.url}`;
console.log(`[noc] listening${everywhere} (store: ${server.ctx.store.kind} at ${server.ctx.store.location})`);
if (server.redirectUrl) console.log(`[noc] ${server.redirectUrl} redirects to HTTPS`);
// A page over HTTPS may not open ws:// to another machine: its rooms would not reach the SFU.
for (const url of [config.sfuUrl, config.sfuBackupUrl]) {
  if (config.tls && url?.startsWith('http:') && !/^http:\/\/(127\.|localhost[:/]|\[::1\])/.test(url)) {
    console.warn(
      `[noc] warning: the dashboard is served over HTTPS but the SFU is ${url}: browsers refuse its ws:// signalling; give the SFU a certificate (SFU_TLS_CERT, SFU_TLS_KEY) and an https:// URL`,
    );
  }
}

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
