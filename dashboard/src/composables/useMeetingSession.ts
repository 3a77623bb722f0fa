// The meeting client (media/meeting-client.ts) of a desk page, in Vue: started
// when the page mounts and stopped when it goes, its state and what it learns
// put into the meeting store (which the page reads reactively), its failures
// into the notices. Requests on behalf of the user go through `act`, which
// shows a refusal instead of throwing.
import { onMounted, onUnmounted } from 'vue';
import type { RequestData, RequestMethod, ResponseData } from '@noc/shared/meeting-protocol';
import type { ClientConfig } from '@noc/shared/http-api';
import { api } from '../api.ts';
import { MeetingClient } from '../media/meeting-client.ts';
import type { MeetingMedia } from '../media/meeting-media.ts';
import { useMeetingStore } from '../stores/meeting.ts';
import { useNoticesStore, type ActionKey } from '../stores/notices.ts';

export interface SessionOptions {
  token: string;
  media: MeetingMedia;
  /** Join by itself when exactly one meeting is open to this page (the room). */
  autoJoin: boolean;
  /** How often the meeting list is read again while not in a meeting. */
  listEveryMs?: number;
}

/**
 * Where the SFU nodes are. A page opened with a `?token=` link has no session:
 * the token itself is the credential; a signed-in user's cookie also counts.
 */
export function loadClientConfig(token?: string): Promise<ClientConfig> {
  return api('config', { quiet401: true, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
}

export function useMeetingSession(opts: SessionOptions) {
  const store = useMeetingStore();
  const notices = useNoticesStore();
  const client = new MeetingClient({
    token: opts.token,
    media: opts.media,
    autoJoin: opts.autoJoin,
    listEveryMs: opts.listEveryMs ?? 4000,
    // The node this page's store last talked to is tried first.
    node: store.node,
    loadNodes: async () => (await loadClientConfig(opts.token)).signallingUrls,
    view: {
      setConnection: store.setConnection,
      setMeetings: store.setMeetings,
      setJoined: store.setJoined,
      setState: store.setState,
      addChat: store.addChat,
      addPolicyEvent: store.addPolicyEvent,
      producerNew: store.producerNew,
      producerPaused: store.producerPaused,
      producerClosed: store.producerClosed,
      clearMeeting: store.clearMeeting,
      failed: notices.failed,
      loadFailed: (err) => notices.push({ level: 'error', key: 'errors.load', params: { reason: err.message } }),
    },
  });
  store.setConnection(client.state);

  /**
   * A request on behalf of the user: answers the data, or shows the refusal and
   * answers undefined.
   */
  async function act<M extends RequestMethod>(action: ActionKey, method: M, data: RequestData<M>): Promise<ResponseData[M] | undefined> {
    try {
      return await client.request(method, data);
    } catch (err) {
      notices.failed(action, err);
      return undefined;
    }
  }

  onMounted(() => client.start());
  onUnmounted(() => client.stop());

  return {
    client,
    join: (meetingId: string) => client.join(meetingId),
    act,
    refreshMeetings: () => client.refreshMeetings(),
    restart: (keepMeeting: boolean) => client.restart(keepMeeting),
  };
}
