// The backup control point (Điều 2, 8): the main SFU node replicates each
// meeting to the backup node; when the main is killed, the endpoints continue
// on the backup within 5 s with the same invited sites, floor, queue and
// layout; when the main returns, the control centre moves the meeting back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeetingRecord, NodeEvent } from '@noc/shared/meeting';
import { SignallingRequestError } from '@noc/shared/signalling-client';
import { waitFor } from '@noc/shared/wait';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
let secretFile: string;
let mainPort: number;
let backupPort: number;
let main: SfuFixture;
let backup: SfuFixture;
const peers: TestPeer[] = [];

const startMain = () =>
  startSfu({ node: 'main', port: mainPort, secretFile, peerUrl: `http://127.0.0.1:${backupPort}`, rtcMinPort: 44000 });

before(async () => {
  dir = await tempDir('failover');
  secretFile = join(dir.path, 'secret.key');
  await writeFile(secretFile, randomBytes(32).toString('hex'));
  mainPort = await freePort();
  backupPort = await freePort();
  main = await startMain();
  backup = await startSfu({ node: 'backup', port: backupPort, secretFile, peerUrl: main.url, rtcMinPort: 45000 });
});
after(async () => {
  for (const p of peers) p.close();
  await main?.stop();
  await backup?.stop();
  await dir?.remove();
});

async function nodeView(sfu: SfuFixture): Promise<{ carried: MeetingRecord[]; copies: MeetingRecord[] }> {
  return sfu.status('meetings');
}

async function nodeEvents(sfu: SfuFixture): Promise<NodeEvent[]> {
  return (await sfu.status('events')).node;
}

async function connect(sfu: SfuFixture, claims: Parameters<typeof TestPeer.connect>[1]): Promise<TestPeer> {
  const peer = await TestPeer.connect(sfu, claims);
  peers.push(peer);
  return peer;
}

test('a meeting survives the loss of the main node and moves back when the control centre says so', async () => {
  // A meeting on the main node, with a floor holder, a queue and a layout.
  const operator = await connect(main, { role: 'operator' });
  const { meetingId } = await operator.client.request('meeting.create', {
    kind: 'hoi-nghi',
    title: 'Hội nghị trực tuyến',
    invitedSites: ['so-gddt', 'da-bac', 'mai-chau', 'lac-thuy'],
  });
  await operator.join(meetingId);
  const daBac = await connect(main, { role: 'site', site: 'da-bac', meeting: meetingId });
  const maiChau = await connect(main, { role: 'site', site: 'mai-chau', meeting: meetingId });
  await daBac.join(meetingId);
  await maiChau.join(meetingId);
  await operator.client.request('floor.grant', { site: 'da-bac' });
  await maiChau.client.request('floor.request', {});
  await operator.client.request('layout.set', { featuredSite: 'mai-chau', grid: 9, followSpeaker: false });
  const before = await operator.waitFor('meeting.state', (s) => s.layout.grid === 9 && s.queue.length === 1);

  await waitFor('the backup to hold a copy of the meeting as it is now', async () => {
    const copy = (await nodeView(backup)).copies.find((r) => r.id === meetingId);
    return copy?.activeOn === 'main' && copy.floor === 'da-bac' && copy.layout.grid === 9 && copy.queue.length === 1;
  });

  // The main node dies.
  const killedAt = Date.now();
  main.process.child.kill('SIGKILL');
  await main.process.exited;

  // The endpoints continue on the backup.
  const [daBac2, maiChau2] = await Promise.all(
    (['da-bac', 'mai-chau'] as const).map(async (site) => {
      const peer = await connect(backup, { role: 'site', site, meeting: meetingId });
      await peer.join(meetingId);
      return peer;
    }),
  );
  const elapsed = Date.now() - killedAt;
  assert.ok(elapsed < 5000, `endpoints resumed on the backup after ${elapsed} ms`);
  const joined = await daBac2!.client.request('meeting.list', {});
  assert.deepEqual(
    joined.meetings.map((m) => m.id),
    [meetingId],
  );
  const state = await maiChau2!.waitFor('meeting.state', (s) => s.present.length === 2);
  assert.equal(state.floor, 'da-bac');
  assert.deepEqual(state.layout, before.layout);
  assert.deepEqual(state.queue, before.queue);
  assert.deepEqual(state.invitedSites.sort(), before.invitedSites.sort());
  assert.equal(state.createdAt, before.createdAt);
  // The floor still rules the microphones on the backup.
  assert.equal((await maiChau2!.produceMic()).paused, true);
  assert.equal((await daBac2!.produceMic()).paused, false);
  const takeover = (await nodeEvents(backup)).find((e) => e.type === 'meeting-taken-over');
  assert.deepEqual([takeover?.meeting, takeover?.from, takeover?.to], [meetingId, 'main', 'backup']);

  // No automatic flapping: the main returns and the meeting stays on the backup.
  const operator2 = await connect(backup, { role: 'operator' });
  await assert.rejects(operator2.client.request('meeting.move', { meetingId, to: 'main' }), (err: unknown) => {
    assert.ok(err instanceof SignallingRequestError && err.code === 'conflict', String(err));
    return true;
  });
  main = await startMain();
  await waitFor('the main node to hold a copy kept on the backup', async () =>
    (await nodeView(main)).copies.some((r) => r.id === meetingId && r.activeOn === 'backup'),
  );
  assert.equal((await nodeView(backup)).carried.length, 1);

  // The control centre moves it back; endpoints are told and continue on the main node.
  await operator2.join(meetingId);
  await operator2.client.request('meeting.move', { meetingId, to: 'main' });
  for (const p of [daBac2!, maiChau2!]) assert.equal((await p.waitFor('meeting.moved')).node, 'main');
  const back = await connect(main, { role: 'site', site: 'mai-chau', meeting: meetingId });
  const rejoined = await back.join(meetingId);
  assert.equal(rejoined.state.floor, 'da-bac');
  assert.deepEqual(rejoined.state.layout, before.layout);
  assert.deepEqual((await nodeView(backup)).carried, []);
  const moved = (await nodeEvents(main)).find((e) => e.type === 'meeting-moved');
  assert.deepEqual([moved?.meeting, moved?.from, moved?.to], [meetingId, 'backup', 'main']);
  assert.ok((await nodeEvents(backup)).some((e) => e.type === 'meeting-moved' && e.to === 'main'));
});

test('a load-test meeting stays a load test on the other node: its copy says so, and plain transports work there after a move', async () => {
  const tester = await connect(main, { role: 'operator', loadTest: true });
  const { meetingId } = await tester.client.request('meeting.create', {
    kind: 'tap-huan',
    title: 'Kiểm tra tải',
    invitedSites: ['da-bac'],
    loadTest: true,
  });
  await waitFor('the backup to hold a copy of the load test', async () =>
    (await nodeView(backup)).copies.some((r) => r.id === meetingId && r.loadTest === true),
  );
  await tester.client.request('meeting.move', { meetingId, to: 'backup' });
  const carried = (await nodeView(backup)).carried.find((r) => r.id === meetingId);
  assert.equal(carried?.loadTest, true);
  const site = await connect(backup, { role: 'site', site: 'da-bac', meeting: meetingId, loadTest: true });
  assert.equal((await site.join(meetingId)).state.loadTest, true);
  const transport = await site.client.request('plain.create', { direction: 'send' });
  assert.equal(transport.srtpParameters, null, 'a publisher sends plain RTP by default');
  assert.ok(transport.port > 0);
});
