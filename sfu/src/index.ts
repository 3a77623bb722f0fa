// Runs one SFU node until SIGINT/SIGTERM: its workers, the meetings and their
// signalling, replication to the other node, stats, and the status endpoint.
import { IngestClient } from '@noc/shared/ingest-client';
import { issueNodeToken } from '@noc/shared/probe-token';
import { ProbeTokenCheck } from '@noc/shared/probe-token-check';
import { startEchoResponder } from '@noc/probes/echo-server';
import { readSfuConfig } from './config.ts';
import { startMeetingServer } from './meeting-server.ts';
import { ReplicationLink, REPLICATION_PATH } from './replication/replication-link.ts';
import { SIGNALLING_PATH } from './signalling/signalling-server.ts';
import { StatsCollector } from './stats/stats-collector.ts';

const config = readSfuConfig();
const log = (msg: string) => console.log(`[sfu:${config.node}] ${msg}`);
const sfu = await startMeetingServer(config, log);
const { node, meetings, secret, siteIds, url } = sfu;
const replication = new ReplicationLink({ secret, registry: meetings, peerUrl: config.peerUrl, log });
sfu.onUpgrade(REPLICATION_PATH, (req, socket, head) => replication.handleUpgrade(req, socket, head));

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
// The sites' link probes measure round trip, jitter and loss against this node, and
// bandwidth with their probe tokens, checked with the server secret as the NOC's gateway does.
const echo = config.echoPort
  ? await startEchoResponder({ host: config.host, port: config.echoPort, bandwidth: { tokens: new ProbeTokenCheck(secret, siteIds) } })
  : null;

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
    sfu.close();
    process.exit(0);
  });
}
