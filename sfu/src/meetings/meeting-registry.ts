// The meetings of this SFU node: the ones it carries, and standby copies of
// the ones the other node carries (replicated), so that it can take a meeting
// over with the same invited sites, floor, queue and layout.
import type { MeetingKind, MeetingRecord, NodeEvent, SfuNodeName } from '@noc/shared/meeting';
import type { MeetingSummary } from '@noc/shared/meeting-protocol';
import type { SfuNode } from '../sfu-node.ts';
import { waitFor } from '@noc/shared/wait';
import { MeetingError } from './meeting-error.ts';
import { DEFAULT_LAYOUT } from './meeting-policy.ts';
import { Meeting, newMeetingId } from './meeting.ts';
import type { NodeEventLog, PolicyLog } from './policy-log.ts';

export interface RegistryOptions {
  node: SfuNode;
  policy: PolicyLog;
  events: NodeEventLog;
  siteIds: ReadonlySet<string>;
  log: (msg: string) => void;
  /** Whether the other node answers now (a meeting is taken over only when it does not). */
  peerReachable?: () => boolean;
}

export class MeetingRegistry {
  #live = new Map<string, Meeting>();
  #standby = new Map<string, MeetingRecord>();
  /** Meetings the other node said it carries, in its latest snapshot. */
  #peerLive = new Set<string>();
  /** Meetings being handed to the other node: still carried here until it has started them. */
  #movingTo = new Map<string, SfuNodeName>();
  /** Takeovers under way, so that endpoints arriving together share one. */
  #takingOver = new Map<string, Promise<Meeting>>();
  /** Meetings ended here, told to the other node so it drops its copies. */
  #ended: string[] = [];
  #opts: RegistryOptions;
  #changeListeners = new Set<() => void>();

  constructor(opts: RegistryOptions) {
    this.#opts = opts;
  }

  get policy(): PolicyLog {
    return this.#opts.policy;
  }

  get events(): NodeEventLog {
    return this.#opts.events;
  }

  get nodeName(): SfuNodeName {
    return this.#opts.node.config.node;
  }

  get otherNode(): SfuNodeName {
    return this.nodeName === 'main' ? 'backup' : 'main';
  }

  isSite(id: string): boolean {
    return this.#opts.siteIds.has(id);
  }

  setPeerReachable(probe: () => boolean): void {
    this.#opts.peerReachable = probe;
  }

  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#changeListeners) listener();
  }

  async #start(record: Omit<MeetingRecord, 'activeOn'>, carried: boolean): Promise<Meeting> {
    const router = await this.#opts.node.createRouter({ meeting: record.id });
    const meeting = new Meeting({
      id: record.id,
      kind: record.kind,
      title: record.title,
      invitedSites: record.invitedSites,
      // A record from a node that did not know load tests has no such field.
      loadTest: record.loadTest ?? false,
      testCall: record.testCall ?? false,
      router,
      policy: this.#opts.policy,
      listenIp: this.#opts.node.config.listenIp,
      announcedAddress: this.#opts.node.config.announcedAddress,
      log: this.#opts.log,
      recvPerRouter: this.#opts.node.config.recvPerRouter,
      newRouter: (avoid) => this.#opts.node.createRouter({ meeting: record.id }, avoid),
      ...(carried ? { carried: record } : {}),
      onChange: () => this.#changed(),
    });
    this.#live.set(record.id, meeting);
    this.#standby.delete(record.id);
    router.observer.once('close', () => {
      meeting.close('the media router closed');
      if (this.#live.get(record.id) === meeting) this.#live.delete(record.id);
      this.#changed();
    });
    this.#changed();
    return meeting;
  }

  async create(data: {
    kind: MeetingKind;
    title: string;
    invitedSites: string[];
    loadTest?: boolean | undefined;
    testCall?: boolean | undefined;
  }): Promise<Meeting> {
    data.invitedSites.forEach((site, i) => {
      if (!this.isSite(site)) throw new MeetingError('bad-request', `unknown site "${site}"`, `invitedSites[${i}]`);
    });
    const id = newMeetingId();
    const meeting = await this.#start(
      {
        id,
        ...data,
        invitedSites: [...new Set(data.invitedSites)],
        loadTest: data.loadTest ?? false,
        testCall: data.testCall ?? false,
        floor: null,
        queue: [],
        layout: { ...DEFAULT_LAYOUT },
        createdAt: Date.now(),
      },
      false,
    );
    this.#opts.log(
      `[meeting:${id}] created: ${data.loadTest ? 'load test, ' : ''}${data.testCall ? 'test call, ' : ''}${data.kind} "${data.title}" for ${data.invitedSites.join(', ')}`,
    );
    return meeting;
  }

  /** A meeting this node carries; a standby copy is taken over when the other node is gone. */
  async get(id: string): Promise<Meeting> {
    const live = this.#live.get(id);
    if (live && !live.closed) return live;
    const record = this.#standby.get(id);
    if (!record) throw new MeetingError('unknown-meeting', `no meeting ${id}`, 'meetingId');
    if (this.#opts.peerReachable?.() && this.#peerLive.has(id)) {
      throw new MeetingError('elsewhere', `meeting ${id} runs on the ${record.activeOn} node; connect there`, 'meetingId');
    }
    return this.#carryOn(
      record,
      'meeting-taken-over',
      `the ${record.activeOn} node stopped answering; the ${this.nodeName} node carries the meeting on`,
    );
  }

  /** Starts a meeting from the other node's record, once even when asked several times at once. */
  #carryOn(record: MeetingRecord, type: NodeEvent['type'], detail: string): Promise<Meeting> {
    let pending = this.#takingOver.get(record.id);
    if (!pending) {
      const from = record.activeOn === this.nodeName ? this.otherNode : record.activeOn;
      pending = this.#start(record, true).finally(() => this.#takingOver.delete(record.id));
      this.#takingOver.set(record.id, pending);
      void pending.then(() => this.#opts.events.record({ type, meeting: record.id, from, to: this.nodeName, detail }));
    }
    return pending;
  }

  /** Live meetings only (for checks that must not take anything over). */
  live(id: string): Meeting {
    const meeting = this.#live.get(id);
    if (!meeting || meeting.closed) throw new MeetingError('unknown-meeting', `no meeting ${id} on this node`, 'meetingId');
    return meeting;
  }

  list(): Meeting[] {
    return [...this.#live.values()].filter((m) => !m.closed);
  }

  summaries(): (MeetingSummary & { activeOn: SfuNodeName })[] {
    const live = this.list().map((m) => ({ ...summary(m.record(this.nodeName)), activeOn: this.nodeName }));
    const standby = [...this.#standby.values()].map((r) => ({ ...summary(r), activeOn: r.activeOn }));
    return [...live, ...standby];
  }

  /** Copies of the other node's meetings (and of those handed to it). */
  copies(): MeetingRecord[] {
    return [...this.#standby.values()];
  }

  /** What this node tells the other: the meetings it carries, those it handed over, and those that ended. */
  snapshot(): { meetings: MeetingRecord[]; ended: string[] } {
    return {
      meetings: [
        ...this.list().map((m) => m.record(this.#movingTo.get(m.id) ?? this.nodeName)),
        ...[...this.#standby.values()].filter((r) => r.activeOn === this.otherNode),
      ],
      ended: [...this.#ended],
    };
  }

  /** The other node's view: keep copies of its meetings; start the ones it hands to us. */
  async applyPeerSnapshot({ meetings: records, ended }: { meetings: MeetingRecord[]; ended: string[] }): Promise<void> {
    this.#peerLive = new Set(records.filter((r) => r.activeOn !== this.nodeName).map((r) => r.id));
    for (const record of records) {
      const live = this.#live.get(record.id);
      if (record.activeOn === this.nodeName) {
        if (live && !live.closed) continue;
        await this.#carryOn(record, 'meeting-moved', `the control centre moved the meeting to the ${this.nodeName} node`);
      } else if (!live || live.closed) {
        this.#standby.set(record.id, record);
      }
    }
    // Copies of meetings that ended are dropped; a copy the other node merely
    // forgot (it restarted) is kept, so the meeting can still be carried on here.
    for (const id of ended) this.#standby.delete(id);
  }

  /**
   * Hands a live meeting to the other node (the control centre's decision):
   * the other node starts it first, then the endpoints here are told to move,
   * so that none of them arrives before the meeting is there.
   */
  async move(id: string, to: SfuNodeName, timeoutMs = 5000): Promise<void> {
    const meeting = this.live(id);
    if (to === this.nodeName) throw new MeetingError('bad-request', `meeting ${id} is already on the ${to} node`, 'to');
    if (!this.#opts.peerReachable?.()) {
      throw new MeetingError('elsewhere', `the ${to} node does not answer; the meeting stays here`, 'to');
    }
    if (this.#movingTo.has(id)) throw new MeetingError('elsewhere', `meeting ${id} is already moving`, 'meetingId');
    this.#movingTo.set(id, to);
    this.#changed();
    try {
      await waitFor(`the ${to} node to start meeting ${id}`, () => this.#peerLive.has(id), { timeoutMs, intervalMs: 20 });
    } catch {
      throw new MeetingError('elsewhere', `the ${to} node did not take the meeting within ${timeoutMs} ms; it stays here`, 'to');
    } finally {
      this.#movingTo.delete(id);
    }
    if (meeting.closed) throw new MeetingError('elsewhere', `meeting ${id} ended while it was moving`, 'meetingId');
    const record = meeting.record(to);
    this.#live.delete(id);
    this.#standby.set(id, record);
    meeting.handOver(to);
    this.#opts.events.record({
      type: 'meeting-moved',
      meeting: id,
      from: this.nodeName,
      to,
      detail: `the control centre moved the meeting to the ${to} node`,
    });
    this.#changed();
  }

  close(id: string, reason: string): void {
    this.live(id).close(reason);
    this.#live.delete(id);
    this.#ended.push(id);
    if (this.#ended.length > 500) this.#ended.shift();
    this.#changed();
  }

  closeAll(): void {
    for (const meeting of this.#live.values()) meeting.close('the SFU node is stopping');
    this.#live.clear();
  }
}

function summary(r: MeetingRecord): MeetingSummary {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    invitedSites: r.invitedSites,
    createdAt: r.createdAt,
    ...(r.testCall ? { testCall: true } : {}),
  };
}
