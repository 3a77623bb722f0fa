// The desk pages' meeting client (dashboard/src/media/meeting-client.ts) in
// Node against a real main and backup SFU node: a room joins the one meeting
// open to it by itself, a join the standby refuses goes to the other node, the
// main node dies and both clients carry on on the backup at once, a site put
// out of the meeting goes back to listing, and a refused token ends it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueAccessToken, type AccessClaims } from '@noc/shared/access-token';
import type { ResponseData } from '@noc/shared/meeting-protocol';
import { waitFor } from '@noc/shared/wait';
import { MeetingClient, type LeftMeeting, type MeetingView } from '../../dashboard/src/media/meeting-client.ts';
import type { MeetingClientState } from '../../dashboard/src/media/meeting-machine.ts';
import type { MeetingMedia } from '../../dashboard/src/media/meeting-media.ts';
import { CLIENT_RTP_CAPABILITIES, TestPeer } from '../fixtures/meeting-peers.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
let main: SfuFixture;
let backup: SfuFixture;
const peers: TestPeer[] = [];
const clients: MeetingClient[] = [];

before(async () => {
  dir = await tempDir('meeting-client');
  const secretFile = join(dir.path, 'secret.key');
  await writeFile(secretFile, randomBytes(32).toString('hex'));
  const mainPort = await freePort();
  const backupPort = await freePort();
  main = await startSfu({ node: 'main', port: mainPort, secretFile, peerUrl: `http://127.0.0.1:${backupPort}`, rtcMinPort: 48000 });
  backup = await startSfu({ node: 'backup', port: backupPort, secretFile, peerUrl: main.url, rtcMinPort: 48500 });
});
after(async () => {
  for (const c of clients) c.stop();
  for (const p of peers) p.close();
  await main?.stop();
  await backup?.stop();
  await dir?.remove();
});

/** What a page would show: every state, the meetings listed, the joins, the reasons for leaving, the failures. */
class RecordedView implements MeetingView {
  states: MeetingClientState[] = [];
  lists: string[][] = [];
  joins: ResponseData['meeting.join'][] = [];
  left: LeftMeeting[] = [];
  failures: { action: string; message: string }[] = [];
  setConnection(state: MeetingClientState) {
    this.states.push(state);
  }
  setMeetings(list: { id: string }[]) {
    this.lists.push(list.map((m) => m.id));
  }
  setJoined(answer: ResponseData['meeting.join']) {
    this.joins.push(answer);
  }
  setState() {}
  addChat() {}
  addPolicyEvent() {}
  producerNew() {}
  producerPaused() {}
  producerClosed() {}
  clearMeeting(why?: LeftMeeting | null) {
    if (why) this.left.push(why);
  }
  failed(action: string, err: unknown) {
    this.failures.push({ action, message: (err as Error).message });
  }
  loadFailed(err: Error) {
    this.failures.push({ action: 'load', message: err.message });
  }
}

/** Signalling only: the capabilities a browser with Opus and VP8 would offer, and a count of the media's starts and stops. */
function countingMedia() {
  const counts = { start: 0, stop: 0 };
  const media: MeetingMedia = {
    load: async () => CLIENT_RTP_CAPABILITIES as never,
    start: async () => {
      counts.start++;
    },
    producerNew() {},
    producerPaused() {},
    producerClosed() {},
    consumerClosed() {},
    stop() {
      counts.stop++;
    },
  };
  return { media, counts };
}

function startClient(token: string, opts: { autoJoin: boolean; node?: 'main' | 'backup' }) {
  const view = new RecordedView();
  const { media, counts } = countingMedia();
  const client = new MeetingClient({
    token,
    media,
    view,
    autoJoin: opts.autoJoin,
    listEveryMs: 300,
    node: opts.node ?? 'main',
    loadNodes: async () => ({ main: main.signallingUrl, backup: backup.signallingUrl }),
  });
  clients.push(client);
  client.start();
  return { client, view, counts };
}

const inMeeting = (client: MeetingClient, meetingId: string, node: 'main' | 'backup') => {
  const s = client.state;
  return s.kind === 'joined' && s.meetingId === meetingId && s.node === node;
};

async function operatorOn(sfu: SfuFixture, claims: Omit<AccessClaims, 'exp'> = { role: 'operator' }): Promise<TestPeer> {
  const peer = await TestPeer.connect(sfu, claims);
  peers.push(peer);
  return peer;
}

test('rooms join on the main node (one by itself, one sent on by the standby) and carry on on the backup at once when the main dies', async () => {
  const operator = await operatorOn(main);
  const { meetingId } = await operator.client.request('meeting.create', {
    kind: 'hop',
    title: 'Họp trực tuyến',
    invitedSites: ['da-bac', 'mai-chau'],
  });

  // Đà Bắc lists its one meeting and joins it by itself.
  const daBac = startClient(main.token({ role: 'site', site: 'da-bac' }), { autoJoin: true });
  await waitFor('Đà Bắc in the meeting on the main node', () => inMeeting(daBac.client, meetingId, 'main'));
  assert.deepEqual(
    daBac.view.states.map((s) => s.kind),
    ['loading', 'connecting', 'connected', 'joining', 'joined'],
  );
  assert.deepEqual(daBac.view.lists[0], [meetingId]);
  assert.equal(daBac.view.joins.length, 1);
  assert.equal(daBac.counts.start, 1);

  // Mai Châu starts on the backup, which holds only a copy: the join goes on to the main node.
  await waitFor('the backup to hold a copy of the meeting', async () => {
    const { copies } = await backup.status('meetings');
    return copies.some((r) => r.id === meetingId);
  });
  const maiChau = startClient(main.token({ role: 'site', site: 'mai-chau' }), { autoJoin: false, node: 'backup' });
  await waitFor('Mai Châu connected to the backup', () => maiChau.client.state.kind === 'connected');
  assert.equal(await maiChau.client.join(meetingId), false, 'the standby does not carry the meeting');
  await waitFor('Mai Châu in the meeting on the main node', () => inMeeting(maiChau.client, meetingId, 'main'));
  assert.deepEqual(maiChau.view.failures, [], 'the refusal of the standby is not shown as a failure');
  assert.ok(
    maiChau.view.states.some((s) => s.kind === 'connecting' && s.node === 'main' && s.attempt === 0 && s.rejoin === meetingId),
    'a new connection to the main node, to join the meeting',
  );

  // The main node dies: both are in the meeting on the backup, having tried it at once.
  const from = { daBac: daBac.view.states.length, maiChau: maiChau.view.states.length };
  const killedAt = Date.now();
  main.process.child.kill('SIGKILL');
  for (const [name, room, start] of [
    ['Đà Bắc', daBac, from.daBac],
    ['Mai Châu', maiChau, from.maiChau],
  ] as const) {
    await waitFor(`${name} in the meeting on the backup node`, () => inMeeting(room.client, meetingId, 'backup'), { timeoutMs: 5000 });
    const lost = room.view.states[start];
    assert.ok(lost?.kind === 'reconnecting', `${name} first showed the lost connection: ${JSON.stringify(lost)}`);
    assert.equal(lost.node, 'backup');
    assert.equal(lost.rejoin, meetingId);
    assert.ok(lost.retryAt - killedAt < 1000, `${name} tried the backup at once`);
    assert.deepEqual(room.view.failures, [], `${name} failed nothing`);
  }
  assert.ok(daBac.counts.stop >= 1, 'the media of the lost connection were stopped');
  assert.equal(daBac.counts.start, 2, 'and started again in the meeting on the backup');
});

test('a site removed from the meeting is out of it, says why, and lists the meetings again', async () => {
  const operator = await operatorOn(backup);
  const { meetingId } = await operator.client.request('meeting.create', { kind: 'hop', title: 'Họp', invitedSites: ['tan-lac'] });
  await operator.join(meetingId);
  const tanLac = startClient(backup.token({ role: 'site', site: 'tan-lac' }), { autoJoin: true, node: 'backup' });
  await waitFor('Tân Lạc in the meeting', () => inMeeting(tanLac.client, meetingId, 'backup'));
  const lists = tanLac.view.lists.length;
  await operator.client.request('site.remove', { site: 'tan-lac' });
  await waitFor('Tân Lạc out of the meeting', () => tanLac.view.left.length === 1);
  assert.equal(tanLac.view.left[0]!.kind, 'removed');
  await waitFor('the meetings listed again', () => tanLac.view.lists.length > lists && tanLac.client.state.kind === 'connected');
  assert.equal(tanLac.client.state.kind, 'connected');
  await assert.rejects(
    tanLac.client.request('chat.send', { text: 'x' }),
    (err: Error) => /^chat\.send: conflict/.test(err.message),
    'out of the meeting, the server refuses a chat message',
  );
});

test('a token the node refuses ends in the refused state with its reason, and nothing more is tried', async () => {
  const forged = issueAccessToken(randomBytes(32), { role: 'site', site: 'da-bac', exp: Date.now() + 60_000 });
  const { client, view } = startClient(forged, { autoJoin: true, node: 'backup' });
  await waitFor('refused', () => client.state.kind === 'refused');
  const s = client.state;
  assert.ok(s.kind === 'refused');
  assert.equal(s.reason, 'the token signature is not valid');
  const states = view.states.length;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(view.states.length, states, 'no attempt after the refusal');
  client.restart(true);
  assert.equal(client.state.kind, 'refused', 'a restart does not undo a refusal');
});
