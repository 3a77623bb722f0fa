// The SFU node's HTTP endpoint: `GET /health` answers the node's status,
// `GET /events` the refused breaches of the meeting rules and the meetings'
// moves between nodes, `GET /meetings` what it carries and keeps copies of.
// Signalling and replication WebSockets upgrade on the same server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MeetingRegistry } from './meetings/meeting-registry.ts';
import type { SfuNode } from './sfu-node.ts';

export async function startStatusServer(
  node: SfuNode,
  meetings: MeetingRegistry,
  host: string,
  port: number,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      const status = node.status();
      const alive = status.workers.some((w) => !w.died);
      res.writeHead(alive ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status));
      return;
    }
    if (req.method === 'GET' && path === '/events') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ policy: meetings.policy.list(), node: meetings.events.list() }));
      return;
    }
    if (req.method === 'GET' && path === '/meetings') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          node: meetings.nodeName,
          carried: meetings.list().map((m) => m.record(meetings.nodeName)),
          copies: meetings.copies(),
        }),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `no such endpoint: ${req.method} ${path}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}` };
}
