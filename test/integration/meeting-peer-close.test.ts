// A peer owns its mediasoup objects and they close in a cascade, on an SFU node
// in this process (sfu/src/meetings/peer.ts): a closed producer closes its
// consumers, which leave their peers' lists and whose endpoints are told; a
// peer that leaves closes its transports and with them everything it sent and
// received; an ended meeting closes its routers and every peer's transports.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { types } from 'mediasoup';
import { waitFor } from '@noc/shared/wait';
import type { Meeting } from '../../sfu/src/meetings/meeting.ts';
import type { Peer } from '../../sfu/src/meetings/peer.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfuInProcess, type InProcessSfu } from '../fixtures/sfu-in-process.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
let sfu: InProcessSfu;
let operator: TestPeer;
let meeting: Meeting;
const clients: TestPeer[] = [];

before(async () => {
  dir = await tempDir('peer-close');
  sfu = await startSfuInProcess({ port: await freePort(), secretFile: `${dir.path}/secret` });
  operator = await connect({ role: 'operator', name: 'Tổ CNTT' });
  const { meetingId } = await operator.client.request('meeting.create', {
    kind: 'hop',
    title: 'Họp',
    invitedSites: ['da-bac', 'mai-chau'],
  });
  await operator.join(meetingId);
  meeting = sfu.meetings.live(meetingId);
});
after(async () => {
  for (const c of clients) c.close();
  await sfu?.stop();
  await dir?.remove();
});

async function connect(claims: Parameters<typeof TestPeer.connect>[1]): Promise<TestPeer> {
  const peer = await TestPeer.connect(sfu, claims);
  clients.push(peer);
  return peer;
}

/** The SFU's peer of a site's conference PC or seat. */
function peerOf(role: 'site' | 'seat', site: string): Peer {
  const peer = meeting.peers().find((p) => p.role === role && p.site === site);
  assert.ok(peer, `${role}:${site} is in the meeting`);
  return peer;
}

/** A seat that receives `producerId` on a receive transport of its own. */
async function receive(seat: TestPeer, producerId: string): Promise<string> {
  const transport = await seat.client.request('transport.create', { direction: 'recv' });
  return (await seat.client.request('consume', { producerId, transportId: transport.id })).consumerId;
}

test("closing a producer closes its consumers: they leave the receiver's list and the receiver is told", async () => {
  const daBac = await connect({ role: 'site', site: 'da-bac' });
  await daBac.join(meeting.id);
  const seat = await connect({ role: 'seat', site: 'mai-chau', name: 'Ghế 1' });
  await seat.join(meeting.id);
  const mic = await daBac.produceMic();
  const consumerId = await receive(seat, mic.producerId);
  const seatPeer = peerOf('seat', 'mai-chau');
  const consumer = seatPeer.consumers.get(consumerId);
  assert.ok(consumer, "the consumer is on the seat's list");

  await daBac.client.request('producer.close', { producerId: mic.producerId });
  await seat.waitFor('consumer.closed', (c) => c.consumerId === consumerId);
  assert.equal(consumer.closed, true);
  assert.equal(seatPeer.consumers.has(consumerId), false, "the consumer left the seat's list");
  assert.equal(peerOf('site', 'da-bac').producers.has(mic.producerId), false);
  daBac.close();
  seat.close();
  await waitFor('both to leave', () => meeting.peers().length === 1, { timeoutMs: 5000, intervalMs: 20 });
});

test('a peer that leaves closes its transports, its producers and the consumers of its producers', async () => {
  const daBac = await connect({ role: 'site', site: 'da-bac' });
  await daBac.join(meeting.id);
  const seat = await connect({ role: 'seat', site: 'mai-chau', name: 'Ghế 2' });
  await seat.join(meeting.id);
  const mic = await daBac.produceMic();
  const consumerId = await receive(seat, mic.producerId);
  const sender = peerOf('site', 'da-bac');
  const seatPeer = peerOf('seat', 'mai-chau');
  const transports: types.Transport[] = [...sender.transports.values()];
  const producer = sender.producers.get(mic.producerId)!.producer;
  const consumer = seatPeer.consumers.get(consumerId)!;
  assert.equal(transports.length, 1);

  const from = seat.events.length;
  daBac.close();
  await waitFor('Đà Bắc to leave', () => sender.closed, { timeoutMs: 5000, intervalMs: 20 });
  assert.ok(
    transports.every((t) => t.closed),
    'its transports are closed',
  );
  assert.equal(producer.closed, true, 'its producer closed with its transport');
  assert.equal(sender.transports.size + sender.producers.size + sender.consumers.size, 0, 'it owns nothing any more');
  // The worker tells the consumer its producer closed: the seat hears of it then.
  await seat.waitFor('producer.closed', (p) => p.producerId === mic.producerId, { from });
  await seat.waitFor('consumer.closed', (c) => c.consumerId === consumerId, { from });
  assert.equal(consumer.closed, true, "the seat's consumer closed with the producer");
  assert.equal(seatPeer.consumers.size, 0);

  // The seat leaves in turn: its receive transport closes.
  const seatTransports = [...seatPeer.transports.values()];
  assert.equal(seatTransports.length, 1);
  seat.close();
  await waitFor('the seat to leave', () => seatPeer.closed, { timeoutMs: 5000, intervalMs: 20 });
  assert.ok(seatTransports.every((t) => t.closed));
  assert.equal(seatPeer.transports.size, 0);
});

test("an ended meeting closes its routers, and with them every peer's transports, producers and consumers", async () => {
  const daBac = await connect({ role: 'site', site: 'da-bac' });
  await daBac.join(meeting.id);
  const seat = await connect({ role: 'seat', site: 'mai-chau', name: 'Ghế 3' });
  await seat.join(meeting.id);
  const mic = await daBac.produceMic();
  const consumerId = await receive(seat, mic.producerId);
  const sender = peerOf('site', 'da-bac');
  const seatPeer = peerOf('seat', 'mai-chau');
  const producer = sender.producers.get(mic.producerId)!.producer;
  const consumer = seatPeer.consumers.get(consumerId)!;

  await operator.client.request('meeting.close', { meetingId: meeting.id });
  await seat.waitFor('meeting.closed');
  assert.equal(meeting.router.closed, true);
  assert.equal(producer.closed, true);
  assert.equal(consumer.closed, true);
  for (const peer of [sender, seatPeer]) {
    assert.equal(peer.closed, true);
    assert.equal(peer.transports.size + peer.producers.size + peer.consumers.size, 0, `${peer.label()} owns nothing any more`);
  }
});
