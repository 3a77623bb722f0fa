// The meeting client of a desk page: connects to the SFU with the page's access
// token, lists the meetings it may join, joins one (loading the media device
// first), passes the notifications on to the page's view and media, and when
// the socket closes reconnects and joins the same meeting again. With a backup
// node configured, a lost connection is tried on the other node at once (the
// backup control point carries the meeting on), a join the standby node
// refuses goes to the other node, and a meeting the control centre moves is
// followed. Every refusal of the server is handed to the view, none is
// swallowed. Its states and their transitions are meeting-machine.ts; this
// class does the input and output around them, without Vue.
import type { ChatMessage, MeetingState, PolicyEvent, SfuNodeName } from '@noc/shared/meeting';
import type {
  MeetingSummary,
  NotificationData,
  ProducerInfo,
  RequestData,
  RequestMethod,
  ResponseData,
} from '@noc/shared/meeting-protocol';
import { SignallingClient, SignallingRequestError } from '@noc/shared/signalling-client';
import type { MeetingMedia } from './meeting-media.ts';
import { MeetingMachine, otherNode, type MeetingClientState } from './meeting-machine.ts';

/** The signalling addresses of the SFU nodes. */
export interface NodeUrls {
  main: string;
  backup: string | null;
}

/** Why this page is no longer in the meeting it was in. */
export interface LeftMeeting {
  kind: 'removed' | 'replaced' | 'closed';
  reason: string;
}

/** Where the client puts what it learns (the page's meeting store and notices). */
export interface MeetingView {
  /** Every change of state. */
  setConnection(state: MeetingClientState): void;
  setMeetings(list: MeetingSummary[]): void;
  setJoined(answer: ResponseData['meeting.join']): void;
  setState(state: MeetingState): void;
  addChat(message: ChatMessage): void;
  addPolicyEvent(event: PolicyEvent): void;
  producerNew(info: ProducerInfo): void;
  producerPaused(data: NotificationData['producer.paused']): void;
  producerClosed(producerId: string): void;
  /** Out of the meeting; `why` when the server put this page out. */
  clearMeeting(why?: LeftMeeting | null): void;
  /** A step the client took by itself failed. */
  failed(action: 'list' | 'join' | 'media', err: unknown): void;
  /** The node addresses could not be read. */
  loadFailed(err: Error): void;
}

export interface MeetingClientOptions {
  token: string;
  media: MeetingMedia;
  view: MeetingView;
  /** Where the SFU nodes are (the page reads `/api/config`). */
  loadNodes: () => Promise<NodeUrls>;
  /** Join by itself when exactly one meeting is open to this page (the room). */
  autoJoin: boolean;
  /** How often the meeting list is read again while not in a meeting. */
  listEveryMs?: number;
  /** How long opening the signalling connection may take. */
  connectTimeoutMs?: number;
  /** The node to try first. */
  node?: SfuNodeName;
}

/** The close code of a signalling connection whose token the server refused. */
export const REFUSED_CLOSE_CODE = 4401;

type Timer = ReturnType<typeof setTimeout>;

/** The meeting a state is to be in after a new connection. */
function meetingToResume(s: MeetingClientState): string | null {
  if (s.kind === 'joined' || (s.kind === 'joining' && s.again)) return s.meetingId;
  if (s.kind === 'reconnecting' || s.kind === 'connecting') return s.rejoin;
  return null;
}

export class MeetingClient {
  readonly #o: MeetingClientOptions;
  readonly #machine: MeetingMachine;
  #urls: NodeUrls | null = null;
  /** The open signalling connection, while connected, joining or joined. */
  #socket: SignallingClient | null = null;
  #retryTimer: Timer | null = null;
  #listTimer: Timer | null = null;
  /** The meetings last listed. */
  #meetings: MeetingSummary[] = [];
  /** Set when another connection of this site took over: no automatic join until the user asks. */
  #held = false;

  constructor(o: MeetingClientOptions) {
    this.#o = o;
    this.#machine = new MeetingMachine((state) => o.view.setConnection(state));
  }

  get state(): MeetingClientState {
    return this.#machine.state;
  }

  get listEveryMs(): number {
    return this.#o.listEveryMs ?? 4000;
  }

  start(): void {
    void this.#load(this.#machine.start(this.#o.node ?? 'main'));
  }

  /** The page is gone: closes the connection and the media, and tries nothing more. */
  stop(): void {
    this.#machine.stop();
    this.#clearTimers();
    this.#o.media.stop();
    const c = this.#socket;
    this.#socket = null;
    c?.close();
    this.#o.view.clearMeeting();
  }

  /** Joins a meeting the user chose; false when it did not happen (the reason went to the view). */
  join(meetingId: string): Promise<boolean> {
    return this.#join(meetingId, false);
  }

  /** A request on the open connection; rejects when there is none. */
  request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData[M]> {
    const c = this.#socket;
    if (!c) return Promise.reject(new Error('no connection to the conference server'));
    return c.request(method, data);
  }

  /**
   * Drops the connection and makes a new one (to leave a meeting, or after the
   * media path broke). While a connection is being made already, it only lets
   * the room join by itself again.
   */
  restart(keepMeeting: boolean): void {
    const s = this.state;
    if (s.kind === 'loading' || s.kind === 'connecting') {
      this.#held = false;
      return;
    }
    if (s.kind === 'idle' || s.kind === 'refused' || s.kind === 'stopped') return;
    this.#restart(keepMeeting ? meetingToResume(s) : null);
  }

  /** Reads the meetings this page may join; joins or waits, and reads again later while out of a meeting. */
  async refreshMeetings(): Promise<void> {
    this.#clearListTimer();
    const c = this.#socket;
    if (!c || this.state.kind !== 'connected') return;
    try {
      this.#meetings = (await c.request('meeting.list', {})).meetings;
      this.#o.view.setMeetings(this.#meetings);
    } catch (err) {
      if (this.#socket === c) this.#o.view.failed('list', err);
    }
    if (this.#socket !== c || this.state.kind !== 'connected') return;
    if (this.#o.autoJoin && !this.#held && this.#meetings.length === 1) {
      await this.#join(this.#meetings[0]!.id, false);
      return;
    }
    this.#listLater();
  }

  async #load(loading: MeetingClientState): Promise<void> {
    let urls: NodeUrls;
    try {
      urls = await this.#o.loadNodes();
    } catch (err) {
      if (!this.#still(loading)) return;
      this.#o.view.loadFailed(err instanceof Error ? err : new Error(String(err)));
      this.#retryLater(this.#machine.configFailed(Date.now()));
      return;
    }
    if (!this.#still(loading)) return;
    this.#urls = urls;
    await this.#connect(this.#machine.configured(Boolean(urls.backup)));
  }

  async #connect(connecting: Extract<MeetingClientState, { kind: 'connecting' }>): Promise<void> {
    const urls = this.#urls!;
    const url = urls[connecting.node] ?? urls.main;
    let next: SignallingClient;
    try {
      next = await SignallingClient.connect(url, this.#o.token, this.#o.connectTimeoutMs ?? 3000);
    } catch {
      if (this.#still(connecting)) this.#retryLater(this.#machine.connectFailed(Date.now()));
      return;
    }
    if (!this.#still(connecting)) return next.close();
    this.#socket = next;
    this.#wire(next);
    this.#machine.opened();
    if (connecting.rejoin && !this.#held) await this.#join(connecting.rejoin, true);
    else await this.refreshMeetings();
  }

  #retryLater(reconnecting: Extract<MeetingClientState, { kind: 'reconnecting' }>): void {
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = null;
        const next = this.#machine.retry();
        if (next.kind === 'loading') void this.#load(next);
        else void this.#connect(next);
      },
      Math.max(0, reconnecting.retryAt - Date.now()),
    );
  }

  #wire(c: SignallingClient): void {
    const { view, media } = this.#o;
    c.on('meeting.state', (s) => view.setState(s));
    c.on('chat.message', (m) => view.addChat(m));
    c.on('policy.event', (e) => view.addPolicyEvent(e));
    c.on('producer.new', (p) => {
      view.producerNew(p);
      media.producerNew(p);
    });
    c.on('producer.paused', (p) => {
      view.producerPaused(p);
      media.producerPaused(p);
    });
    c.on('producer.closed', ({ producerId }) => {
      view.producerClosed(producerId);
      media.producerClosed(producerId);
    });
    c.on('consumer.closed', ({ consumerId }) => media.consumerClosed(consumerId));
    c.on('meeting.moved', ({ meetingId, node }) => {
      // The control centre moved the meeting: follow it to the other node.
      if (this.#socket === c) this.#restart(meetingId, node);
    });
    c.on('meeting.closed', ({ reason }) => {
      if (this.#socket === c) this.#left({ kind: 'closed', reason });
    });
    c.on('peer.removed', ({ cause, reason }) => {
      if (this.#socket !== c) return;
      const replaced = cause === 'replaced';
      if (replaced) this.#held = true;
      this.#left({ kind: replaced ? 'replaced' : 'removed', reason });
    });
    c.onClose((code) => {
      if (this.#socket !== c) return;
      this.#socket = null;
      media.stop();
      view.clearMeeting();
      this.#clearTimers();
      if (code === REFUSED_CLOSE_CODE) {
        this.#machine.refused(c.unsolicitedErrors[0]?.message ?? 'unauthorised');
        return;
      }
      this.#retryLater(this.#machine.lost(Date.now()));
    });
  }

  #left(why: LeftMeeting): void {
    this.#machine.left();
    this.#o.media.stop();
    this.#o.view.clearMeeting(why);
    void this.refreshMeetings();
  }

  async #join(meetingId: string, again: boolean): Promise<boolean> {
    const c = this.#socket;
    if (!c || this.state.kind !== 'connected') return false;
    const { media, view } = this.#o;
    this.#clearListTimer();
    this.#held = false;
    const joining = this.#machine.joinStarted(meetingId, again);
    try {
      const { routerRtpCapabilities } = await c.request('meeting.capabilities', { meetingId });
      const rtpCapabilities = await media.load(routerRtpCapabilities);
      const answer = await c.request('meeting.join', {
        meetingId,
        rtpCapabilities: rtpCapabilities as RequestData<'meeting.join'>['rtpCapabilities'],
      });
      if (!this.#still(joining)) return false;
      view.setJoined(answer);
      this.#machine.joined(answer.peerId);
      try {
        await media.start(c, answer);
      } catch (err) {
        if (this.#socket === c) view.failed('media', err);
      }
      return true;
    } catch (err) {
      if (!this.#still(joining)) return false;
      if (err instanceof SignallingRequestError && err.code === 'conflict' && this.#urls?.backup) {
        // The meeting runs on the other node (this one is the standby): go there.
        this.#restart(meetingId, otherNode(joining.node));
        return false;
      }
      this.#machine.joinFailed();
      view.failed('join', err);
      this.#listLater();
      return false;
    }
  }

  /** A new connection at once, to `node` (the same when omitted), joining `rejoin` once open. */
  #restart(rejoin: string | null, node?: SfuNodeName): void {
    this.#held = false;
    const c = this.#socket;
    this.#socket = null;
    this.#o.media.stop();
    this.#o.view.clearMeeting();
    this.#clearTimers();
    c?.close();
    const next = this.#machine.restart(rejoin, node);
    if (next.kind === 'loading') void this.#load(next);
    else void this.#connect(next);
  }

  /** Whether nothing happened since the client entered state `s`. */
  #still(s: MeetingClientState): boolean {
    return this.#machine.state === s;
  }

  #listLater(): void {
    this.#clearListTimer();
    this.#listTimer = setTimeout(() => void this.refreshMeetings(), this.listEveryMs);
  }

  #clearListTimer(): void {
    if (this.#listTimer) clearTimeout(this.#listTimer);
    this.#listTimer = null;
  }

  #clearTimers(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#clearListTimer();
  }
}
