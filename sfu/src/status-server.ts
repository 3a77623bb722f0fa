// The SFU node's HTTP endpoint: the routes of its status table
// (@noc/shared/sfu-status-api): `GET /health` answers the node's status,
// `GET /events` the refused breaches of the meeting rules and the meetings'
// moves between nodes, `GET /meetings` what it carries and keeps copies of,
// `GET /workers` each worker's load (CPU over the last second, what it carries),
// `GET /presence` who is connected to each meeting and who has the floor.
// Signalling and replication WebSockets upgrade on the same server. With a
// certificate and key (SFU_TLS_CERT, SFU_TLS_KEY) it is HTTPS, and they are WSS.
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { sfuStatusApi, type SfuStatusAnswer, type SfuStatusRoute } from '@noc/shared/sfu-status-api';
import type { MeetingRegistry } from './meetings/meeting-registry.ts';
import type { SfuNode } from './sfu-node.ts';
import type { WorkerLoadSampler } from './stats/worker-load.ts';

/** Each route's answer: its status and body. */
type Answers = { [N in SfuStatusRoute]: () => { status: number; body: SfuStatusAnswer<N> } };

export async function startStatusServer(
  node: SfuNode,
  meetings: MeetingRegistry,
  load: WorkerLoadSampler,
  host: string,
  port: number,
  tls: { cert: Buffer; key: Buffer } | null = null,
): Promise<{ server: Server; url: string }> {
  const answers: Answers = {
    health: () => {
      const status = node.status();
      return { status: status.workers.some((w) => !w.died) ? 200 : 503, body: status };
    },
    events: () => ({ status: 200, body: { policy: meetings.policy.list(), node: meetings.events.list() } }),
    meetings: () => ({
      status: 200,
      body: { node: meetings.nodeName, carried: meetings.list().map((m) => m.record(meetings.nodeName)), copies: meetings.copies() },
    }),
    presence: () => ({
      status: 200,
      body: {
        node: meetings.nodeName,
        meetings: meetings.list().map((m) => {
          const { id, loadTest, testCall = false, floor, present } = m.state();
          return { id, loadTest, testCall, floor, present };
        }),
      },
    }),
    workers: () => ({ status: 200, body: { node: meetings.nodeName, workers: load.latest() } }),
  };
  const routes = Object.entries(sfuStatusApi).map(([name, spec]) => ({ spec, answer: answers[name as SfuStatusRoute] }));

  const handle: RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find(({ spec }) => spec.method === req.method && spec.path === path);
    if (route) {
      const { status, body } = route.answer();
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `no such endpoint: ${req.method} ${path}` }));
  };
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handle) : createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `${tls ? 'https' : 'http'}://${host}:${address.port}` };
}
