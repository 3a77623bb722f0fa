// One readiness test call (Điều 8.2) through the real SFU: the NOC, acting
// for the backup control point, opens a short meeting marked `testCall` on the
// main node's signalling with a readiness token (the `testCall` claim), inviting
// the backup point and the site, joins it to watch who is present, waits for
// the site's room to join, lets media flow for the call's length and closes the
// meeting. A room opens its microphone only with the floor (Điều 9.2), so the
// site has the floor for the first half of the call and the backup point for
// the second: each is heard by the other. The first seconds after the site
// joins, while its media starts, are not measured. The rooms' media figures (both ways) go through the ingest gateway
// into the store like any others; the figures of the call are read back from
// there (measure-call.ts).
import { issueAccessToken } from '@noc/shared/access-token';
import type { MeetingKind, MeetingState } from '@noc/shared/meeting';
import { SignallingClient } from '@noc/shared/signalling-client';

const CHECKER_NAME = 'Kiểm tra sẵn sàng (TTGDTX Thành phố)';
/** Once the site is in, its media needs a moment to start flowing (transports, the first frames): not measured. */
export const WARM_UP_MS = 3000;

export interface TestCallOptions {
  /** `ws://…/signalling` of the main SFU node. */
  signallingUrl: string;
  secret: Buffer;
  kind: MeetingKind;
  title: string;
  /** The site checked, and the backup control point (the same site when the backup point is the one checked). */
  site: string;
  backupSite: string | null;
  /** How long media is measured once the site is in the call. */
  callMs: number;
  /** How long the site's room has to join. */
  joinTimeoutMs: number;
  /** Stops waiting early (the server is stopping). */
  signal?: AbortSignal;
}

/** How a test call went: the window the site was in it, or why there was none. */
export type TestCallResult =
  | { opened: false; error: string }
  | { opened: true; joined: false; meetingId: string }
  | { opened: true; joined: true; meetingId: string; from: number; to: number };

const endpointPresent = (state: Pick<MeetingState, 'present'>, site: string): boolean =>
  state.present.some((p) => p.site === site && p.endpoint);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Gives a site the floor; a refusal (the point is not there) leaves the call going without it. */
async function grant(client: SignallingClient, site: string): Promise<void> {
  await client.request('floor.grant', { site }, 3000).catch(() => {});
}

export async function runTestCall(o: TestCallOptions): Promise<TestCallResult> {
  const token = issueAccessToken(o.secret, {
    role: 'operator',
    name: CHECKER_NAME,
    testCall: true,
    exp: Date.now() + o.joinTimeoutMs + o.callMs + 10 * 60_000,
  });
  let client: SignallingClient;
  let meetingId: string | null = null;
  let waitJoin: () => void = () => {};
  const joinedNow = new Promise<void>((resolve) => (waitJoin = resolve));
  try {
    client = await SignallingClient.connect(o.signallingUrl, token, 5000);
  } catch (err) {
    return { opened: false, error: (err as Error).message };
  }
  try {
    const invitedSites = [...new Set([o.backupSite ?? o.site, o.site])];
    const created = await client.request('meeting.create', { kind: o.kind, title: o.title, invitedSites, testCall: true });
    const id = created.meetingId;
    meetingId = id;
    client.on('meeting.state', (state) => {
      if (state.id === id && endpointPresent(state, o.site)) waitJoin();
    });
    const answer = await client.request('meeting.join', {
      meetingId: id,
      rtpCapabilities: { codecs: [], headerExtensions: [] },
    });
    if (endpointPresent(answer.state, o.site)) waitJoin();
  } catch (err) {
    // A meeting made but not joined is not left behind.
    if (meetingId) await client.request('meeting.close', { meetingId }, 3000).catch(() => {});
    client.close();
    return { opened: false, error: (err as Error).message };
  }
  const id = meetingId;
  try {
    const timeout = sleep(o.joinTimeoutMs, o.signal).then(() => false);
    const joined = await Promise.race([joinedNow.then(() => true), timeout]);
    if (!joined || o.signal?.aborted) return { opened: true, joined: false, meetingId: id };
    await grant(client, o.site);
    await sleep(WARM_UP_MS, o.signal);
    if (o.signal?.aborted) return { opened: true, joined: false, meetingId: id };
    const from = Date.now();
    if (o.backupSite && o.backupSite !== o.site) {
      await sleep(o.callMs / 2, o.signal);
      await grant(client, o.backupSite);
      await sleep(o.callMs - (Date.now() - from), o.signal);
    } else {
      await sleep(o.callMs, o.signal);
    }
    return { opened: true, joined: true, meetingId: id, from, to: Date.now() };
  } finally {
    await client.request('meeting.close', { meetingId: id }, 3000).catch(() => {});
    client.close();
  }
}
