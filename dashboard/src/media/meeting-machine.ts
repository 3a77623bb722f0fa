// The states of a meeting page's connection to the SFU and the events that move
// it between them, as pure logic: which node the next attempt goes to and when
// (with a backup node, a lost connection is tried on the other node at once;
// then waits of 1, 2, 4, 8 and 15 s), and which meeting is joined again once
// connected. One method per event; an event the current state does not expect
// is a programming error and throws. The meeting client (meeting-client.ts)
// does the input and output around it.
import { Backoff } from '@noc/shared/backoff';
import type { SfuNodeName } from '@noc/shared/meeting';

export type MeetingClientState =
  /** Not started. */
  | { kind: 'idle' }
  /** Reading where the SFU nodes are; `attempt` counts the failures before. */
  | { kind: 'loading'; node: SfuNodeName; attempt: number }
  /** Opening the signalling connection to `node`; `rejoin` is the meeting to join once open. */
  | { kind: 'connecting'; node: SfuNodeName; attempt: number; rejoin: string | null }
  /** Connected, in no meeting: listing the meetings, waiting or choosing. */
  | { kind: 'connected'; node: SfuNodeName }
  /** Asking to join; `again` when it is a meeting this page was in before the connection changed. */
  | { kind: 'joining'; node: SfuNodeName; meetingId: string; again: boolean }
  | { kind: 'joined'; node: SfuNodeName; meetingId: string; peerId: string }
  /** Waiting until `retryAt` to try `node`. */
  | { kind: 'reconnecting'; node: SfuNodeName; attempt: number; retryAt: number; rejoin: string | null }
  /** The server refused the access token: nothing more is tried. */
  | { kind: 'refused'; reason: string }
  /** The page is gone. */
  | { kind: 'stopped' };

export type MeetingClientStateKind = MeetingClientState['kind'];
type StateOf<K extends MeetingClientStateKind> = Extract<MeetingClientState, { kind: K }>;

/** Today's reconnection waits: 1, 2, 4, 8, then 15 s. */
export const RECONNECT_BACKOFF = { firstMs: 1000, maxMs: 15_000 } as const;

export class IllegalTransitionError extends Error {
  constructor(event: string, state: MeetingClientState) {
    super(`meeting client: event "${event}" is not allowed in state "${state.kind}"`);
    this.name = 'IllegalTransitionError';
  }
}

export const otherNode = (node: SfuNodeName): SfuNodeName => (node === 'main' ? 'backup' : 'main');

export class MeetingMachine {
  #state: MeetingClientState = { kind: 'idle' };
  readonly #backoff = new Backoff(RECONNECT_BACKOFF);
  /** Whether the node addresses are known, and whether there is a backup node. */
  #nodes: { twoNodes: boolean } | null = null;
  readonly #onChange: (state: MeetingClientState) => void;

  constructor(onChange: (state: MeetingClientState) => void = () => {}) {
    this.#onChange = onChange;
  }

  get state(): MeetingClientState {
    return this.#state;
  }

  /** The page opened: read where the nodes are, then try `node` first. */
  start(node: SfuNodeName): StateOf<'loading'> {
    this.#expect('start', 'idle');
    return this.#go({ kind: 'loading', node, attempt: 0 });
  }

  /** The node addresses are known; without a backup node, every attempt goes to the main one. */
  configured(twoNodes: boolean): StateOf<'connecting'> {
    const s = this.#expect('configured', 'loading');
    this.#nodes = { twoNodes };
    return this.#go({ kind: 'connecting', node: twoNodes ? s.node : 'main', attempt: s.attempt, rejoin: null });
  }

  /** Reading the node addresses failed. */
  configFailed(now: number): StateOf<'reconnecting'> {
    const s = this.#expect('configFailed', 'loading');
    return this.#retryLater(s.node, null, now);
  }

  /** The signalling connection is open. */
  opened(): StateOf<'connected'> {
    const s = this.#expect('opened', 'connecting');
    this.#backoff.reset();
    return this.#go({ kind: 'connected', node: s.node });
  }

  /** Opening the signalling connection failed. */
  connectFailed(now: number): StateOf<'reconnecting'> {
    const s = this.#expect('connectFailed', 'connecting');
    return this.#retryLater(s.node, s.rejoin, now);
  }

  /** The wait is over: try again (reading the node addresses first if they are still unknown). */
  retry(): StateOf<'connecting'> | StateOf<'loading'> {
    const s = this.#expect('retry', 'reconnecting');
    if (!this.#nodes) return this.#go({ kind: 'loading', node: s.node, attempt: s.attempt });
    return this.#go({ kind: 'connecting', node: s.node, attempt: s.attempt, rejoin: s.rejoin });
  }

  /** The open connection closed; a meeting this page was in (or joining again) is joined again after. */
  lost(now: number): StateOf<'reconnecting'> {
    const s = this.#expect('lost', 'connected', 'joining', 'joined');
    const rejoin = s.kind === 'joined' || (s.kind === 'joining' && s.again) ? s.meetingId : null;
    return this.#retryLater(s.node, rejoin, now);
  }

  /** The server closed the connection refusing the access token. */
  refused(reason: string): StateOf<'refused'> {
    this.#expect('refused', 'connected', 'joining', 'joined');
    return this.#go({ kind: 'refused', reason });
  }

  joinStarted(meetingId: string, again: boolean): StateOf<'joining'> {
    const s = this.#expect('joinStarted', 'connected');
    return this.#go({ kind: 'joining', node: s.node, meetingId, again });
  }

  joined(peerId: string): StateOf<'joined'> {
    const s = this.#expect('joined', 'joining');
    return this.#go({ kind: 'joined', node: s.node, meetingId: s.meetingId, peerId });
  }

  /** The server refused the join. */
  joinFailed(): StateOf<'connected'> {
    const s = this.#expect('joinFailed', 'joining');
    return this.#go({ kind: 'connected', node: s.node });
  }

  /** Out of the meeting by the server's doing: it closed, this site was removed, or another connection took the seat. */
  left(): StateOf<'connected'> {
    const s = this.#expect('left', 'connected', 'joining', 'joined');
    return this.#go({ kind: 'connected', node: s.node });
  }

  /**
   * A new connection at once, to `node` (the same when omitted), joining
   * `rejoin` once open: to leave a meeting, to follow one to the other node,
   * or after the media path broke.
   */
  restart(rejoin: string | null, node?: SfuNodeName): StateOf<'connecting'> | StateOf<'loading'> {
    const s = this.#expect('restart', 'connected', 'joining', 'joined', 'reconnecting');
    this.#backoff.reset();
    const to = node ?? s.node;
    if (!this.#nodes) return this.#go({ kind: 'loading', node: to, attempt: 0 });
    return this.#go({ kind: 'connecting', node: to, attempt: 0, rejoin });
  }

  /** The page is gone; allowed from every state. */
  stop(): StateOf<'stopped'> {
    return this.#go({ kind: 'stopped' });
  }

  /** With a backup node, the other node, the first time at once; then the backoff's waits. */
  #retryLater(node: SfuNodeName, rejoin: string | null, now: number): StateOf<'reconnecting'> {
    const first = this.#backoff.attempt === 0;
    const wait = this.#backoff.next();
    const twoNodes = this.#nodes?.twoNodes ?? false;
    const delay = twoNodes && first ? 0 : wait;
    return this.#go({
      kind: 'reconnecting',
      node: twoNodes ? otherNode(node) : node,
      attempt: this.#backoff.attempt,
      retryAt: now + delay,
      rejoin,
    });
  }

  #expect<K extends MeetingClientStateKind>(event: string, ...kinds: K[]): StateOf<K> {
    const s = this.#state;
    if (!(kinds as MeetingClientStateKind[]).includes(s.kind)) throw new IllegalTransitionError(event, s);
    return s as StateOf<K>;
  }

  #go<S extends MeetingClientState>(next: S): S {
    this.#state = next;
    this.#onChange(next);
    return next;
  }
}
