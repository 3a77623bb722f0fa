// Artillery processor of the ingest scenario (loadtest/scenarios/ingest.yml):
// every virtual user is one more probe posting a batch a second to
// `POST /api/ingest` until the run ends; the phases add probes step by step,
// so the rate grows until the gateway's acknowledgement p95 leaves its
// threshold (the runner watches it and ends the run there).
import { FigureSender } from '../figure-datagram.ts';
import { readPlan } from '../plan.ts';
import { waitForClock } from '../run-clock.ts';
import { AckReporter } from '../vu/ack-reporter.ts';
import { claimNumber } from '../vu/claim.ts';
import { runProbe } from '../vu/probe.ts';
import type { VuContext, VuEvents } from './artillery-types.ts';

const plan = readPlan();
const figures = new FigureSender(plan.figuresPort);
const acks = new AckReporter(figures);
figures.send({ k: 'ready', pid: process.pid });

export async function probe(_context: VuContext, events: VuEvents): Promise<void> {
  const index = claimNumber(plan.claimDir, 'probe');
  // Many probes per site: the gateway's work is per batch, whichever site it names.
  const site = plan.sites[index % plan.sites.length]!;
  acks.probes = Math.max(acks.probes, index + 1);
  const { endsAt } = await waitForClock(plan.clockFile);
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), Math.max(0, endsAt - Date.now()));
  try {
    await runProbe({
      nocUrl: plan.nocUrl,
      token: plan.tokens.probe[site]!,
      intervalMs: plan.rates.probeIntervalMs,
      signal: stop.signal,
      onAck: acks.handler(events),
    });
  } finally {
    clearTimeout(timer);
    acks.flush(figures);
  }
}
