// Turns mediasoup RTP stream stats into `media` fields: one summary per site,
// kind and direction (several streams, e.g. simulcast layers, add up).
import type { types } from 'mediasoup';
import type { Fields } from '@noc/shared/metrics';

type StreamStats = types.ProducerStat | types.ConsumerStat;

function clockRate(mimeType: string): number {
  return mimeType.toLowerCase() === 'audio/opus' ? 48000 : 90000;
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export function summarise(streams: StreamStats[]): Fields | null {
  const rtp = streams.filter((s) => s.type === 'inbound-rtp' || s.type === 'outbound-rtp');
  if (rtp.length === 0) return null;
  let bitrate = 0;
  let lossFraction = 0;
  let jitterMs = 0;
  let nack = 0;
  let pli = 0;
  let score = 10;
  for (const s of rtp) {
    bitrate += s.bitrate;
    lossFraction = Math.max(lossFraction, s.fractionLost / 256);
    jitterMs = Math.max(jitterMs, (s.jitter / clockRate(s.mimeType)) * 1000);
    nack += s.nackCount;
    pli += s.pliCount;
    score = Math.min(score, s.score);
  }
  return {
    bitrate_kbps: round(bitrate / 1000, 1),
    loss_pct: round(Math.min(100, lossFraction * 100)),
    jitter_ms: round(Math.min(600_000, jitterMs)),
    nack,
    pli,
    score,
  };
}
