// The RTP sink's arithmetic with crafted packets: loss from sequence gaps
// (across the 16-bit wrap, with reordering and duplicates), RFC 3550
// interarrival jitter, windows that reset, RTCP left out; and the socket path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { waitFor } from '@noc/shared/wait';
import { RtpSink } from '@noc/loadtest/swarm/rtp-sink';

function rtp(seq: number, timestamp: number, ssrc: number, payloadType = 111, payloadBytes = 88): Buffer {
  const b = Buffer.alloc(12 + payloadBytes);
  b[0] = 0x80;
  b[1] = payloadType;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

/** An RTCP receiver report (PT 201) as it arrives with RTCP-mux. */
function rtcp(): Buffer {
  const b = Buffer.alloc(8);
  b[0] = 0x80;
  b[1] = 201;
  b.writeUInt16BE(1, 2);
  return b;
}

test('loss counts the sequence numbers that never arrived, across the wrap, not reordered or duplicated ones', () => {
  const sink = RtpSink.detached();
  const ssrc = 0x10000002;
  // 65530 … 65535, 0 … 5: twelve packets; 65533 and 2 never arrive; 4 comes before 3; 1 comes twice.
  const order = [65530, 65531, 65532, 65534, 65535, 0, 1, 1, 4, 3, 5];
  order.forEach((seq, i) => sink.receive(rtp(seq, i * 960, ssrc), i * 20));
  const [stream] = sink.figures(220).streams;
  assert.ok(stream);
  assert.equal(stream.ssrc, ssrc);
  assert.equal(stream.expected, 12);
  assert.equal(stream.packets, 11, 'the duplicate is a packet received');
  // 11 received of 12 expected: one short, though two are missing — a duplicate hides a loss (README).
  assert.equal(stream.lost, 1);
  assert.equal(stream.bytes, 11 * 100);
  assert.ok(Math.abs(stream.lossPct - 100 / 12) < 1e-9);
  assert.ok(Math.abs(stream.bitrateKbps - (1100 * 8) / 220) < 1e-9);
});

test('jitter follows RFC 3550: J += (|D| − J) / 16 in timestamp units, reported in ms', () => {
  const sink = RtpSink.detached();
  sink.setClockRate(111, 48000);
  const ssrc = 7;
  // Sent every 20 ms (960 ticks at 48 kHz); arriving 10 ms early and late in turn: |D| = 20 ms after the first.
  const arrivals = [0, 30, 30, 70, 70, 110, 110, 150, 150, 190];
  arrivals.forEach((at, i) => sink.receive(rtp(i, i * 960, ssrc), at));
  let expected = 0;
  for (let i = 1; i < arrivals.length; i++) {
    const d = Math.abs(arrivals[i]! - arrivals[i - 1]! - 20);
    expected += (d - expected) / 16;
  }
  const [stream] = sink.figures(200).streams;
  assert.ok(stream?.jitterMs !== null && stream?.jitterMs !== undefined);
  assert.ok(expected > 5, `the arrivals jitter (${expected} ms)`);
  assert.ok(Math.abs(stream.jitterMs - expected) < 1e-6, `jitter ${stream.jitterMs} ms, expected ${expected} ms`);

  // Arriving exactly as sent: the jitter decays towards 0.
  const steady = RtpSink.detached();
  steady.setClockRate(96, 90000);
  for (let i = 0; i < 50; i++) steady.receive(rtp(i, i * 3000, 9, 96), 1000 + (i * 100) / 3);
  assert.ok(Math.abs(steady.figures().streams[0]!.jitterMs!) < 1e-6);

  // Without the payload type's clock rate there is no jitter figure, rather than a wrong one.
  const unknown = RtpSink.detached();
  unknown.receive(rtp(0, 0, 5, 100), 0);
  assert.equal(unknown.figures().streams[0]!.jitterMs, null);
  assert.throws(() => unknown.setClockRate(100, 0), /clock rate 0 of payload type 100 must be positive/);
});

test('a window counts only what arrived in it; RTCP is counted apart', () => {
  const sink = RtpSink.detached();
  for (let i = 0; i < 10; i++) sink.receive(rtp(i, i * 960, 1), i * 20);
  sink.receive(rtcp(), 100);
  const first = sink.reset(200);
  assert.equal(first.packets, 10);
  assert.equal(first.lost, 0);
  assert.equal(first.rtcp, 1);
  // Next window: 10 … 19 with 12 and 13 missing.
  for (let i = 10; i < 20; i++) if (i !== 12 && i !== 13) sink.receive(rtp(i, i * 960, 1), 200 + i * 20);
  const second = sink.figures(600);
  assert.equal(second.packets, 8);
  assert.equal(second.expected, 10);
  assert.equal(second.lost, 2);
  assert.equal(second.lossPct, 20);
  assert.equal(second.rtcp, 0);
  assert.equal(second.windowMs, 400);
});

test('the socket counts the RTP sent to it', async () => {
  const sink = await RtpSink.open();
  const sender = createSocket('udp4');
  try {
    const first = sink.nextPacket();
    for (let i = 0; i < 20; i++) sender.send(rtp(i, i * 3000, 42, 96), sink.port, sink.host);
    assert.equal(typeof (await first), 'number');
    await waitFor('20 packets at the sink', () => sink.figures().packets === 20, { timeoutMs: 5000, intervalMs: 20 });
    assert.equal(sink.figures().streams[0]!.ssrc, 42);
  } finally {
    sender.close();
    sink.close();
  }
});
