// A seat of a site in the load-test meeting: it opens the signalling with its
// site's seat token, joins, and stays until the run ends. The join time is from
// opening the signalling to joined.
import type { LoadTestPlan } from '../plan.ts';
import type { FigureSink } from '../figure-datagram.ts';
import { CountedSignalling } from './signalling-counter.ts';
import { until } from './until.ts';

export async function runSeat(plan: LoadTestPlan, index: number, endsAt: number, figures: FigureSink): Promise<void> {
  const site = plan.sites[index % plan.sites.length]!;
  if (!plan.meetingId) throw new Error('the plan has no meeting for the seats to join');
  const started = performance.now();
  let signalling: CountedSignalling | null = null;
  try {
    signalling = await CountedSignalling.connect(plan.signallingUrl, plan.tokens.seat[site]!, figures);
    const { routerRtpCapabilities } = await signalling.request('meeting.capabilities', { meetingId: plan.meetingId });
    // A seat receives what the router sends: the router's capabilities are its own.
    await signalling.request('meeting.join', {
      meetingId: plan.meetingId,
      rtpCapabilities: routerRtpCapabilities as { codecs: [] },
    });
  } catch (err) {
    figures.send({ k: 'seat-failed', site, error: (err as Error).message });
    signalling?.close();
    return;
  }
  figures.send({ k: 'seat-joined', site, joinMs: performance.now() - started });
  const left = new AbortController();
  let why: string | null = null;
  signalling.client.on('peer.removed', (d) => {
    why = `removed: ${d.reason}`;
    left.abort();
  });
  signalling.client.on('meeting.closed', () => left.abort());
  signalling.client.onClose(() => {
    why ??= 'the signalling closed';
    left.abort();
  });
  await until(endsAt, left.signal);
  figures.send({ k: 'seat-left', site });
  if (why && Date.now() < endsAt - 1000) figures.send({ k: 'seat-failed', site, error: why });
  signalling.close();
}
