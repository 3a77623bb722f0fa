// One scenario meeting carried on the real SFU, over signalling only: an
// operator connection creates the meeting and joins it, each invited site
// joins from a connection of its own (and leaves while its link is cut), and
// now and then a site asks to speak and the operator gives the floor to the
// head of the queue. No media transports: the rooms' media figures are samples.
import { Backoff } from '@noc/shared/backoff';
import { issueAccessToken, type AccessClaims } from '@noc/shared/access-token';
import type { MeetingKind, MeetingState } from '@noc/shared/meeting';
import { SignallingClient, SignallingRequestError } from '@noc/shared/signalling-client';
import { errorMessage } from '../agent/log.ts';
import { CLIENT_RTP_CAPABILITIES } from './client-capabilities.ts';
import { hash, rng } from './site-model.ts';

export interface MeetingCarrierOptions {
  kind: MeetingKind;
  title: string;
  invitedSites: string[];
  /** `ws://…/signalling` of the SFU node. */
  signallingUrl: string;
  secret: Buffer;
  /** When the meeting is due to end (ms since the epoch): the access tokens last an hour past it. */
  endsAt: number;
  /** The shortest time between two turns of the floor; each turn waits 1 to 2.25 times this. */
  floorPeriodMs: number;
  /** Whether the site's link is cut now. */
  linkCut: (site: string) => boolean;
}

interface SiteLine {
  client: SignallingClient | null;
  backoff: Backoff;
  /** Left while its link was cut: it rejoins when the link is back. */
  leftCut: boolean;
  /** Removed or replaced by someone else (a real room page): left alone from then on. */
  handedOver: boolean;
}

const OPERATOR_NAME = 'Mô phỏng';
/** A refused or lost line is tried again after 1 s, doubling up to 30 s. */
const RETRY = { firstMs: 1000, maxMs: 30_000 } as const;

export class MeetingCarrier {
  #o: MeetingCarrierOptions;
  #label: string;
  #op: SignallingClient | null = null;
  #opJoined = false;
  #meetingId: string | null = null;
  /** Why the SFU closed the meeting, until the next step decides what that means. */
  #closedReason: string | null = null;
  #floor: string | null = null;
  #queue: string[] = [];
  #backoff = new Backoff(RETRY);
  #floorBackoff = new Backoff(RETRY);
  #sites = new Map<string, SiteLine>();
  #random: () => number;
  #nextFloorAt = 0;
  #over = false;

  constructor(o: MeetingCarrierOptions) {
    this.#o = o;
    this.#label = `"${o.title}"`;
    this.#random = rng(hash(`${o.kind}:${o.title}`));
    for (const site of o.invitedSites)
      this.#sites.set(site, { client: null, backoff: new Backoff(RETRY), leftCut: false, handedOver: false });
  }

  get meetingId(): string | null {
    return this.#meetingId;
  }

  /** Brings the meeting on the SFU up to date with the scenario at `now`; never throws. */
  async step(now = Date.now()): Promise<void> {
    if (this.#over) return;
    if (!this.#backoff.ready(now)) return;
    try {
      await this.#ensureOperator();
      if (this.#over) return;
      this.#backoff.reset();
    } catch (err) {
      const delay = this.#backoff.failed(now);
      log(`${this.#label}: ${errorMessage(err)}; retrying in ${seconds(delay)}`);
      return;
    }
    for (const site of this.#o.invitedSites) await this.#syncSite(site, now);
    if (now >= this.#nextFloorAt) await this.#floorTurn(now);
  }

  /** The meeting is over: the operator ends it on the SFU and every connection closes. */
  async end(): Promise<void> {
    if (this.#over) return;
    this.#over = true;
    const op = this.#op;
    if (op?.open && this.#opJoined && this.#meetingId) {
      try {
        await op.request('meeting.close', { meetingId: this.#meetingId }, 3000);
        log(`${this.#label} ended (${this.#meetingId})`);
      } catch (err) {
        log(`${this.#label}: ending it failed: ${errorMessage(err)}; closing the connections`);
      }
    }
    this.#closeSites();
    op?.close();
    this.#op = null;
  }

  #token(claims: Omit<AccessClaims, 'exp'>): string {
    return issueAccessToken(this.#o.secret, { ...claims, exp: Math.max(Date.now(), this.#o.endsAt) + 3600_000 });
  }

  #take(state: MeetingState): void {
    this.#floor = state.floor;
    this.#queue = state.queue.map((r) => r.site);
  }

  async #ensureOperator(): Promise<void> {
    if (this.#closedReason !== null) {
      if (this.#op?.open) {
        // Ended on a running node by someone else (the control centre): not brought back.
        log(`${this.#label} was closed on the SFU (${this.#closedReason}); the simulator leaves it closed`);
        this.#over = true;
        this.#closeSites();
        this.#op.close();
        return;
      }
      // The node went away with it: the meeting is created again when the node is back.
      this.#closedReason = null;
      this.#meetingId = null;
    }
    if (!this.#op?.open) {
      this.#op?.close();
      this.#op = null;
      this.#opJoined = false;
      this.#closeSites();
      const client = await SignallingClient.connect(this.#o.signallingUrl, this.#token({ role: 'operator', name: OPERATOR_NAME }));
      client.on('meeting.state', (state) => {
        if (state.id === this.#meetingId) this.#take(state);
      });
      client.on('meeting.closed', ({ meetingId, reason }) => {
        if (meetingId !== this.#meetingId || this.#over) return;
        this.#closedReason = reason;
        this.#opJoined = false;
      });
      client.on('meeting.moved', ({ meetingId, node }) => {
        if (meetingId !== this.#meetingId || this.#over) return;
        log(`${this.#label} moved to the ${node} node; the simulator leaves it there`);
        this.#over = true;
        this.#closeSites();
        client.close();
      });
      client.onClose(() => {
        if (this.#op === client) this.#opJoined = false;
      });
      this.#op = client;
    }
    const op = this.#op;
    if (!this.#meetingId) {
      const { kind, title, invitedSites } = this.#o;
      const created = await op.request('meeting.create', { kind, title, invitedSites });
      this.#meetingId = created.meetingId;
      this.#take(created.state);
      this.#nextFloorAt = 0;
      log(`${this.#label} created on the SFU as ${created.meetingId} (${invitedSites.length} sites)`);
    }
    if (!this.#opJoined) {
      try {
        const joined = await op.request('meeting.join', { meetingId: this.#meetingId, rtpCapabilities: CLIENT_RTP_CAPABILITIES });
        this.#take(joined.state);
        this.#opJoined = true;
      } catch (err) {
        // Gone from the node (it restarted without it): create it again next time.
        if (err instanceof SignallingRequestError && err.code === 'not-found') this.#meetingId = null;
        throw err;
      }
    }
  }

  #closeSites(): void {
    for (const line of this.#sites.values()) {
      line.client?.close();
      line.client = null;
    }
  }

  async #syncSite(site: string, now: number): Promise<void> {
    const line = this.#sites.get(site)!;
    if (line.handedOver || !this.#opJoined || !this.#meetingId) return;
    if (this.#o.linkCut(site)) {
      if (line.client) {
        line.client.close();
        line.client = null;
        line.leftCut = true;
        log(`${site} left ${this.#label}: its link is cut`);
      }
      return;
    }
    if (line.client?.open) return;
    line.client = null;
    if (!line.backoff.ready(now)) return;
    const meetingId = this.#meetingId;
    let client: SignallingClient | null = null;
    try {
      client = await SignallingClient.connect(this.#o.signallingUrl, this.#token({ role: 'site', site, meeting: meetingId }));
      const c = client;
      c.on('peer.removed', ({ cause, reason }) => {
        log(`${site} was ${cause} in ${this.#label} (${reason}); the simulator leaves the site to it`);
        line.handedOver = true;
        c.close();
      });
      c.on('meeting.closed', () => c.close());
      c.onClose(() => {
        if (line.client === c) line.client = null;
      });
      await c.request('meeting.join', { meetingId, rtpCapabilities: CLIENT_RTP_CAPABILITIES });
      line.client = c;
      line.backoff.reset();
      if (line.leftCut) log(`${site} rejoined ${this.#label}: its link is back`);
      line.leftCut = false;
    } catch (err) {
      client?.close();
      const delay = line.backoff.failed(now);
      log(`${site} joining ${this.#label}: ${errorMessage(err)}; retrying in ${seconds(delay)}`);
    }
  }

  /** One turn: a present site may ask to speak, and the operator may give the floor to the head of the queue. */
  async #floorTurn(now: number): Promise<void> {
    const op = this.#op;
    if (!op || !this.#opJoined) return;
    try {
      const present = this.#o.invitedSites.filter((s) => this.#sites.get(s)!.client?.open);
      const candidates = present.filter((s) => s !== this.#floor && !this.#queue.includes(s));
      if (candidates.length > 0 && (this.#queue.length === 0 || (this.#queue.length < 2 && this.#random() < 0.6))) {
        const site = candidates[Math.floor(this.#random() * candidates.length)]!;
        const { queue } = await this.#sites.get(site)!.client!.request('floor.request', {});
        this.#queue = queue.map((r) => r.site);
        log(`${site} asks to speak in ${this.#label} (queue: ${this.#queue.join(', ')})`);
      }
      const head = this.#queue[0];
      if (head && (this.#floor === null || this.#queue.length >= 2 || this.#random() < 0.6)) {
        await op.request('floor.grant', { site: head });
        this.#floor = head;
        this.#queue = this.#queue.filter((s) => s !== head);
        log(`floor to ${head} in ${this.#label} (queue: ${this.#queue.join(', ') || 'empty'})`);
      }
      this.#floorBackoff.reset();
      this.#nextFloorAt = now + this.#o.floorPeriodMs * (1 + 1.25 * this.#random());
    } catch (err) {
      const delay = this.#floorBackoff.failed(now);
      this.#nextFloorAt = now + delay;
      log(`${this.#label}: the floor turn failed: ${errorMessage(err)}; retrying in ${seconds(delay)}`);
    }
  }
}

function log(message: string): void {
  console.log(`[meeting] ${message}`);
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
