// The signalling session of a desk page: connects to the SFU with the page's
// access token, lists the meetings it may join, joins one (loading the media
// device first), keeps the meeting store up to date from the notifications, and
// when the socket closes shows it and reconnects, joining the same meeting
// again. With a backup node configured, a lost connection is retried on the
// other node at once (the backup control point carries the meeting on), and a
// meeting the control centre moves is followed. Every refusal of the server is
// shown, none is swallowed.
import { onMounted, onUnmounted } from 'vue';
import type { types as mediasoupTypes } from 'mediasoup-client';
import type { NotificationData, ProducerInfo, RequestData, RequestMethod, ResponseData } from '@noc/shared/meeting-protocol';
import type { SfuNodeName } from '@noc/shared/meeting';
import { SignallingClient, SignallingRequestError } from '@noc/shared/signalling-client';
import { useMeetingStore } from '../stores/meeting.ts';
import { useNoticesStore, type ActionKey } from '../stores/notices.ts';

/** What a page does with media around a meeting: the room sends and receives, the control view only loads a device. */
export interface MeetingMedia {
  /** Loads a device for the meeting's router; answers the endpoint's receive capabilities. */
  load(routerRtpCapabilities: unknown): Promise<mediasoupTypes.RtpCapabilities>;
  /** After the join: transports, this endpoint's producers, consumers of the others'. */
  start(client: SignallingClient, joined: ResponseData['meeting.join']): Promise<void>;
  producerNew(info: ProducerInfo): void;
  producerPaused(data: NotificationData['producer.paused']): void;
  producerClosed(producerId: string): void;
  consumerClosed(consumerId: string): void;
  /** Out of the meeting: close transports, producers and consumers. */
  stop(): void;
}

export interface SessionOptions {
  token: string;
  media: MeetingMedia;
  /** Join by itself when exactly one meeting is open to this page (the room). */
  autoJoin: boolean;
  /** How often the meeting list is read again while not in a meeting. */
  listEveryMs?: number;
}

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15_000];
const REFUSED_CLOSE_CODE = 4401;

export interface ClientConfig {
  signallingUrl: string;
  signallingUrls: { main: string; backup: string | null };
}

/**
 * Where the SFU nodes are. A page opened with a `?token=` link has no session:
 * the token itself is the credential; a signed-in user's cookie also counts.
 */
export async function loadClientConfig(token?: string): Promise<ClientConfig> {
  const res = await fetch('/api/config', token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (!res.ok) throw new Error(`/api/config: ${res.status}`);
  return (await res.json()) as ClientConfig;
}

const otherNode = (node: SfuNodeName): SfuNodeName => (node === 'main' ? 'backup' : 'main');

export function useMeetingSession(opts: SessionOptions) {
  const store = useMeetingStore();
  const notices = useNoticesStore();
  const listEveryMs = opts.listEveryMs ?? 4000;
  let urls: ClientConfig['signallingUrls'] | null = null;
  let client: SignallingClient | null = null;
  let attempt = 0;
  let stopped = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let listTimer: ReturnType<typeof setTimeout> | null = null;
  /** The meeting to be in: joined again after a reconnection. */
  let wanted: string | null = null;
  /** Set when another connection of this site took over: no automatic join until the user asks. */
  let held = false;

  function clearTimers(): void {
    if (reconnectTimer) clearTimeout(reconnectTimer);
    if (listTimer) clearTimeout(listTimer);
    reconnectTimer = listTimer = null;
  }

  async function start(): Promise<void> {
    try {
      urls = (await loadClientConfig(opts.token)).signallingUrls;
    } catch (err) {
      notices.push({ level: 'error', key: 'errors.load', params: { reason: (err as Error).message } });
      scheduleReconnect();
      return;
    }
    await connect();
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    if (!urls) return void start();
    const url = urls[store.node] ?? urls.main;
    store.status = attempt === 0 ? 'connecting' : 'reconnecting';
    store.retryAt = null;
    let next: SignallingClient;
    try {
      next = await SignallingClient.connect(url, opts.token, 3000);
    } catch {
      scheduleReconnect();
      return;
    }
    if (stopped) return next.close();
    client = next;
    attempt = 0;
    wire(next);
    store.status = 'connected';
    store.listed = false;
    if (wanted && !held) await join(wanted);
    else await refreshMeetings();
  }

  /** Tries again; with two nodes, the other node first and at once. */
  function scheduleReconnect(): void {
    if (stopped) return;
    const twoNodes = Boolean(urls?.backup);
    if (twoNodes) store.node = otherNode(store.node);
    const delay = twoNodes && attempt === 0 ? 0 : BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
    attempt++;
    store.status = 'reconnecting';
    store.retryAt = Date.now() + delay;
    reconnectTimer = setTimeout(() => void connect(), delay);
  }

  function wire(c: SignallingClient): void {
    c.on('meeting.state', (s) => store.setState(s));
    c.on('chat.message', (m) => store.addChat(m));
    c.on('policy.event', (e) => store.addPolicyEvent(e));
    c.on('producer.new', (p) => {
      store.producerNew(p);
      opts.media.producerNew(p);
    });
    c.on('producer.paused', (p) => {
      store.producerPaused(p);
      opts.media.producerPaused(p);
    });
    c.on('producer.closed', ({ producerId }) => {
      store.producerClosed(producerId);
      opts.media.producerClosed(producerId);
    });
    c.on('consumer.closed', ({ consumerId }) => opts.media.consumerClosed(consumerId));
    c.on('meeting.moved', ({ meetingId, node }) => {
      // The control centre moved the meeting: follow it to the other node.
      wanted = meetingId;
      store.node = node;
      restart(true);
    });
    c.on('meeting.closed', ({ reason }) => leftMeeting({ kind: 'closed', reason }));
    c.on('peer.removed', ({ cause, reason }) => {
      const replaced = cause === 'replaced';
      if (replaced) held = true;
      leftMeeting({ kind: replaced ? 'replaced' : 'removed', reason });
    });
    c.onClose((code) => {
      if (client !== c) return;
      client = null;
      opts.media.stop();
      store.clearMeeting();
      clearTimers();
      if (stopped) return;
      if (code === REFUSED_CLOSE_CODE) {
        store.status = 'refused';
        store.refusedReason = c.unsolicitedErrors[0]?.message ?? 'unauthorised';
        return;
      }
      scheduleReconnect();
    });
  }

  function leftMeeting(why: { kind: 'removed' | 'replaced' | 'closed'; reason: string }): void {
    wanted = null;
    opts.media.stop();
    store.clearMeeting(why);
    void refreshMeetings();
  }

  /** Reads the meetings this page may join; joins or waits, and reads again later while out of a meeting. */
  async function refreshMeetings(): Promise<void> {
    if (listTimer) clearTimeout(listTimer);
    listTimer = null;
    const c = client;
    if (!c || store.state || store.joining) return;
    try {
      store.setMeetings((await c.request('meeting.list', {})).meetings);
    } catch (err) {
      if (client === c) notices.failed('list', err);
    }
    if (client !== c || store.state || store.joining) return;
    if (opts.autoJoin && !held && store.meetings.length === 1) {
      await join(store.meetings[0]!.id);
      return;
    }
    listTimer = setTimeout(() => void refreshMeetings(), listEveryMs);
  }

  async function join(meetingId: string): Promise<boolean> {
    const c = client;
    if (!c || store.joining) return false;
    if (listTimer) clearTimeout(listTimer);
    listTimer = null;
    held = false;
    store.joining = meetingId;
    try {
      const { routerRtpCapabilities } = await c.request('meeting.capabilities', { meetingId });
      const rtpCapabilities = await opts.media.load(routerRtpCapabilities);
      const answer = await c.request('meeting.join', {
        meetingId,
        rtpCapabilities: rtpCapabilities as RequestData<'meeting.join'>['rtpCapabilities'],
      });
      if (client !== c) return false;
      store.setJoined(answer);
      wanted = meetingId;
      store.joining = null;
      try {
        await opts.media.start(c, answer);
      } catch (err) {
        if (client === c) notices.failed('media', err);
      }
      return true;
    } catch (err) {
      if (client !== c) return false;
      store.joining = null;
      if (err instanceof SignallingRequestError && err.code === 'conflict' && urls?.backup) {
        // The meeting runs on the other node (this one is the standby): go there.
        wanted = meetingId;
        store.node = otherNode(store.node);
        restart(true);
        return false;
      }
      notices.failed('join', err);
      wanted = null;
      listTimer = setTimeout(() => void refreshMeetings(), listEveryMs);
      return false;
    }
  }

  /**
   * A request on behalf of the user: answers the data, or shows the refusal and
   * answers undefined.
   */
  async function act<M extends RequestMethod>(action: ActionKey, method: M, data: RequestData<M>): Promise<ResponseData[M] | undefined> {
    const c = client;
    if (!c) {
      notices.failed(action, new Error('no connection to the conference server'));
      return undefined;
    }
    try {
      return await c.request(method, data);
    } catch (err) {
      notices.failed(action, err);
      return undefined;
    }
  }

  /** Drops the connection and makes a new one (to leave a meeting, or after the media path broke). */
  function restart(keepMeeting: boolean): void {
    if (!keepMeeting) wanted = null;
    held = false;
    attempt = 0;
    const c = client;
    client = null;
    opts.media.stop();
    store.clearMeeting();
    clearTimers();
    c?.close();
    void connect();
  }

  onMounted(() => void start());
  onUnmounted(() => {
    stopped = true;
    clearTimers();
    opts.media.stop();
    client?.close();
    client = null;
    store.clearMeeting();
  });

  return { join, act, refreshMeetings, restart };
}
