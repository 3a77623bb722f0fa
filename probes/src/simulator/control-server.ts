// The simulator's fault-injection endpoint, on loopback only, for tests,
// benchmarks and demos that need a fault now and to know when it started:
//
//   POST   /faults       a scenario fault without `at`  → 201 {id, fault, startedAt, endsAt}
//   GET    /faults       the injected faults holding now → 200 {faults: [...]}
//   DELETE /faults/:id   ends one now                   → 200 {id, fault, startedAt, endsAt, endedAt}
//   DELETE /faults       ends every injected one now    → 200 {ended: [...]}
//
// Bad input gets 400 with `{error, field}` and changes nothing. Being on
// loopback without sign-in, it refuses requests whose Host is not loopback (a
// web page cannot reach it by DNS rebinding) and POSTs that are not JSON (a web
// page cannot post JSON across origins without a preflight it never gets).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatPath, issuePath } from '@noc/shared/format-path';
import { errorMessage } from '../agent/log.ts';
import { injectedFaultSchema, type InjectedFault } from './scenario.ts';
import { UnknownSiteError, type FaultRecord, type Simulator } from './simulator.ts';

const MAX_BODY_BYTES = 16 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

class ControlError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  constructor(status: number, message: string, field?: string) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

export class ControlServer {
  readonly url: string;
  #server: Server;

  private constructor(server: Server) {
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Listens on 127.0.0.1:`port` (0: a free port). */
  static async start(sim: Simulator, port: number): Promise<ControlServer> {
    const server = createServer((req, res) => {
      handle(sim, req)
        .then(({ status, body }) => send(res, status, body))
        .catch((err: unknown) => {
          if (err instanceof ControlError) send(res, err.status, { error: err.message, ...(err.field ? { field: err.field } : {}) });
          else {
            console.error(`[simulator] control endpoint: ${errorMessage(err)}`);
            send(res, 500, { error: errorMessage(err) });
          }
        });
    });
    server.listen(port, '127.0.0.1');
    // Rejects when listening fails (the port is taken).
    await once(server, 'listening');
    return new ControlServer(server);
  }

  async close(): Promise<void> {
    const closed = once(this.#server, 'close');
    this.#server.close();
    this.#server.closeAllConnections();
    await closed;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function handle(sim: Simulator, req: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  if (!LOOPBACK_HOSTS.has(host))
    throw new ControlError(403, `the control endpoint answers loopback only (Host "${req.headers.host ?? ''}")`);
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '');
  if (path === '/faults') {
    if (req.method === 'GET') return { status: 200, body: { faults: sim.faults() } };
    if (req.method === 'POST') return { status: 201, body: inject(sim, await readFault(req)) };
    if (req.method === 'DELETE') return { status: 200, body: { ended: sim.endAll() } };
    throw new ControlError(405, `${req.method} /faults: use GET, POST or DELETE`);
  }
  const one = /^\/faults\/([^/]+)$/.exec(path);
  if (one) {
    if (req.method !== 'DELETE') throw new ControlError(405, `${req.method} /faults/:id: use DELETE`);
    const id = decodeURIComponent(one[1]!);
    const ended = sim.end(id);
    if (!ended) throw new ControlError(404, `no injected fault "${id}" is holding now`, 'id');
    return { status: 200, body: ended };
  }
  throw new ControlError(404, `nothing at ${req.method} ${path || '/'}: the control endpoint has /faults and /faults/:id`);
}

async function readFault(req: IncomingMessage): Promise<InjectedFault> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new ControlError(415, 'send the fault as JSON ("content-type: application/json")');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ControlError(413, `the fault is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new ControlError(400, `invalid JSON: ${errorMessage(err)}`);
  }
  const parsed = injectedFaultSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatPath(issuePath(issue));
    throw new ControlError(400, `invalid fault: ${field ? `${field}: ` : ''}${issue.message}`, field || undefined);
  }
  return parsed.data;
}

function inject(sim: Simulator, fault: InjectedFault): FaultRecord {
  try {
    return sim.inject(fault);
  } catch (err) {
    if (err instanceof UnknownSiteError) throw new ControlError(400, `invalid fault: site: ${err.message}`, 'site');
    throw err;
  }
}
