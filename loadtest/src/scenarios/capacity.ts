// Artillery processor of the capacity scenario (loadtest/scenarios/capacity.yml).
//   seat        one seat of a site (vu/seat.ts): joins during the ramp and stays to the end
//   background  one virtual user that plays every site's probe (1 Hz to /api/ingest) and
//               the control centre (speaking requests, the floor, chat)
//   wall        one wall screen (vu/wall.ts): signs in with the run's display token and
//               holds the live feed to the end
// Each reports to the runner over UDP (figure-datagram.ts) and to Artillery's
// own report as counters and histograms.
import { FigureSender } from '../figure-datagram.ts';
import { readPlan } from '../plan.ts';
import { waitForClock } from '../run-clock.ts';
import { AckReporter } from '../vu/ack-reporter.ts';
import { claimNumber } from '../vu/claim.ts';
import { runControl } from '../vu/control.ts';
import { runProbe } from '../vu/probe.ts';
import { runSeat } from '../vu/seat.ts';
import { runWall } from '../vu/wall.ts';
import { until } from '../vu/until.ts';
import type { VuContext, VuEvents } from './artillery-types.ts';

const plan = readPlan();
const figures = new FigureSender(plan.figuresPort);
figures.send({ k: 'ready', pid: process.pid });

export async function seat(_context: VuContext, events: VuEvents): Promise<void> {
  const index = claimNumber(plan.claimDir, 'seat');
  if (index >= plan.sites.length * plan.seatsPerSite) return;
  const { endsAt } = await waitForClock(plan.clockFile);
  const started = performance.now();
  await runSeat(plan, index, endsAt, {
    send(figure) {
      figures.send(figure);
      if (figure.k === 'seat-joined') {
        events.emit('counter', 'noc.seats.joined', 1);
        events.emit('histogram', 'noc.seats.join_ms', figure.joinMs);
      } else if (figure.k === 'seat-failed') events.emit('counter', 'noc.seats.failed', 1);
    },
  });
  events.emit('histogram', 'noc.seats.stayed_s', (performance.now() - started) / 1000);
}

export async function background(_context: VuContext, events: VuEvents): Promise<void> {
  const { endsAt } = await waitForClock(plan.clockFile);
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), Math.max(0, endsAt - Date.now()));
  const acks = new AckReporter(figures);
  acks.probes = plan.sites.length;
  try {
    await Promise.all([
      ...plan.sites.map((site) =>
        runProbe({
          nocUrl: plan.nocUrl,
          token: plan.tokens.probe[site]!,
          intervalMs: plan.rates.probeIntervalMs,
          signal: stop.signal,
          onAck: acks.handler(events),
        }),
      ),
      runControl(plan, figures, stop.signal).catch((err: Error) => {
        figures.send({ k: 'failed', what: `the control centre's signalling: ${err.message}` });
      }),
      until(endsAt, stop.signal),
    ]);
  } finally {
    clearTimeout(timer);
    acks.stop(figures);
  }
}

export async function wall(_context: VuContext, events: VuEvents): Promise<void> {
  const index = claimNumber(plan.claimDir, 'wall');
  const token = plan.tokens.wall;
  if (index >= plan.walls || !token) return;
  const { endsAt } = await waitForClock(plan.clockFile);
  let counted = 0;
  try {
    await runWall(
      { id: `wall-${index}`, nocUrl: plan.nocUrl, displayToken: token, endsAt },
      {
        send(figure) {
          figures.send(figure);
          if (figure.k !== 'wall') return;
          if (figure.connected && counted++ === 0) events.emit('counter', 'noc.walls.connected', 1);
          events.emit('counter', 'noc.walls.live_events', figure.events);
          for (const ms of figure.delaysMs) events.emit('histogram', 'noc.walls.live_delay_ms', ms);
        },
      },
    );
  } catch (err) {
    figures.send({ k: 'failed', what: `wall ${index}: ${(err as Error).message}` });
  }
}
