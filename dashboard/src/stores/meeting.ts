// The meeting as this desk page sees it: the meeting client's state (and the
// connection status, node and retry time shown from it), the meetings it may
// join, and once joined the meeting state the SFU pushes (presence, floor,
// queue, layout), the chat, the others' producers and, for operators, the
// policy events.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ChatMessage, MeetingState, PolicyEvent, SfuNodeName } from '@noc/shared/meeting';
import type { MeetingSummary, NotificationData, ProducerInfo, ResponseData } from '@noc/shared/meeting-protocol';
import type { LeftMeeting } from '../media/meeting-client.ts';
import type { MeetingClientState } from '../media/meeting-machine.ts';

export type ConnectionStatus = 'idle' | 'loading' | 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** The status the desk frame shows for a meeting client's state. */
export function connectionStatus(s: MeetingClientState): ConnectionStatus {
  switch (s.kind) {
    case 'idle':
      // Not started yet: the page is about to read where the nodes are.
      return 'loading';
    case 'loading':
      return s.attempt === 0 ? 'loading' : 'reconnecting';
    case 'connecting':
      return s.attempt === 0 ? 'connecting' : 'reconnecting';
    case 'connected':
    case 'joining':
    case 'joined':
      return 'connected';
    case 'reconnecting':
    case 'refused':
      return s.kind;
    case 'stopped':
      return 'idle';
  }
}

const CHAT_KEEP = 200;
const POLICY_KEEP = 100;

export const useMeetingStore = defineStore('meeting', () => {
  const connection = shallowRef<MeetingClientState>({ kind: 'idle' });
  const status = computed(() => connectionStatus(connection.value));
  /** The SFU node this page talks to (or last talked to): the main (Sở) or the backup (TTGDTX Thành phố). */
  const node = ref<SfuNodeName>('main');
  /** When the next connection attempt is due, while reconnecting. */
  const retryAt = computed(() => (connection.value.kind === 'reconnecting' ? connection.value.retryAt : null));
  const refusedReason = computed(() => (connection.value.kind === 'refused' ? connection.value.reason : null));
  /** The meeting being joined. */
  const joining = computed(() => (connection.value.kind === 'joining' ? connection.value.meetingId : null));
  const meetings = ref<MeetingSummary[]>([]);
  /** The meeting list has been read at least once on this connection. */
  const listed = ref(false);
  const state = ref<MeetingState | null>(null);
  const peerId = ref<string | null>(null);
  const chat = ref<ChatMessage[]>([]);
  const producers = ref<Record<string, ProducerInfo>>({});
  const policyEvents = ref<PolicyEvent[]>([]);
  const left = ref<LeftMeeting | null>(null);

  function setConnection(next: MeetingClientState): void {
    connection.value = next;
    if ('node' in next) node.value = next.node;
    if (next.kind === 'connecting') listed.value = false;
  }

  function setMeetings(list: MeetingSummary[]): void {
    meetings.value = [...list].sort((a, b) => b.createdAt - a.createdAt);
    listed.value = true;
  }

  function setJoined(answer: ResponseData['meeting.join']): void {
    state.value = answer.state;
    peerId.value = answer.peerId;
    chat.value = answer.chat.slice(-CHAT_KEEP);
    producers.value = Object.fromEntries(answer.producers.map((p) => [p.producerId, p]));
    left.value = null;
  }

  function setState(next: MeetingState): void {
    if (state.value && state.value.id !== next.id) return;
    state.value = next;
  }

  function addChat(message: ChatMessage): void {
    chat.value = [...chat.value, message].slice(-CHAT_KEEP);
  }

  function addPolicyEvent(event: PolicyEvent): void {
    policyEvents.value = [event, ...policyEvents.value].slice(0, POLICY_KEEP);
  }

  function producerNew(info: ProducerInfo): void {
    producers.value = { ...producers.value, [info.producerId]: info };
  }

  function producerPaused({ producerId, paused }: NotificationData['producer.paused']): void {
    const known = producers.value[producerId];
    if (known) producers.value = { ...producers.value, [producerId]: { ...known, paused } };
  }

  function producerClosed(producerId: string): void {
    if (!(producerId in producers.value)) return;
    const { [producerId]: _gone, ...rest } = producers.value;
    producers.value = rest;
  }

  /** Out of the meeting (left, removed, closed, or the connection dropped). */
  function clearMeeting(why: LeftMeeting | null = null): void {
    state.value = null;
    peerId.value = null;
    producers.value = {};
    chat.value = [];
    if (why) left.value = why;
  }

  /** Whether a site's microphone is open on the server, as far as its producers tell. */
  function micOpen(site: string): boolean {
    return Object.values(producers.value).some((p) => p.site === site && p.source === 'mic' && !p.paused);
  }

  return {
    connection,
    status,
    node,
    retryAt,
    refusedReason,
    meetings,
    listed,
    joining,
    state,
    peerId,
    chat,
    producers,
    policyEvents,
    left,
    setConnection,
    setMeetings,
    setJoined,
    setState,
    addChat,
    addPolicyEvent,
    producerNew,
    producerPaused,
    producerClosed,
    clearMeeting,
    micOpen,
  };
});
