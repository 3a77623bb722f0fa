// Accepts signalling WebSockets on /signalling?token=…: checks the token, then
// hands the socket to a Connection. Operators also get every policy and node event.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { verifyAccessToken } from '@noc/shared/access-token';
import { MAX_SIGNALLING_MESSAGE_BYTES } from '@noc/shared/signalling';
import type { MeetingRegistry } from '../meetings/meeting-registry.ts';
import { Connection } from './connection.ts';

export const SIGNALLING_PATH = '/signalling';

export class SignallingServer {
  #wss: WebSocketServer;
  #connections = new Set<Connection>();
  #unsubscribe: () => void;

  constructor(secret: Buffer, meetings: MeetingRegistry, log: (msg: string) => void) {
    // Messages over the limit get a typed error rather than a dropped connection,
    // so the socket accepts a little more than the limit and Connection refuses it.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_SIGNALLING_MESSAGE_BYTES });
    this.#wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
      const token = new URL(req.url ?? '/', 'http://sfu').searchParams.get('token') ?? '';
      const check = verifyAccessToken(secret, token);
      if (!check.ok) {
        socket.send(JSON.stringify({ kind: 'response', id: null, ok: false, error: { code: 'unauthorised', message: check.reason } }));
        socket.close(4401, 'unauthorised');
        return;
      }
      const connection = new Connection(socket, check.claims, meetings, log);
      this.#connections.add(connection);
      socket.on('close', () => this.#connections.delete(connection));
    });
    const toOperators = meetings.policy.subscribe((event) => {
      for (const c of this.#connections) if (c.claims.role === 'operator') c.notify('policy.event', event);
    });
    const nodeEvents = meetings.events.subscribe((event) => {
      for (const c of this.#connections) if (c.claims.role === 'operator') c.notify('node.event', event);
    });
    this.#unsubscribe = () => {
      toOperators();
      nodeEvents();
    };
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  close(): void {
    this.#unsubscribe();
    for (const client of this.#wss.clients) client.close(1001, 'the SFU node is stopping');
    this.#wss.close();
  }
}
