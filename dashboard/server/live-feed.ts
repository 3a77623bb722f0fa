// The live feed: every dashboard holds one WebSocket on /api/live and gets the
// events in shared/src/live.ts as they happen, filtered for its user: samples
// of the sites the user may see (and has subscribed to), the meetings that
// concern it. Samples that belong to no site (the SFU nodes' load) go only to
// roles that see every site. A client may narrow its sites with `subscribe`;
// a site it may not see is refused (403) and nothing changes. A session that
// ends closes its connections.
import type { RawData, WebSocket } from 'ws';
import { ALL_SITES_ROLES, canSeeSite, type SessionUser } from '@noc/shared/auth';
import { formatPath, issuePath } from '@noc/shared/format-path';
import type { Incident } from '@noc/shared/incidents';
import { liveClientMessageSchema, type LiveEvent, type LiveSample } from '@noc/shared/live';
import type { MeetingRecord } from '@noc/shared/meeting';
import type { Site } from '@noc/shared/sites';
import { visibleMeetings } from './meetings-watch.ts';

/** A client this far behind is dropped rather than allowed to grow the server's memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Close code for a connection whose session ended (sign-out, account disabled, token revoked). */
export const SESSION_ENDED_CLOSE_CODE = 4401;

interface Client {
  socket: WebSocket;
  user: SessionUser;
  sessionId: string;
  /** Sites the user may see. */
  visible: Site[];
  subscribed: Set<string>;
  /** The user's role sees every site: it also gets the samples that belong to no site. */
  seesAll: boolean;
}

type Refusal = Extract<LiveEvent, { type: 'refused' }>;

export class LiveFeed {
  #clients = new Set<Client>();
  #sites: ReadonlyMap<string, Site>;
  #log: (msg: string) => void;
  #health: Extract<LiveEvent, { type: 'health' }> | null = null;
  #meetings: MeetingRecord[] = [];
  #activeIncidents: () => Incident[] = () => [];

  constructor(sites: ReadonlyMap<string, Site>, log: (msg: string) => void) {
    this.#sites = sites;
    this.#log = log;
  }

  /** Where a new connection's list of open incidents comes from. */
  setIncidentSource(active: () => Incident[]): void {
    this.#activeIncidents = active;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** A new connection of a signed-in user: hello, then the current health and meetings. */
  add(socket: WebSocket, user: SessionUser, sessionId: string): void {
    const visible = [...this.#sites.values()].filter((s) => canSeeSite(user, s.id));
    const client: Client = {
      socket,
      user,
      sessionId,
      visible,
      subscribed: new Set(visible.map((s) => s.id)),
      seesAll: ALL_SITES_ROLES.includes(user.role),
    };
    this.#clients.add(client);
    socket.on('close', () => this.#clients.delete(client));
    socket.on('error', () => this.#clients.delete(client));
    socket.on('message', (data, isBinary) => this.#onMessage(client, data, isBinary));
    this.#send(client, this.#hello(client));
    if (this.#health) this.#send(client, this.#health);
    this.#send(client, { type: 'meetings', meetings: visibleMeetings(user, this.#meetings) });
    this.#send(client, { type: 'incidents', incidents: this.#activeIncidents().filter((i) => canSeeSite(user, i.site)) });
  }

  publish(event: LiveEvent): void {
    if (event.type === 'samples') return this.#publishSamples(event.samples);
    if (event.type === 'meetings') {
      this.#meetings = event.meetings;
      for (const client of this.#clients) this.#send(client, { type: 'meetings', meetings: visibleMeetings(client.user, event.meetings) });
      return;
    }
    if (event.type === 'health') {
      this.#health = event;
      const data = JSON.stringify(event);
      for (const client of this.#clients) this.#send(client, data);
    }
    if (event.type === 'incident') {
      const data = JSON.stringify(event);
      for (const client of this.#clients) if (canSeeSite(client.user, event.incident.site)) this.#send(client, data);
    }
    // hello, incidents and refused are for one client, never broadcast.
  }

  /**
   * Samples made ready for the feed now (their message's JSON, when some
   * client is there), sent when the answer is called: the gateway makes them
   * ready while the store writes, and sends them once they are stored.
   */
  prepareSamples(samples: LiveSample[]): () => void {
    const all = this.#clients.size > 0 && samples.length > 0 ? JSON.stringify({ type: 'samples', samples }) : null;
    return () => this.#publishSamples(samples, all);
  }

  /** Closes the connections of sessions that ended. */
  endSessions(ids: readonly string[]): void {
    const ended = new Set(ids);
    for (const client of this.#clients) {
      if (!ended.has(client.sessionId)) continue;
      client.socket.close(SESSION_ENDED_CLOSE_CODE, 'session ended');
      this.#clients.delete(client);
    }
  }

  close(): void {
    for (const { socket } of this.#clients) socket.close(1001, 'server stopping');
    this.#clients.clear();
  }

  #hello(client: Client): LiveEvent {
    return { type: 'hello', serverTime: Date.now(), user: client.user, sites: client.visible, subscribed: [...client.subscribed] };
  }

  /** `all`: the message of every sample, when made already. */
  #publishSamples(samples: LiveSample[], all: string | null = null): void {
    if (this.#clients.size === 0 || samples.length === 0) return;
    for (const client of this.#clients) {
      const mine = samples.filter((s) => (s.site ? client.subscribed.has(s.site) : client.seesAll));
      if (mine.length === 0) continue;
      if (mine.length === samples.length) this.#send(client, (all ??= JSON.stringify({ type: 'samples', samples })));
      else this.#send(client, { type: 'samples', samples: mine });
    }
  }

  #onMessage(client: Client, data: RawData, isBinary: boolean): void {
    const refuse = (status: Refusal['status'], message: string) => this.#send(client, { type: 'refused', status, message });
    let json: unknown;
    try {
      json = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      json = undefined;
    }
    if (json === undefined) return refuse(400, 'the message is not JSON text');
    const parsed = liveClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = formatPath(issuePath(issue));
      return refuse(400, `invalid message: ${field ? `${field}: ` : ''}${issue.message}`);
    }
    const { sites } = parsed.data;
    const unknown = sites.findIndex((id) => !this.#sites.has(id));
    if (unknown >= 0) return refuse(400, `invalid message: sites[${unknown}]: unknown site "${sites[unknown]}"`);
    const hidden = sites.find((id) => !canSeeSite(client.user, id));
    if (hidden !== undefined) return refuse(403, `a technician of "${client.user.site}" may not follow site "${hidden}"; nothing changed`);
    client.subscribed = new Set(sites);
    this.#send(client, this.#hello(client));
  }

  #send(client: Client, event: LiveEvent | string): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#log('live feed: dropping a client that stopped reading');
      socket.terminate();
      this.#clients.delete(client);
      return;
    }
    socket.send(typeof event === 'string' ? event : JSON.stringify(event));
  }
}
