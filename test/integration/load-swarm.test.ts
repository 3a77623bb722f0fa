// The media swarm of a capacity test against a real SFU node: two site
// publishers (ffmpeg sending the clip over plain RTP) and four seats (plain
// SRTP receive transports into RTP sinks). Every seat gets the featured site's
// video and the floor holder's audio without loss and follows a change of the
// floor; the seats spread over both workers, and /workers counts what each
// carries; nothing is left when the swarm is gone. Plain transports and load-test meetings are refused to tokens
// and meetings that are not load tests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { SignallingRequestError } from '@noc/shared/signalling-client';
import { waitFor } from '@noc/shared/wait';
import { ensureClip } from '@noc/loadtest/swarm/clip';
import { RtpSink } from '@noc/loadtest/swarm/rtp-sink';
import { SeatReceiver } from '@noc/loadtest/swarm/seat-receiver';
import { SitePublisher } from '@noc/loadtest/swarm/site-publisher';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';

const FFMPEG = process.env.FFMPEG_BIN ?? '/usr/bin/ffmpeg';
let sfu: SfuFixture;
let clipFile: string;

before(async () => {
  // Two seats per router: the four seats spread over both workers, the second receiving through a pipe.
  sfu = await startSfu({ env: { SFU_WORKERS: '2', SFU_RECV_PER_ROUTER: '2' } });
  clipFile = (await ensureClip(FFMPEG)).path;
});
after(async () => {
  await sfu?.stop();
});

/** Rejects with a typed signalling error of `code` whose message matches `message`. */
async function refused(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof SignallingRequestError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

async function workers() {
  return sfu.status('workers');
}

const total = (w: Awaited<ReturnType<typeof workers>>, key: 'consumers' | 'transports' | 'producers') =>
  w.workers.reduce((sum, x) => sum + x[key], 0);

/** ffmpeg processes that loop our clip, found by their command line in /proc. */
function ffmpegsOfClip(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmdline.split('\0');
    if (args[0]?.endsWith('ffmpeg') && args.includes(clipFile)) pids.push(Number(entry));
  }
  return pids;
}

test('a load-test meeting needs a load-test token, and plain transports need both', async () => {
  const operator = await TestPeer.connect(sfu, { role: 'operator' });
  const tester = await TestPeer.connect(sfu, { role: 'operator', loadTest: true });
  try {
    await refused(
      operator.client.request('meeting.create', { kind: 'tap-huan', title: 'Kiểm tra tải', invitedSites: ['da-bac'], loadTest: true }),
      'unauthorised',
      /only a load-test token/,
    );
    const real = await operator.client.request('meeting.create', { kind: 'tap-huan', title: 'Tập huấn', invitedSites: ['da-bac'] });
    assert.equal(real.state.loadTest, false);
    const test = await tester.client.request('meeting.create', {
      kind: 'tap-huan',
      title: 'Kiểm tra tải',
      invitedSites: ['da-bac'],
      loadTest: true,
    });
    assert.equal(test.state.loadTest, true);
    const carried = (await sfu.status('meetings')).carried;
    assert.deepEqual(
      carried.filter((m) => [real.meetingId, test.meetingId].includes(m.id)).map((m) => [m.id, m.loadTest]),
      [
        [real.meetingId, false],
        [test.meetingId, true],
      ],
    );

    // A load-test token in a real meeting.
    const inReal = await TestPeer.connect(sfu, { role: 'site', site: 'da-bac', loadTest: true });
    await inReal.join(real.meetingId);
    await refused(inReal.client.request('plain.create', { direction: 'send' }), 'unauthorised', /is not a load test/);
    inReal.close();
    // A token without the claim in a load-test meeting.
    const plainSite = await TestPeer.connect(sfu, { role: 'site', site: 'da-bac' });
    await plainSite.join(test.meetingId);
    await refused(plainSite.client.request('plain.create', { direction: 'send' }), 'unauthorised', /need a load-test token/);
    plainSite.close();
    // A seat, even with the claim, only receives.
    const seat = await TestPeer.connect(sfu, { role: 'seat', site: 'da-bac', loadTest: true });
    await seat.join(test.meetingId);
    await refused(seat.client.request('plain.create', { direction: 'send' }), 'unauthorised', /only receives/);
    const recv = await seat.client.request('plain.create', { direction: 'recv' });
    assert.equal(recv.srtpParameters?.cryptoSuite, 'AES_CM_128_HMAC_SHA1_80', 'a receiving seat encrypts by default');
    await refused(
      seat.client.request('plain.connect', { transportId: recv.transportId, ip: '127.0.0.1', port: 9 }),
      'invalid-data',
      /give the srtpParameters/,
    );
    seat.close();
  } finally {
    operator.close();
    tester.close();
  }
});

test('two publishers and four seats: every seat gets the featured video and the floor audio, and nothing is left after', async () => {
  const operator = await TestPeer.connect(sfu, { role: 'operator', loadTest: true });
  const publishers: SitePublisher[] = [];
  const seats: SeatReceiver[] = [];
  const sinks: RtpSink[] = [];
  try {
    const { meetingId } = await operator.client.request('meeting.create', {
      kind: 'tap-huan',
      title: 'Kiểm tra tải',
      invitedSites: ['da-bac', 'mai-chau', 'tan-lac'],
      loadTest: true,
    });
    await operator.join(meetingId);
    for (const site of ['da-bac', 'mai-chau']) {
      const token = sfu.token({ role: 'site', site, meeting: meetingId, loadTest: true });
      publishers.push(await SitePublisher.start({ signallingUrl: sfu.signallingUrl, token, meetingId, clipFile, maxSeconds: 120 }));
    }
    const [daBac, maiChau] = publishers as [SitePublisher, SitePublisher];
    assert.equal(daBac.micPaused, true, 'a microphone without the floor starts paused');
    // Mai Châu speaks; Đà Bắc is shown large.
    await operator.client.request('floor.grant', { site: 'mai-chau' });
    await operator.client.request('layout.set', { featuredSite: 'da-bac', followSpeaker: false });
    await waitFor('Mai Châu to have its microphone open', () => !maiChau.micPaused, { timeoutMs: 5000, intervalMs: 20 });

    for (let i = 0; i < 4; i++) {
      const site = i < 2 ? 'tan-lac' : 'mai-chau';
      const sink = await RtpSink.open();
      sinks.push(sink);
      const token = sfu.token({ role: 'seat', site, meeting: meetingId, name: `Ghế ${i + 1}`, loadTest: true });
      seats.push(await SeatReceiver.join({ signallingUrl: sfu.signallingUrl, token, meetingId, sink }));
    }
    for (const seat of seats) {
      await seat.settled();
      assert.deepEqual(
        seat
          .streams()
          .map((s) => `${s.kind}:${s.site}`)
          .sort(),
        ['audio:mai-chau', 'video:da-bac'],
      );
    }
    await waitFor('RTP at every seat', () => seats.every((s) => s.joinMs !== null), { timeoutMs: 10_000, intervalMs: 50 });
    for (const seat of seats) assert.ok(seat.joinMs! > 0 && seat.joinMs! < 10_000, `join took ${seat.joinMs} ms`);

    // Past a keyframe interval, a window of 3 s.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    for (const sink of sinks) sink.reset();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    seats.forEach((seat, i) => {
      const figures = sinks[i]!.figures();
      for (const stream of seat.streams()) {
        const got = figures.streams.find((s) => s.ssrc === stream.ssrc);
        assert.ok(got && got.packets > 0, `seat ${i + 1} received ${stream.kind} from ${stream.site}`);
        assert.ok(got.lossPct < 1, `seat ${i + 1} ${stream.kind} loss ${got.lossPct} %`);
        assert.ok(got.jitterMs !== null && Number.isFinite(got.jitterMs), `seat ${i + 1} ${stream.kind} jitter ${got.jitterMs}`);
        assert.ok(got.bitrateKbps > (stream.kind === 'video' ? 100 : 10), `seat ${i + 1} ${stream.kind} at ${got.bitrateKbps} kbit/s`);
      }
    });
    const load = await workers();
    assert.ok(total(load, 'consumers') >= 8, `/workers: ${JSON.stringify(load)}`);
    assert.equal(total(load, 'producers'), 4);
    assert.equal(load.workers.length, 2);
    assert.deepEqual(
      load.workers.map((w) => w.consumers),
      [4, 4],
      `each worker counts the consumers of its own router: ${JSON.stringify(load)}`,
    );
    assert.ok(load.workers.every((w) => Number.isFinite(w.cpuPct) && w.cpuPct >= 0));

    // The floor goes to Đà Bắc: every seat now hears Đà Bắc, and lets Mai Châu's audio go.
    await operator.client.request('floor.grant', { site: 'da-bac' });
    await waitFor('every seat to hear Đà Bắc', () => seats.every((s) => s.streams().find((x) => x.kind === 'audio')?.site === 'da-bac'), {
      timeoutMs: 5000,
      intervalMs: 20,
    });
    for (const sink of sinks) sink.reset();
    await waitFor(
      "Đà Bắc's audio at every seat",
      () =>
        seats.every((seat, i) => {
          const audio = seat.streams().find((x) => x.kind === 'audio')!;
          return (sinks[i]!.figures().streams.find((s) => s.ssrc === audio.ssrc)?.packets ?? 0) > 10;
        }),
      { timeoutMs: 5000, intervalMs: 50 },
    );
    assert.equal(total(await workers(), 'consumers') >= 8, true);
    for (const seat of seats) assert.equal(seat.counts.errors, 0, `seat errors: ${JSON.stringify(seat.counts)}`);
    // The meeting's rules keep speaking requests from seats.
    await assert.rejects(seats[0]!.requestFloor(), /unauthorised/);
    assert.deepEqual(seats[0]!.counts.refused, 1);

    for (const seat of seats) await seat.leave();
    for (const publisher of publishers) await publisher.stop();
    await waitFor(
      'the workers to carry nothing',
      async () => {
        const w = await workers();
        return total(w, 'consumers') === 0 && total(w, 'transports') === 0 && total(w, 'producers') === 0;
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );
    assert.deepEqual(ffmpegsOfClip(), [], 'no ffmpeg left');
  } finally {
    for (const seat of seats) await seat.leave();
    for (const publisher of publishers) await publisher.stop();
    for (const sink of sinks) sink.close();
    operator.close();
  }
});

test('closing a load-test meeting closes its plain transports, and its publishers stop ffmpeg', async () => {
  const tester = await TestPeer.connect(sfu, { role: 'operator', loadTest: true });
  const sink = await RtpSink.open();
  let publisher: SitePublisher | undefined;
  let seat: SeatReceiver | undefined;
  try {
    const { meetingId } = await tester.client.request('meeting.create', {
      kind: 'tap-huan',
      title: 'Kiểm tra tải',
      invitedSites: ['lac-son'],
      loadTest: true,
    });
    const site = sfu.token({ role: 'site', site: 'lac-son', meeting: meetingId, loadTest: true });
    publisher = await SitePublisher.start({ signallingUrl: sfu.signallingUrl, token: site, meetingId, clipFile, maxSeconds: 60 });
    const token = sfu.token({ role: 'seat', site: 'lac-son', meeting: meetingId, loadTest: true });
    seat = await SeatReceiver.join({ signallingUrl: sfu.signallingUrl, token, meetingId, sink });
    await waitFor('video at the seat', () => seat!.joinMs !== null, { timeoutMs: 10_000, intervalMs: 50 });
    assert.deepEqual(
      seat.streams().map((s) => `${s.kind}:${s.site}`),
      ['video:lac-son', 'audio:lac-son'],
      "nobody has the floor: the featured site's audio, which the SFU holds paused",
    );
    await waitFor('the workers to count the seat and the publisher', async () => total(await workers(), 'transports') === 3, {
      timeoutMs: 3000,
      intervalMs: 100,
    });

    await tester.client.request('meeting.close', { meetingId });
    await waitFor('the workers to carry nothing', async () => {
      const w = await workers();
      return total(w, 'consumers') + total(w, 'transports') + total(w, 'producers') === 0;
    });
    await waitFor('the publisher to stop its ffmpeg', () => !publisher!.ffmpeg.running, { timeoutMs: 5000, intervalMs: 50 });
    assert.match(publisher.ended ?? '', /the meeting closed/);
    assert.match(seat.ended ?? '', /the meeting closed/);
    assert.deepEqual(ffmpegsOfClip(), [], 'no ffmpeg left');
  } finally {
    await seat?.leave();
    await publisher?.stop();
    sink.close();
    tester.close();
  }
});
