// One signalling WebSocket: parses and checks every message, answers each
// request exactly once, and never lets a bad message hurt the meeting.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AccessClaims } from '@noc/shared/access-token';
import { formatPath, issuePath } from '@noc/shared/format-path';
import { requestSchemas, type NotificationData, type NotificationMethod, type RequestMethod } from '@noc/shared/meeting-protocol';
import { MAX_SIGNALLING_MESSAGE_BYTES, type ResponseEnvelope, type SignallingError } from '@noc/shared/signalling';
import type { Meeting } from '../meetings/meeting.ts';
import type { MeetingRegistry } from '../meetings/meeting-registry.ts';
import { MeetingError } from '../meetings/meeting-error.ts';
import { Peer } from '../meetings/peer.ts';
import { SignallingFailure } from './failure.ts';
import { handlers } from './handlers.ts';

const envelopeSchema = z.strictObject({
  kind: z.literal('request'),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(64),
  data: z.unknown(),
});

export class Connection {
  readonly claims: AccessClaims;
  meeting: Meeting | null = null;
  peer: Peer | null = null;
  #socket: WebSocket;
  #meetings: MeetingRegistry;
  #log: (msg: string) => void;

  constructor(socket: WebSocket, claims: AccessClaims, meetings: MeetingRegistry, log: (msg: string) => void) {
    this.#socket = socket;
    this.claims = claims;
    this.#meetings = meetings;
    this.#log = log;
    socket.on('message', (data, isBinary) => void this.#onMessage(data as Buffer, isBinary));
    socket.on('close', () => this.leave());
    socket.on('error', () => this.leave());
  }

  /** Becomes a peer of the meeting (joining is the meeting's decision). */
  enter(meeting: Meeting): Peer {
    this.meeting = meeting;
    this.peer = new Peer(randomUUID(), this.claims, (method, data) => this.notify(method, data));
    return this.peer;
  }

  leave(): void {
    if (this.meeting && this.peer) this.meeting.leave(this.peer);
    this.peer?.close();
    this.meeting = null;
    this.peer = null;
  }

  notify<M extends NotificationMethod>(method: M, data: NotificationData[M]): void {
    if (method === 'peer.removed' || method === 'meeting.closed' || method === 'meeting.moved') {
      this.meeting = null;
      this.peer = null;
    }
    this.#send({ kind: 'notification', method, data });
  }

  #send(message: unknown): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #fail(id: number | null, error: SignallingError): void {
    this.#send({ kind: 'response', id, ok: false, error } satisfies ResponseEnvelope);
  }

  async #onMessage(raw: Buffer, isBinary: boolean): Promise<void> {
    if (isBinary) return this.#fail(null, { code: 'bad-message', message: 'messages must be JSON text' });
    if (raw.length > MAX_SIGNALLING_MESSAGE_BYTES) {
      return this.#fail(null, { code: 'too-large', message: `messages may be at most ${MAX_SIGNALLING_MESSAGE_BYTES} bytes` });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.#fail(null, { code: 'bad-message', message: 'the message is not valid JSON' });
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (!envelope.success) {
      const issue = envelope.error.issues[0]!;
      const rawId = (parsed as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'number' && Number.isInteger(rawId) ? rawId : null;
      return this.#fail(id, {
        code: 'bad-message',
        message: `${formatPath(issue.path) || 'message'}: ${issue.message}`,
        field: formatPath(issue.path),
      });
    }
    const { id, method, data } = envelope.data;
    if (!Object.hasOwn(requestSchemas, method)) {
      return this.#fail(id, { code: 'unknown-method', message: `unknown method "${method}"`, field: 'method' });
    }
    const schema = requestSchemas[method as RequestMethod];
    const checked = schema.safeParse(data);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const field = formatPath(['data', ...issuePath(issue)]);
      return this.#fail(id, { code: 'invalid-data', message: `${field}: ${issue.message}`, field });
    }
    try {
      const handler = handlers[method as RequestMethod] as (ctx: unknown, data: unknown) => Promise<unknown> | unknown;
      const result = await handler({ connection: this, meetings: this.#meetings }, checked.data);
      this.#send({ kind: 'response', id, ok: true, data: result });
    } catch (thrown) {
      const err = thrown instanceof MeetingError ? SignallingFailure.fromMeeting(thrown) : thrown;
      if (err instanceof SignallingFailure) {
        this.#fail(id, { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) });
      } else if (err instanceof TypeError || (err as Error).name === 'UnsupportedError') {
        // mediasoup's own checks of RTP/DTLS parameters.
        this.#fail(id, { code: 'invalid-data', message: (err as Error).message });
      } else {
        this.#log(
          `[${this.claims.role}${this.claims.site ? `:${this.claims.site}` : ''}] ${method} failed: ${(err as Error).stack ?? String(err)}`,
        );
        this.#fail(id, { code: 'internal', message: `${method} failed on the server; the SFU log has the details` });
      }
    }
  }
}
