// The part of an SFU node that carries meetings: its workers, the meetings,
// the status endpoint and the signalling WebSocket on it. index.ts adds
// replication, stats and the echo responder; tests start it alone to look at
// the meetings' mediasoup objects.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import { loadRegistry } from '@noc/shared/sites-loader';
import type { SfuConfig } from './config.ts';
import { MeetingRegistry } from './meetings/meeting-registry.ts';
import { createNodeEventLog, createPolicyLog } from './meetings/policy-log.ts';
import { SfuNode } from './sfu-node.ts';
import { SignallingServer, SIGNALLING_PATH } from './signalling/signalling-server.ts';
import { startStatusServer } from './status-server.ts';
import { WorkerLoadMeter, WorkerLoadSampler } from './stats/worker-load.ts';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface MeetingServer {
  node: SfuNode;
  meetings: MeetingRegistry;
  /** The secret access tokens are signed with. */
  secret: Buffer;
  /** The site registry's ids. */
  siteIds: ReadonlySet<string>;
  server: Server;
  url: string;
  /** Hands WebSocket upgrades on `path` (besides signalling) to `handle`. */
  onUpgrade(path: string, handle: UpgradeHandler): void;
  close(): void;
}

export async function startMeetingServer(config: SfuConfig, log: (msg: string) => void): Promise<MeetingServer> {
  const secret = await loadOrCreateSecret(config.secretFile);
  const registry = await loadRegistry(config.sitesFile);
  const node = await SfuNode.create(config);
  const siteIds: ReadonlySet<string> = new Set(registry.sites.map((s) => s.id));
  const meetings = new MeetingRegistry({
    node,
    policy: createPolicyLog(log),
    events: createNodeEventLog(log),
    siteIds,
    log,
  });
  // A standing router keeps the node ready before the first meeting is created.
  await node.createRouter({ purpose: 'standby' });
  const load = new WorkerLoadSampler(new WorkerLoadMeter(node, meetings));
  const { server, url } = await startStatusServer(secret, node, meetings, load, config.host, config.port, config.tls);
  const signalling = new SignallingServer(secret, meetings, log);
  const upgrades = new Map<string, UpgradeHandler>([[SIGNALLING_PATH, (req, socket, head) => signalling.handleUpgrade(req, socket, head)]]);
  server.on('upgrade', (req, socket, head) => {
    const handle = upgrades.get(new URL(req.url ?? '/', 'http://sfu').pathname);
    if (handle) handle(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });
  return {
    node,
    meetings,
    secret,
    siteIds,
    server,
    url,
    onUpgrade: (path, handle) => upgrades.set(path, handle),
    close() {
      load.stop();
      signalling.close();
      meetings.closeAll();
      server.close();
      node.close();
    },
  };
}
