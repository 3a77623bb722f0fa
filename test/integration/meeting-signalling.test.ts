// The meeting rules, enforced by the SFU over its signalling: floor control,
// the speaking queue, the dial policy, the seat limit, layout, chat — and bad
// messages that get typed errors while the meeting goes on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeetingState } from '@noc/shared/meeting';
import { MAX_SIGNALLING_MESSAGE_BYTES } from '@noc/shared/signalling';
import { SignallingClient, SignallingRequestError } from '@noc/shared/signalling-client';
import { waitFor } from '@noc/shared/wait';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { TestPeer, micRtpParameters } from '../fixtures/meeting-peers.ts';

const refused = (code: string, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof SignallingRequestError, String(err));
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
};

describe('meeting signalling on a real SFU node', () => {
  let sfu: SfuFixture;
  let operator: TestPeer;
  let chair: TestPeer;
  let daBac: TestPeer;
  let maiChau: TestPeer;
  let tanLac: TestPeer;
  let meetingId: string;
  const peers: TestPeer[] = [];
  const connect = async (claims: Parameters<typeof TestPeer.connect>[1]) => {
    const peer = await TestPeer.connect(sfu, claims);
    peers.push(peer);
    return peer;
  };

  before(async () => {
    sfu = await startSfu();
    operator = await connect({ role: 'operator', name: 'Tổ CNTT' });
    const created = await operator.client.request('meeting.create', {
      kind: 'giao-ban',
      title: 'Giao ban tháng 11',
      invitedSites: ['so-gddt', 'da-bac', 'mai-chau', 'tan-lac'],
    });
    meetingId = created.meetingId;
    await operator.join(meetingId);
    chair = await connect({ role: 'chair', meeting: meetingId, name: 'Chủ trì' });
    await chair.join(meetingId);
    daBac = await connect({ role: 'site', site: 'da-bac', meeting: meetingId });
    maiChau = await connect({ role: 'site', site: 'mai-chau', meeting: meetingId });
    tanLac = await connect({ role: 'site', site: 'tan-lac', meeting: meetingId });
    for (const p of [daBac, maiChau, tanLac]) await p.join(meetingId);
  });
  after(async () => {
    for (const p of peers) p.close();
    await sfu?.stop();
  });

  test('everyone sees every site that joined', async () => {
    const state = await operator.waitFor('meeting.state', (s) => s.present.filter((p) => p.endpoint).length === 3);
    assert.deepEqual(state.present.map((p) => p.site).sort(), ['da-bac', 'mai-chau', 'tan-lac']);
    assert.equal(state.kind, 'giao-ban');
    assert.equal(state.floor, null);
  });

  test('a microphone is closed on the server until the chair gives the floor, and a site cannot open it itself', async () => {
    const mic = await daBac.produceMic();
    assert.equal(mic.paused, true, 'a new microphone is paused without the floor');
    const seen = await maiChau.waitFor('producer.new', (p) => p.producerId === mic.producerId);
    assert.equal(seen.site, 'da-bac');
    assert.equal(seen.paused, true);

    await assert.rejects(daBac.client.request('producer.resume', { producerId: mic.producerId }), refused('unauthorised', /floor/));
    const event = await operator.waitFor('policy.event', (e) => e.type === 'mic-without-floor');
    assert.equal(event.site, 'da-bac');
    assert.equal(event.meeting, meetingId);
    const log = await sfu.status('events');
    assert.ok(log.policy.some((e) => e.type === 'mic-without-floor' && e.site === 'da-bac'));

    await chair.client.request('floor.grant', { site: 'da-bac' });
    await maiChau.waitFor('producer.paused', (p) => p.producerId === mic.producerId && !p.paused);
    const state = await tanLac.waitFor('meeting.state', (s) => s.floor === 'da-bac');
    assert.equal(state.layout.featuredSite, 'da-bac', 'the featured site follows the speaker');

    // The floor moves on: the previous holder's microphone closes again.
    const tanLacMic = await tanLac.produceMic();
    await chair.client.request('floor.grant', { site: 'tan-lac' });
    await maiChau.waitFor('producer.paused', (p) => p.producerId === mic.producerId && p.paused);
    await maiChau.waitFor('producer.paused', (p) => p.producerId === tanLacMic.producerId && !p.paused);
    const beforeRevoke = maiChau.events.length;
    await chair.client.request('floor.revoke', {});
    await maiChau.waitFor('producer.paused', (p) => p.producerId === tanLacMic.producerId && p.paused);
    await maiChau.waitFor('meeting.state', (s) => s.floor === null, { from: beforeRevoke });
  });

  test('only the chair or an operator gives the floor', async () => {
    await assert.rejects(maiChau.client.request('floor.grant', { site: 'mai-chau' }), refused('unauthorised'));
  });

  test('speaking requests queue in the order they were raised, and the chair grants or dismisses them', async () => {
    await tanLac.client.request('floor.request', {});
    await maiChau.client.request('floor.request', {});
    await operator.client.request('floor.request', { site: 'so-gddt' });
    const again = await tanLac.client.request('floor.request', {});
    assert.deepEqual(
      again.queue.map((r) => r.site),
      ['tan-lac', 'mai-chau', 'so-gddt'],
      'a second request does not jump the queue',
    );
    assert.deepEqual(
      again.queue.map((r) => r.by),
      ['site', 'site', 'operator'],
    );
    await assert.rejects(tanLac.client.request('floor.request', { site: 'mai-chau' }), refused('unauthorised'));

    await chair.client.request('floor.grant', { site: 'mai-chau' });
    let state = await daBac.waitFor('meeting.state', (s) => s.floor === 'mai-chau');
    assert.deepEqual(
      state.queue.map((r) => r.site),
      ['tan-lac', 'so-gddt'],
    );
    await chair.client.request('floor.dismiss', { site: 'tan-lac' });
    // (The states since the grant hold Mai Châu's floor; the first of them without Tân Lạc follows the dismissal.)
    state = await daBac.waitFor('meeting.state', (s) => s.floor === 'mai-chau' && !s.queue.some((r) => r.site === 'tan-lac'));
    assert.deepEqual(
      state.queue.map((r) => r.site),
      ['so-gddt'],
      'only the dismissed site leaves the queue',
    );
  });

  test('an uninvited site, a token for another meeting and a direct call are refused and recorded', async () => {
    const kimBoi = await connect({ role: 'site', site: 'kim-boi' });
    await assert.rejects(kimBoi.join(meetingId), refused('unauthorised', /not invited/));
    await operator.waitFor('policy.event', (e) => e.type === 'uninvited-join' && e.site === 'kim-boi');

    const other = await operator.client.request('meeting.create', { kind: 'hop', title: 'Họp riêng', invitedSites: ['lac-son'] });
    const stray = await connect({ role: 'site', site: 'da-bac', meeting: meetingId });
    await assert.rejects(stray.join(other.meetingId), refused('unauthorised', /token is for meeting/));

    await assert.rejects(daBac.client.request('site.dial', { site: 'mai-chau' }), refused('unauthorised', /Điều 9.2/));
    const dial = await operator.waitFor('policy.event', (e) => e.type === 'dial-outside-policy');
    assert.equal(dial.site, 'da-bac');
  });

  test('the control centre invites a site into the running meeting and removes it', async () => {
    const kimBoi = await connect({ role: 'site', site: 'kim-boi' });
    await operator.client.request('site.invite', { site: 'kim-boi' });
    const joined = await kimBoi.join(meetingId);
    assert.ok(joined.state.invitedSites.includes('kim-boi'));
    const beforeRemoval = operator.events.length;
    await operator.client.request('site.remove', { site: 'kim-boi' });
    await kimBoi.waitFor('peer.removed');
    const state = await operator.waitFor('meeting.state', (s) => !s.invitedSites.includes('kim-boi'), { from: beforeRemoval });
    assert.ok(!state.present.some((p) => p.site === 'kim-boi'));
    await assert.rejects(kimBoi.join(meetingId), refused('unauthorised'));
  });

  test('the layout the control centre sets reaches every endpoint; a site cannot set it', async () => {
    await operator.client.request('layout.set', { featuredSite: 'tan-lac', grid: 9, followSpeaker: false });
    for (const p of [daBac, maiChau, tanLac, chair]) {
      const state = await p.waitFor('meeting.state', (s) => s.layout.grid === 9);
      assert.deepEqual(state.layout, { featuredSite: 'tan-lac', grid: 9, followSpeaker: false });
    }
    await assert.rejects(daBac.client.request('layout.set', { grid: 1 }), refused('unauthorised'));
    await assert.rejects(operator.client.request('layout.set', { featuredSite: 'yen-thuy' }), refused('not-found'));
  });

  test('chat messages reach everyone in the meeting', async () => {
    await tanLac.client.request('chat.send', { text: 'Tân Lạc xin đăng ký phát biểu' });
    for (const p of [operator, chair, daBac]) {
      const msg = await p.waitFor('chat.message', (m) => m.text === 'Tân Lạc xin đăng ký phát biểu');
      assert.equal(msg.from, 'tan-lac');
    }
  });

  test('a site has at most 40 seats in a meeting: the 41st is refused', async () => {
    const seats: TestPeer[] = [];
    for (let i = 0; i < 40; i++) {
      const seat = await connect({ role: 'seat', site: 'mai-chau', meeting: meetingId, name: `ghế ${i + 1}` });
      await seat.join(meetingId);
      seats.push(seat);
    }
    const extra = await connect({ role: 'seat', site: 'mai-chau', meeting: meetingId });
    await assert.rejects(extra.join(meetingId), refused('limit-reached', /40/));
    await operator.waitFor('meeting.state', (s) => s.present.some((p) => p.site === 'mai-chau' && p.seats === 40));
    const counted = operator.events
      .filter((e) => e.method === 'meeting.state')
      .flatMap((e) => (e.data as MeetingState).present.filter((p) => p.site === 'mai-chau').map((p) => p.seats));
    assert.equal(Math.max(...counted), 40, `the refused seat was never counted: ${counted.join(', ')}`);
    await assert.rejects(seats[0]!.client.request('transport.create', { direction: 'send' }), refused('unauthorised', /only receives/));
    // Another site's seats are counted on their own.
    const beforeOther = operator.events.length;
    const other = await connect({ role: 'seat', site: 'da-bac', meeting: meetingId });
    await other.join(meetingId);
    for (const s of seats) s.close();
    const seatsOf = (s: MeetingState, site: string) => s.present.find((p) => p.site === site)?.seats ?? 0;
    await operator.waitFor('meeting.state', (s) => seatsOf(s, 'mai-chau') === 0 && seatsOf(s, 'da-bac') === 1, { from: beforeOther });
  });

  test('malformed, unknown, oversized and unauthorised messages get typed errors and the meeting goes on', async () => {
    const raw = await SignallingClient.connect(sfu.signallingUrl, sfu.token({ role: 'site', site: 'da-bac', meeting: meetingId }));
    try {
      raw.sendText('{not json');
      raw.sendText(JSON.stringify({ kind: 'request', id: 'x', method: 'floor.request', data: {} }));
      raw.sendText('x'.repeat(MAX_SIGNALLING_MESSAGE_BYTES + 10));
      await waitFor('three unsolicited errors', () => raw.unsolicitedErrors.length >= 3);
      assert.deepEqual(
        raw.unsolicitedErrors.map((e) => e.code),
        ['bad-message', 'bad-message', 'too-large'],
      );
      assert.equal(raw.unsolicitedErrors[1]?.field, 'id');

      await assert.rejects(raw.requestRaw('room.explode', {}), refused('unknown-method'));
      await assert.rejects(raw.requestRaw('floor.request', { site: 42 }), (err: unknown) => {
        assert.ok(err instanceof SignallingRequestError);
        assert.equal(err.code, 'invalid-data');
        assert.equal(err.field, 'data.site');
        return true;
      });
      await assert.rejects(
        raw.requestRaw('chat.send', { text: 'hi', extra: 1 }),
        (err: unknown) => err instanceof SignallingRequestError && err.field === 'data.extra',
      );
      await assert.rejects(raw.request('floor.request', {}), refused('conflict', /join a meeting first/));
      await assert.rejects(raw.request('meeting.create', { kind: 'hop', title: 'x', invitedSites: ['da-bac'] }), refused('unauthorised'));
      await assert.rejects(raw.requestRaw('meeting.join', { meetingId, rtpCapabilities: { codecs: 'nope' } }), (err: unknown) => {
        assert.ok(err instanceof SignallingRequestError);
        assert.equal(err.code, 'invalid-data');
        assert.equal(err.field, 'data.rtpCapabilities.codecs');
        return true;
      });
      // A well-formed produce with nonsense RTP parameters is refused by mediasoup's own checks.
      const fresh = await TestPeer.connect(sfu, { role: 'site', site: 'so-gddt', meeting: meetingId });
      peers.push(fresh);
      await fresh.join(meetingId);
      const t = await fresh.client.request('transport.create', { direction: 'send' });
      await assert.rejects(
        fresh.client.request('produce', {
          transportId: t.id,
          kind: 'audio',
          source: 'mic',
          rtpParameters: { ...micRtpParameters(), codecs: [] },
        }),
        refused('invalid-data'),
      );
      await assert.rejects(
        fresh.client.request('produce', { transportId: t.id, kind: 'video', source: 'mic', rtpParameters: micRtpParameters() }),
        refused('invalid-data', /source/),
      );
    } finally {
      raw.close();
    }
    // The meeting and its connections are intact.
    assert.ok(operator.client.open && daBac.client.open);
    await daBac.client.request('chat.send', { text: 'vẫn hoạt động' });
    await maiChau.waitFor('chat.message', (m) => m.text === 'vẫn hoạt động');
    assert.equal(sfu.process.running, true);
  });

  test('a connection with a bad token is refused and closed', async () => {
    const bad = await SignallingClient.connect(sfu.signallingUrl, 'forged.token');
    const closed = new Promise<number>((resolve) => bad.onClose((code) => resolve(code)));
    assert.equal(await closed, 4401);
    assert.equal(bad.unsolicitedErrors[0]?.code, 'unauthorised');
    const expired = await SignallingClient.connect(sfu.signallingUrl, sfu.token({ role: 'operator', exp: Date.now() - 1 }));
    await new Promise<void>((resolve) => expired.onClose(() => resolve()));
    assert.match(expired.unsolicitedErrors[0]?.message ?? '', /expired/);
  });
});
