// Reading WebRTC statistics (RTCStatsReport of mediasoup-client producers and
// consumers) into the figures the diagnostics panel shows and the `media`
// measurement of the metrics schema holds. Rates and loss are measured over
// the interval between two reads; counters are shown as they are.
import { mos } from '@noc/shared/quality';

export interface RemoteVideoStats {
  framesDecoded: number;
  fps: number;
  width: number;
  height: number;
  freezeCount: number;
  freezeMs: number;
  jitterMs: number;
  lossPct: number;
  bitrateKbps: number;
  nack: number;
  pli: number;
}

export interface RemoteAudioStats {
  packetsReceived: number;
  /** Whether packets arrived since the last read (a microphone without the floor sends none). */
  arriving: boolean;
  /** 0–1, the mean level over the interval where the browser reports energy. */
  audioLevel: number;
  jitterMs: number;
  lossPct: number;
  bitrateKbps: number;
  /** Round-trip time of the receiving transport's selected candidate pair (its STUN checks), ms; null before ICE has one. */
  rttMs: number | null;
}

export interface LocalVideoStats {
  fps: number;
  width: number;
  height: number;
  bitrateKbps: number;
  nack: number;
  pli: number;
  /** As the SFU reports it back (RTCP receiver reports). */
  lossPct: number;
}

export interface LocalAudioStats {
  packetsSent: number;
  bitrateKbps: number;
  audioLevel: number;
}

type Stat = { id: string; type: string; timestamp: number; [field: string]: unknown };

/** What the readers use of an RTCStatsReport (so they also read a report built by hand). */
export interface StatsReport {
  forEach(callback: (value: Stat) => void): void;
}

export function statsOf(report: StatsReport): Stat[] {
  const out: Stat[] = [];
  report.forEach((value: Stat) => out.push(value));
  return out;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const round = (v: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Remembers counters between reads, to turn them into rates. */
export class CounterDeltas {
  #previous = new Map<string, { value: number; time: number }>();
  #seen = new Set<string>();

  /** The change of a counter since the last read and the time it took (ms); null on the first read. */
  delta(key: string, value: number, time: number): { value: number; ms: number } | null {
    this.#seen.add(key);
    const before = this.#previous.get(key);
    this.#previous.set(key, { value, time });
    if (!before || time <= before.time || value < before.value) return null;
    return { value: value - before.value, ms: time - before.time };
  }

  /** Forgets counters not read since the last call (closed streams). */
  sweep(): void {
    for (const key of this.#previous.keys()) if (!this.#seen.has(key)) this.#previous.delete(key);
    this.#seen.clear();
  }
}

function kbps(deltas: CounterDeltas, key: string, bytes: number, time: number): number {
  const d = deltas.delta(key, bytes, time);
  return d ? round((d.value * 8) / d.ms, 1) : 0;
}

function lossPct(deltas: CounterDeltas, key: string, lost: number, received: number, time: number): number {
  const l = deltas.delta(`${key}:lost`, lost, time);
  const r = deltas.delta(`${key}:received`, received, time);
  if (!l || !r || l.value + r.value === 0) return 0;
  return round((100 * l.value) / (l.value + r.value), 2);
}

/** The busiest stream of a kind and direction (a consumer has one; a simulcast producer several). */
function streams(report: StatsReport, type: 'inbound-rtp' | 'outbound-rtp', kind: 'audio' | 'video'): Stat[] {
  return statsOf(report).filter((s) => s.type === type && (s.kind ?? s.mediaType) === kind);
}

export function readRemoteVideo(report: StatsReport, key: string, deltas: CounterDeltas): RemoteVideoStats | null {
  const s = streams(report, 'inbound-rtp', 'video').sort((a, b) => num(b.packetsReceived) - num(a.packetsReceived))[0];
  if (!s) return null;
  return {
    framesDecoded: num(s.framesDecoded),
    fps: round(num(s.framesPerSecond), 1),
    width: num(s.frameWidth),
    height: num(s.frameHeight),
    freezeCount: num(s.freezeCount),
    freezeMs: round(num(s.totalFreezesDuration) * 1000),
    jitterMs: round(num(s.jitter) * 1000, 1),
    lossPct: lossPct(deltas, key, num(s.packetsLost), num(s.packetsReceived), s.timestamp),
    bitrateKbps: kbps(deltas, `${key}:bytes`, num(s.bytesReceived), s.timestamp),
    nack: num(s.nackCount),
    pli: num(s.pliCount),
  };
}

export function readRemoteAudio(report: StatsReport, key: string, deltas: CounterDeltas): RemoteAudioStats | null {
  const s = streams(report, 'inbound-rtp', 'audio')[0];
  if (!s) return null;
  // The mean level over the interval from the energy counters (RMS), else the level now.
  const energy = deltas.delta(`${key}:energy`, num(s.totalAudioEnergy), s.timestamp);
  const duration = deltas.delta(`${key}:duration`, num(s.totalSamplesDuration), s.timestamp);
  const level = energy && duration && duration.value > 0 ? Math.sqrt(energy.value / duration.value) : num(s.audioLevel);
  const packets = deltas.delta(`${key}:packets`, num(s.packetsReceived), s.timestamp);
  return {
    packetsReceived: num(s.packetsReceived),
    arriving: packets !== null && packets.value > 0,
    audioLevel: round(Math.min(1, level), 3),
    jitterMs: round(num(s.jitter) * 1000, 1),
    lossPct: lossPct(deltas, key, num(s.packetsLost), num(s.packetsReceived), s.timestamp),
    bitrateKbps: kbps(deltas, `${key}:bytes`, num(s.bytesReceived), s.timestamp),
    rttMs: readRttMs(report),
  };
}

/**
 * The MOS of a received audio stream by the NOC's E-model (shared/src/quality.ts)
 * from its loss and jitter over the interval and the round trip of its
 * transport's candidate pair (`fallbackRttMs`, this endpoint's round trip to
 * the SFU, when the stream's report has none). Null while nothing arrives, or
 * without a round trip.
 */
export function audioMos(audio: RemoteAudioStats, fallbackRttMs: number | null): number | null {
  const rtt = audio.rttMs ?? fallbackRttMs;
  if (!audio.arriving || rtt === null) return null;
  return round(mos(rtt, audio.jitterMs, audio.lossPct), 2);
}

export function readLocalVideo(report: StatsReport, key: string, deltas: CounterDeltas): LocalVideoStats | null {
  const layers = streams(report, 'outbound-rtp', 'video');
  if (!layers.length) return null;
  const top = [...layers].sort((a, b) => num(b.frameWidth) - num(a.frameWidth))[0]!;
  const bytes = layers.reduce((n, s) => n + num(s.bytesSent), 0);
  const remote = statsOf(report).filter((s) => s.type === 'remote-inbound-rtp' && (s.kind ?? s.mediaType) === 'video');
  return {
    fps: round(num(top.framesPerSecond), 1),
    width: num(top.frameWidth),
    height: num(top.frameHeight),
    bitrateKbps: kbps(deltas, `${key}:bytes`, bytes, top.timestamp),
    nack: layers.reduce((n, s) => n + num(s.nackCount), 0),
    pli: layers.reduce((n, s) => n + num(s.pliCount), 0),
    lossPct: round(Math.max(0, ...remote.map((s) => num(s.fractionLost) * 100)), 2),
  };
}

export function readLocalAudio(report: StatsReport, key: string, deltas: CounterDeltas): LocalAudioStats | null {
  const s = streams(report, 'outbound-rtp', 'audio')[0];
  if (!s) return null;
  const source = statsOf(report).find((x) => x.type === 'media-source' && x.kind === 'audio');
  return {
    packetsSent: num(s.packetsSent),
    bitrateKbps: kbps(deltas, `${key}:bytes`, num(s.bytesSent), s.timestamp),
    audioLevel: round(Math.min(1, num(source?.audioLevel)), 3),
  };
}

/** Round-trip time of the selected ICE candidate pair, in ms; null before ICE has one. */
function selectedPair(all: ReturnType<typeof statsOf>) {
  const selectedId = all.find((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')?.selectedCandidatePairId;
  return (
    all.find((s) => s.type === 'candidate-pair' && s.id === selectedId) ??
    all.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded')
  );
}

export function readRttMs(report: StatsReport): number | null {
  const pair = selectedPair(statsOf(report));
  if (!pair || typeof pair.currentRoundTripTime !== 'number') return null;
  return round(pair.currentRoundTripTime * 1000, 1);
}

/** The path the media takes: this endpoint's and the SFU's address of the selected candidate pair. */
export interface MediaPath {
  local: string;
  remote: string;
  protocol: string;
}

export function readMediaPath(report: StatsReport): MediaPath | null {
  const all = statsOf(report);
  const pair = selectedPair(all);
  if (!pair) return null;
  const candidate = (id: unknown) => all.find((s) => s.id === id);
  const where = (c: ReturnType<typeof candidate>) => (c ? `${String(c.address ?? c.ip ?? '?')}:${String(c.port ?? '?')}` : '?');
  const local = candidate(pair.localCandidateId);
  return { local: where(local), remote: where(candidate(pair.remoteCandidateId)), protocol: String(local?.protocol ?? '?') };
}
