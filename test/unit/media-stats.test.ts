// The room page's own figures as ingest samples: what a consumer's getStats
// report of received audio becomes, its MOS by the NOC's E-model from the
// stream's loss and jitter and the transport's round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mos } from '@noc/shared/quality';
import { CounterDeltas, readRemoteAudio, type RemoteAudioStats } from '../../dashboard/src/media/stats.ts';
import { mediaSamples, type LocalStats } from '../../dashboard/src/stores/media-stats.ts';

type Report = Parameters<typeof readRemoteAudio>[0];

interface AudioReading {
  time: number;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  jitterS: number;
  /** The candidate pair's currentRoundTripTime, s; none: the report has no selected pair. */
  rttS?: number;
}

/** A receiver's report as Chromium gives it: the inbound audio stream, its transport and candidate pair. */
function audioReport(r: AudioReading): Report {
  const stats: Record<string, unknown>[] = [
    {
      id: 'IT01A',
      type: 'inbound-rtp',
      kind: 'audio',
      timestamp: r.time,
      packetsReceived: r.packetsReceived,
      packetsLost: r.packetsLost,
      bytesReceived: r.bytesReceived,
      jitter: r.jitterS,
      totalAudioEnergy: 0,
      totalSamplesDuration: 0,
    },
  ];
  if (r.rttS !== undefined) {
    stats.push({ id: 'T01', type: 'transport', timestamp: r.time, selectedCandidatePairId: 'CP1' });
    stats.push({ id: 'CP1', type: 'candidate-pair', timestamp: r.time, state: 'succeeded', nominated: true, currentRoundTripTime: r.rttS });
  }
  return new Map(stats.map((s) => [s.id, s])) as unknown as Report;
}

/** The figures of a stream after two reads `ms` apart. */
function twoReads(key: string, first: AudioReading, second: AudioReading): RemoteAudioStats {
  const deltas = new CounterDeltas();
  readRemoteAudio(audioReport(first), key, deltas);
  const stats = readRemoteAudio(audioReport(second), key, deltas);
  assert.ok(stats, 'the report has an inbound audio stream');
  return stats;
}

const noLocal: LocalStats = { rttMs: null, path: null, video: null, audio: null };
const recvAudio = (remotes: RemoteAudioStats[], local = noLocal) => {
  const samples = mediaSamples(
    remotes.map((audio, i) => ({ site: `site-${i}`, videoConsumer: null, video: null, audio })),
    local,
    1_000,
  );
  const sample = samples.find((s) => s.measurement === 'media' && s.tags.kind === 'audio' && s.tags.direction === 'recv');
  assert.ok(sample, 'a received-audio sample');
  return sample.fields as Record<string, number | undefined>;
};

test('received audio gets the E-model MOS of its loss and jitter over the interval and its candidate pair round trip', () => {
  const audio = twoReads(
    'c1',
    { time: 0, packetsReceived: 1000, packetsLost: 0, bytesReceived: 100_000, jitterS: 0.004, rttS: 0.03 },
    // 98 packets arrived and 2 were lost in the interval: 2 % loss.
    { time: 2000, packetsReceived: 1098, packetsLost: 2, bytesReceived: 110_000, jitterS: 0.012, rttS: 0.04 },
  );
  assert.equal(audio.arriving, true);
  assert.equal(audio.lossPct, 2);
  assert.equal(audio.jitterMs, 12);
  assert.equal(audio.rttMs, 40);
  const fields = recvAudio([audio]);
  assert.equal(fields.mos, Math.round(mos(40, 12, 2) * 100) / 100);
  assert.equal(fields.jitter_ms, 12);
  assert.equal(fields.loss_pct, 2);
  assert.ok(fields.mos! > 1 && fields.mos! < 4.5, `a MOS between 1 and 4.5: ${fields.mos}`);
});

test('the sample holds the lowest MOS of the streams that carry sound', () => {
  const clean = twoReads(
    'c1',
    { time: 0, packetsReceived: 100, packetsLost: 0, bytesReceived: 10_000, jitterS: 0.002, rttS: 0.01 },
    { time: 2000, packetsReceived: 200, packetsLost: 0, bytesReceived: 20_000, jitterS: 0.002, rttS: 0.01 },
  );
  const lossy = twoReads(
    'c2',
    { time: 0, packetsReceived: 100, packetsLost: 0, bytesReceived: 10_000, jitterS: 0.002, rttS: 0.01 },
    { time: 2000, packetsReceived: 190, packetsLost: 10, bytesReceived: 19_000, jitterS: 0.03, rttS: 0.01 },
  );
  const fields = recvAudio([clean, lossy]);
  assert.equal(fields.mos, Math.round(mos(10, 30, 10) * 100) / 100);
  assert.ok(fields.mos! < Math.round(mos(10, 2, 0) * 100) / 100);
});

test('a stream that carries nothing (a microphone without the floor) gives no MOS', () => {
  const silent = twoReads(
    'c1',
    { time: 0, packetsReceived: 50, packetsLost: 0, bytesReceived: 5000, jitterS: 0, rttS: 0.01 },
    { time: 2000, packetsReceived: 50, packetsLost: 0, bytesReceived: 5000, jitterS: 0, rttS: 0.01 },
  );
  assert.equal(silent.arriving, false);
  const fields = recvAudio([silent]);
  assert.equal(fields.mos, undefined);
  assert.equal(fields.bitrate_kbps, 0);
});

test("without a candidate pair in the stream's report the endpoint's own round trip is used, and without any none is made up", () => {
  const audio = twoReads(
    'c1',
    { time: 0, packetsReceived: 100, packetsLost: 0, bytesReceived: 10_000, jitterS: 0.005 },
    { time: 2000, packetsReceived: 200, packetsLost: 0, bytesReceived: 20_000, jitterS: 0.005 },
  );
  assert.equal(audio.rttMs, null);
  assert.equal(recvAudio([audio], { ...noLocal, rttMs: 250 }).mos, Math.round(mos(250, 5, 0) * 100) / 100);
  assert.equal(recvAudio([audio]).mos, undefined);
});

test('the first read of a stream has no interval yet, so no MOS', () => {
  const deltas = new CounterDeltas();
  const first = readRemoteAudio(
    audioReport({ time: 0, packetsReceived: 100, packetsLost: 0, bytesReceived: 10_000, jitterS: 0.005, rttS: 0.02 }),
    'c1',
    deltas,
  );
  assert.ok(first);
  assert.equal(first.arriving, false);
  assert.equal(recvAudio([first]).mos, undefined);
});
