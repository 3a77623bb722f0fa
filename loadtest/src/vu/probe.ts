// A site's probe as the load test plays it: one batch a period to
// `POST /api/ingest` with the site's probe token (a heartbeat and a link
// sample toward the SFU), each acknowledgement's latency reported to the runner.
import type { ProbeSample } from '@noc/shared/metrics';
import { pause } from './until.ts';

export interface ProbeLoop {
  nocUrl: string;
  token: string;
  intervalMs: number;
  /** Stops posting. */
  signal: AbortSignal;
  /** One call per batch: its acknowledgement latency in ms, or null when it failed. */
  onAck(ms: number | null): void;
}

function batch(seq: number, startedAt: number): { samples: ProbeSample[] } {
  return {
    samples: [
      { measurement: 'probe', tags: {}, fields: { seq, uptime_s: Math.round((Date.now() - startedAt) / 1000), version: 'loadtest' } },
      {
        measurement: 'link',
        tags: { target: 'sfu' },
        fields: { rtt_ms: 8 + Math.random() * 4, jitter_ms: 1 + Math.random(), loss_pct: 0, reachable: true },
      },
    ],
  };
}

/** Posts until the signal aborts; a late answer does not delay the next batch beyond its slot. */
export async function runProbe(loop: ProbeLoop): Promise<void> {
  const startedAt = Date.now();
  let seq = 0;
  let next = performance.now();
  while (!loop.signal.aborted) {
    const sent = performance.now();
    try {
      const res = await fetch(`${loop.nocUrl}/api/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${loop.token}` },
        body: JSON.stringify(batch(seq++, startedAt)),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      loop.onAck(res.ok ? performance.now() - sent : null);
    } catch {
      if (loop.signal.aborted) break;
      loop.onAck(null);
    }
    next += loop.intervalMs;
    const wait = next - performance.now();
    if (wait > 0) await pause(wait, loop.signal);
    else next = performance.now();
  }
}
