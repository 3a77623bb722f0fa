// Keeps the other SFU node up to date: this node connects to the other's
// /replication endpoint and sends a snapshot of its meetings on connect and
// after every change; it receives the other's snapshots on its own endpoint.
// No shared disk: the state travels only over this link.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { z } from 'zod';
import type { MeetingRecord, SfuNodeName } from '@noc/shared/meeting';
import { issueNodeToken, verifyNodeToken } from '@noc/shared/probe-token';
import type { MeetingRegistry } from '../meetings/meeting-registry.ts';

export const REPLICATION_PATH = '/replication';
const RETRY_MS = 500;
/**
 * A link cut between the nodes (not a process that died) closes no socket: the
 * other node is pinged this often, and taken as gone when no pong came back
 * for LINK_DEAD_MS, so the meetings it carried can be taken over.
 */
const PING_MS = 1000;
const LINK_DEAD_MS = 3000;

const snapshotSchema = z.strictObject({
  type: z.literal('snapshot'),
  node: z.enum(['main', 'backup']),
  meetings: z.array(z.looseObject({ id: z.string(), activeOn: z.enum(['main', 'backup']) })).max(10_000),
  ended: z.array(z.string()).max(10_000),
});

export interface ReplicationOptions {
  secret: Buffer;
  registry: MeetingRegistry;
  /** The other node's http URL; null when this node runs alone. */
  peerUrl: string | null;
  log: (msg: string) => void;
}

export class ReplicationLink {
  #opts: ReplicationOptions;
  #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  #out: WebSocket | null = null;
  #retry: NodeJS.Timeout | null = null;
  #pending = false;
  #closed = false;
  #unsubscribe: () => void;
  #wasUp = false;

  constructor(opts: ReplicationOptions) {
    this.#opts = opts;
    this.#unsubscribe = opts.registry.onChange(() => this.#scheduleSend());
    opts.registry.setPeerReachable(() => this.reachable);
    this.#wss.on('connection', (socket: WebSocket, _req: IncomingMessage, from: SfuNodeName) => {
      socket.on('message', (data) => void this.#receive(String(data), from));
    });
    if (opts.peerUrl) this.#connect();
  }

  /** The other node answers on the link now. */
  get reachable(): boolean {
    return this.#out?.readyState === WebSocket.OPEN;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const token = new URL(req.url ?? '/', 'http://sfu').searchParams.get('token') ?? '';
    const from = verifyNodeToken(this.#opts.secret, token);
    if (!from || from === this.#opts.registry.nodeName) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req, from));
  }

  #connect(): void {
    if (this.#closed || !this.#opts.peerUrl) return;
    const url = `${this.#opts.peerUrl.replace(/^http/, 'ws')}${REPLICATION_PATH}?token=${issueNodeToken(this.#opts.secret, this.#opts.registry.nodeName)}`;
    const socket = new WebSocket(url, { handshakeTimeout: LINK_DEAD_MS });
    this.#out = socket;
    let lastPong = Date.now();
    let keepalive: NodeJS.Timeout | null = null;
    socket.on('open', () => {
      if (!this.#wasUp) this.#opts.log(`replication: the ${this.#opts.registry.otherNode} node answers`);
      this.#wasUp = true;
      lastPong = Date.now();
      keepalive = setInterval(() => {
        if (Date.now() - lastPong > LINK_DEAD_MS) socket.terminate();
        else socket.ping();
      }, PING_MS);
      this.#send();
    });
    socket.on('pong', () => (lastPong = Date.now()));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (keepalive) clearInterval(keepalive);
      if (this.#wasUp) this.#opts.log(`replication: lost the ${this.#opts.registry.otherNode} node`);
      this.#wasUp = false;
      this.#out = null;
      if (!this.#closed) this.#retry = setTimeout(() => this.#connect(), RETRY_MS);
    });
  }

  #scheduleSend(): void {
    if (this.#pending) return;
    this.#pending = true;
    setImmediate(() => {
      this.#pending = false;
      this.#send();
    });
  }

  #send(): void {
    if (!this.reachable) return;
    const { meetings, ended } = this.#opts.registry.snapshot();
    this.#out!.send(JSON.stringify({ type: 'snapshot', node: this.#opts.registry.nodeName, meetings, ended }));
  }

  async #receive(text: string, from: SfuNodeName): Promise<void> {
    let parsed;
    try {
      parsed = snapshotSchema.parse(JSON.parse(text));
    } catch (err) {
      this.#opts.log(`replication: unreadable snapshot from the ${from} node: ${(err as Error).message}`);
      return;
    }
    if (parsed.node !== from) return;
    try {
      await this.#opts.registry.applyPeerSnapshot({ meetings: parsed.meetings as unknown as MeetingRecord[], ended: parsed.ended });
    } catch (err) {
      this.#opts.log(`replication: could not apply the ${from} node's snapshot: ${(err as Error).message}`);
    }
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    if (this.#retry) clearTimeout(this.#retry);
    this.#out?.close();
    for (const client of this.#wss.clients) client.close();
    this.#wss.close();
  }
}
