// A seat of a site in the load-test meeting (SeatReceiver of the swarm): it
// joins with its site's seat token, receives the featured camera and the
// floor's microphone on a plain RTP transport into its own RtpSink, and stays
// until the run ends. Its join time is from opening the signalling to the
// first RTP packet; its sink's figures and signalling counts go to the runner
// every couple of seconds.
import type { LoadTestPlan } from '../plan.ts';
import type { FigureSink } from '../figure-datagram.ts';
import { RtpSink } from '../swarm/rtp-sink.ts';
import { SeatReceiver } from '../swarm/seat-receiver.ts';
import { pause } from './until.ts';

/** A seat that gets no packet within this long counts as joined this late (and fails the join threshold). */
const FIRST_PACKET_WAIT_MS = 20_000;
const REPORT_EVERY_MS = 2000;

export async function runSeat(plan: LoadTestPlan, index: number, endsAt: number, figures: FigureSink): Promise<void> {
  const site = plan.sites[index % plan.sites.length]!;
  if (!plan.meetingId) throw new Error('the plan has no meeting for the seats to join');
  const id = `seat-${index}`;
  const openedAt = performance.now();
  const sink = await RtpSink.open({ recvBufferSize: 1024 * 1024 });
  const firstPacket = sink.nextPacket();
  let seat: SeatReceiver;
  try {
    seat = await SeatReceiver.join({ signallingUrl: plan.signallingUrl, token: plan.tokens.seat[site]!, meetingId: plan.meetingId, sink });
  } catch (err) {
    figures.send({ k: 'signalling', requests: 1, errors: 1 });
    figures.send({ k: 'seat-failed', site, error: (err as Error).message });
    sink.close();
    return;
  }
  const reported = { requests: 0, errors: 0 };
  const report = () => {
    const counts = seat.counts;
    figures.send({ k: 'signalling', requests: counts.requests - reported.requests, errors: counts.errors - reported.errors });
    reported.requests = counts.requests;
    reported.errors = counts.errors;
    const f = sink.figures();
    const jitters = f.streams.map((s) => s.jitterMs).filter((j): j is number => j !== null);
    figures.send({
      k: 'sink',
      id,
      expected: f.expected,
      received: f.expected - f.lost,
      jitterMs: jitters.length ? Math.max(...jitters) : null,
    });
  };
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), FIRST_PACKET_WAIT_MS).unref());
  const first = await Promise.race([firstPacket, timeout]);
  figures.send({ k: 'seat-joined', site, joinMs: (first ?? performance.now()) - openedAt });
  report();
  const left = new AbortController();
  while (!left.signal.aborted && Date.now() < endsAt) {
    await pause(Math.min(REPORT_EVERY_MS, endsAt - Date.now()), left.signal);
    report();
    if (seat.ended) {
      if (Date.now() < endsAt - 1000) figures.send({ k: 'seat-failed', site, error: seat.ended });
      left.abort();
    }
  }
  figures.send({ k: 'seat-left', site });
  await seat.leave();
  sink.close();
}
