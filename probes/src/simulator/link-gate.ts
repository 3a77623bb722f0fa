// The simulated site's link to the NOC: a tiny HTTP server on loopback that
// the site's probe agent takes for the NOC. It forwards `POST /api/ingest` to
// the real NOC and hands back the NOC's status and body; while the scenario
// cuts the site's link it destroys every incoming connection, so the agent
// sees the gateway unreachable and its disk spool holds the samples.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const FORWARD_TIMEOUT_MS = 10_000;

export class LinkGate {
  /** The URL the agent uses as its NOC. */
  readonly url: string;
  #server: Server;
  #target: string;
  #isCut: () => boolean;

  private constructor(server: Server, target: string, isCut: () => boolean) {
    this.#server = server;
    this.#target = target;
    this.#isCut = isCut;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** A gate to `nocUrl`'s ingest gateway that is down whenever `isCut()` says so. */
  static async start(nocUrl: string, isCut: () => boolean): Promise<LinkGate> {
    let gate: LinkGate | null = null;
    const server = createServer((req, res) => {
      if (gate) void gate.#handle(req, res);
      else req.socket.destroy();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    gate = new LinkGate(server, `${nocUrl.replace(/\/+$/, '')}/api/ingest`, isCut);
    return gate;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#isCut()) {
      req.socket.destroy();
      return;
    }
    if (req.method !== 'POST' || req.url !== '/api/ingest') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"the link gate forwards POST /api/ingest only"}');
      return;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the agent went away
    }
    if (this.#isCut()) {
      req.socket.destroy();
      return;
    }
    try {
      const headers: Record<string, string> = { 'content-type': req.headers['content-type'] ?? 'application/json' };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      const answer = await fetch(this.#target, {
        method: 'POST',
        headers,
        body: Buffer.concat(chunks),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
    } catch (err) {
      // The NOC itself is unreachable: the agent sees what a real gateway outage looks like.
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `link gate: the NOC at ${this.#target} does not answer: ${(err as Error).message}` }));
    }
  }

  async close(): Promise<void> {
    const closed = once(this.#server, 'close');
    this.#server.close();
    this.#server.closeAllConnections();
    await closed;
  }
}
