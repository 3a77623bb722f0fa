// Accepts signalling WebSockets on /signalling?token=…: checks the token, then
// hands the socket to a Connection. Operators also get every policy event.
import type { IncomingMessage, Server } from 'node:http';
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

  constructor(server: Server, secret: Buffer, meetings: MeetingRegistry, log: (msg: string) => void) {
    // Messages over the limit get a typed error rather than a dropped connection,
    // so the socket accepts a little more than the limit and Connection refuses it.
    this.#wss = new WebSocketServer({ server, path: SIGNALLING_PATH, maxPayload: 4 * MAX_SIGNALLING_MESSAGE_BYTES });
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
    this.#unsubscribe = meetings.policy.subscribe((event) => {
      for (const c of this.#connections) if (c.claims.role === 'operator') c.notify('policy.event', event);
    });
  }

  close(): void {
    this.#unsubscribe();
    for (const client of this.#wss.clients) client.close(1001, 'the SFU node is stopping');
    this.#wss.close();
  }
}
