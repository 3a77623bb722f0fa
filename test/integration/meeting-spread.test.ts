// A meeting larger than one worker's share spreads its receivers over routers
// on other workers, joined to the first with pipeToRouter; seats there receive
// the sites' media like any other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SfuNodeStatus } from '@noc/shared/health';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';

let sfu: SfuFixture;
const peers: TestPeer[] = [];
before(async () => {
  sfu = await startSfu({ env: { SFU_WORKERS: '2', SFU_RECV_PER_ROUTER: '2' } });
});
after(async () => {
  for (const p of peers) p.close();
  await sfu?.stop();
});

test('receivers beyond a router\'s share go to a router on the other worker and still receive', async () => {
  const connect = async (claims: Parameters<typeof TestPeer.connect>[1]) => {
    const p = await TestPeer.connect(sfu, claims);
    peers.push(p);
    return p;
  };
  const operator = await connect({ role: 'operator' });
  const { meetingId } = await operator.client.request('meeting.create', { kind: 'tap-huan', title: 'Tập huấn hè', invitedSites: ['so-gddt', 'kim-boi'] });
  const so = await connect({ role: 'site', site: 'so-gddt', meeting: meetingId });
  await so.join(meetingId);
  const mic = await so.produceMic();

  const consumed: string[] = [];
  for (let i = 0; i < 5; i++) {
    const seat = await connect({ role: 'seat', site: 'kim-boi', meeting: meetingId });
    await seat.join(meetingId);
    const transport = await seat.client.request('transport.create', { direction: 'recv' });
    const consumer = await seat.client.request('consume', { producerId: mic.producerId, transportId: transport.id });
    assert.equal(consumer.producerId, mic.producerId);
    assert.equal(consumer.site, 'so-gddt');
    await seat.client.request('consumer.resume', { consumerId: consumer.consumerId });
    consumed.push(consumer.consumerId);
  }
  assert.equal(new Set(consumed).size, 5);
  const status = (await (await fetch(`${sfu.url}/health`)).json()) as SfuNodeStatus;
  // The standing router, the meeting's first router and one on the other worker:
  // a meeting takes at most one router per worker, and fills them past the share when all are taken.
  assert.equal(status.workers.length, 2);
  assert.equal(status.workers.reduce((n, w) => n + w.routers, 0), 1 + 2);
  assert.ok(status.workers.every((w) => w.routers >= 1), 'routers are spread over both workers');
});
