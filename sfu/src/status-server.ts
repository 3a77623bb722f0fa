// The SFU node's HTTP endpoint: the routes of its status table
// (@noc/shared/sfu-status-api): `GET /health` answers the node's status,
// `GET /events` the refused breaches of the meeting rules and the meetings'
// moves between nodes, `GET /meetings` what it carries and keeps copies of,
// `GET /workers` each worker's load (CPU over the last second, what it carries),
// `GET /presence` who is connected to each meeting and who has the floor.
// They answer the NOC server only: every request must carry the NOC's token
// (@noc/shared/probe-token, `issueNocToken`) as `Authorization: Bearer <token>`;
// 401 without one, 403 with another, before anything else is looked at.
// Signalling and replication WebSockets upgrade on the same server, with
// their own tokens. With a certificate and key (SFU_TLS_CERT, SFU_TLS_KEY) it
// is HTTPS, and they are WSS.
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { verifyNocToken } from '@noc/shared/probe-token';
import { sfuStatusApi, type SfuStatusAnswer, type SfuStatusRoute } from '@noc/shared/sfu-status-api';
import type { MeetingRegistry } from './meetings/meeting-registry.ts';
import type { SfuNode } from './sfu-node.ts';
import type { WorkerLoadSampler } from './stats/worker-load.ts';

/** Each route's answer: its status and body. */
type Answers = { [N in SfuStatusRoute]: () => { status: number; body: SfuStatusAnswer<N> } };

/** Why a request may not read the status, or null when it carries the NOC's token. */
function refusal(req: IncomingMessage, secret: Buffer): { status: 401 | 403; error: string } | null {
  const header = req.headers.authorization;
  const token = header === undefined ? null : (/^Bearer ([^\s]+)$/.exec(header)?.[1] ?? null);
  if (token === null) {
    return {
      status: 401,
      error: `missing token: the SFU node's status answers the NOC server only; send "Authorization: Bearer <the NOC server's token>"`,
    };
  }
  if (!verifyNocToken(secret, token))
    return { status: 403, error: "the token is not the NOC server's: the SFU node's status answers the NOC only" };
  return null;
}

export async function startStatusServer(
  secret: Buffer,
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
    const refused = refusal(req, secret);
    if (refused) {
      res.writeHead(refused.status, {
        'content-type': 'application/json',
        ...(refused.status === 401 ? { 'www-authenticate': 'Bearer realm="sfu-status"' } : {}),
      });
      res.end(JSON.stringify({ error: refused.error }));
      return;
    }
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
