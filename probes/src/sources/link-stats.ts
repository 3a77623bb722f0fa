// What one window of echo datagrams says about a link. Pure arithmetic, kept
// apart from the sockets so it can be checked on its own.
//
// - loss_pct: datagrams without a reply in time / datagrams sent, x 100.
// - rtt_ms: mean round trip of the datagrams answered.
// - jitter_ms: mean absolute difference between the round trips of
//   successively answered datagrams (in send order). This is RFC 3550's
//   D(i-1, i) on round trips instead of one-way transit, averaged over the
//   window rather than run through RFC 3550's 1/16 smoothing filter, so a
//   sample describes exactly the datagrams of its window (no warm-up from 0).

export interface EchoRecord {
  seq: number;
  /** Monotonic clock, ms. */
  sentAt: number;
  /** Null until a reply came back (in time). */
  rttMs: number | null;
}

export interface WindowStats {
  sent: number;
  answered: number;
  lossPct: number;
  rttMs: number | null;
  jitterMs: number | null;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Stats of the given datagrams (in send order); null when there are none. */
export function windowStats(records: readonly EchoRecord[]): WindowStats | null {
  if (records.length === 0) return null;
  const rtts = records.flatMap((r) => (r.rttMs === null ? [] : [r.rttMs]));
  const answered = rtts.length;
  let jitterMs: number | null = null;
  if (answered >= 2) {
    let sum = 0;
    for (let i = 1; i < answered; i++) sum += Math.abs((rtts[i] as number) - (rtts[i - 1] as number));
    jitterMs = round2(sum / (answered - 1));
  }
  return {
    sent: records.length,
    answered,
    lossPct: round2(((records.length - answered) / records.length) * 100),
    rttMs: answered > 0 ? round2(rtts.reduce((a, b) => a + b, 0) / answered) : null,
    jitterMs,
  };
}
