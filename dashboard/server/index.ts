// Runs the NOC server until SIGINT/SIGTERM.
import { readServerConfig } from './config.ts';
import { NocServer } from './noc-server.ts';

const config = readServerConfig();
const server = await NocServer.create({ config, simulatorExpected: config.simulator });
console.log(`[noc] listening on ${server.url} (store: ${server.ctx.store.kind} at ${server.ctx.store.location})`);
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
