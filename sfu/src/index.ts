// Runs one SFU node until SIGINT/SIGTERM: its workers, the meetings and their
// signalling, replication to the other node, stats, and the status endpoint.
import { IngestClient } from '@noc/shared/ingest-client';
import { issueNodeToken } from '@noc/shared/probe-token';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import { loadRegistry } from '@noc/shared/sites-loader';
import { startEchoResponder } from '@noc/probes/echo-server';
import { readSfuConfig } from './config.ts';
import { MeetingRegistry } from './meetings/meeting-registry.ts';
import { createNodeEventLog, createPolicyLog } from './meetings/policy-log.ts';
import { ReplicationLink, REPLICATION_PATH } from './replication/replication-link.ts';
import { SfuNode } from './sfu-node.ts';
import { SignallingServer, SIGNALLING_PATH } from './signalling/signalling-server.ts';
import { StatsCollector } from './stats/stats-collector.ts';
import { startStatusServer } from './status-server.ts';

const config = readSfuConfig();
const log = (msg: string) => console.log(`[sfu:${config.node}] ${msg}`);
const secret = await loadOrCreateSecret(config.secretFile);
const registry = await loadRegistry(config.sitesFile);
const node = await SfuNode.create(config);
const meetings = new MeetingRegistry({
  node,
  policy: createPolicyLog(log),
  events: createNodeEventLog(log),
  siteIds: new Set(registry.sites.map((s) => s.id)),
  log,
});
// A standing router keeps the node ready before the first meeting is created.
await node.createRouter({ purpose: 'standby' });
const { server, url } = await startStatusServer(node, meetings, config.host, config.port);
const signalling = new SignallingServer(secret, meetings, log);
const replication = new ReplicationLink({ secret, registry: meetings, peerUrl: config.peerUrl, log });
server.on('upgrade', (req, socket, head) => {
  const path = new URL(req.url ?? '/', 'http://sfu').pathname;
  if (path === SIGNALLING_PATH) signalling.handleUpgrade(req, socket, head);
  else if (path === REPLICATION_PATH) replication.handleUpgrade(req, socket, head);
  else socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
});

let lastIngestError = 0;
const ingest = new IngestClient({
  url: `${config.nocUrl}/api/ingest`,
  token: issueNodeToken(secret, config.node),
  maxSpool: 20_000,
  onError: (msg) => {
    // The NOC may be down for a while: say so now and then, not every round.
    if (Date.now() - lastIngestError > 30_000) log(`stats: ${msg}`);
    lastIngestError = Date.now();
  },
});
const stats = new StatsCollector(node, meetings, ingest, log);
stats.start(config.statsIntervalMs);
// The sites' link probes measure round trip, jitter and loss against this node.
const echo = config.echoPort ? await startEchoResponder({ host: config.host, port: config.echoPort }) : null;

const status = node.status();
log(
  `mediasoup ${status.mediasoupVersion}: ${status.workers.length} worker(s) (pid ${status.workers.map((w) => w.pid).join(', ')}); ` +
    `status on ${url}/health, signalling on ${url.replace('http', 'ws')}${SIGNALLING_PATH}` +
    (config.peerUrl ? `, replicating with ${config.peerUrl}` : '') +
    (echo ? `, link echo on ${echo.host}:${echo.port}` : ''),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    stats.stop();
    void echo?.close();
    replication.close();
    signalling.close();
    meetings.closeAll();
    server.close();
    node.close();
    process.exit(0);
  });
}
