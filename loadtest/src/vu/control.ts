// The control centre during a capacity run: speaking requests raised for
// random sites, the floor given to the first in the queue, and chat messages,
// each at its rate in the plan, until the run ends.
import type { LoadTestPlan } from '../plan.ts';
import type { FigureSink } from '../figure-datagram.ts';
import { CountedSignalling } from './signalling-counter.ts';
import { pause } from './until.ts';

/** Runs `act` every `ms` until the signal aborts; a failed act is counted by the signalling, not fatal. */
async function every(ms: number, signal: AbortSignal, act: () => Promise<unknown>): Promise<void> {
  while (!signal.aborted) {
    await pause(ms, signal);
    if (!signal.aborted) await act().catch(() => {});
  }
}

export async function runControl(plan: LoadTestPlan, figures: FigureSink, signal: AbortSignal): Promise<void> {
  if (!plan.meetingId) return;
  const meetingId = plan.meetingId;
  const signalling = await CountedSignalling.connect(plan.signallingUrl, plan.tokens.operator, figures);
  try {
    const { routerRtpCapabilities } = await signalling.request('meeting.capabilities', { meetingId });
    await signalling.request('meeting.join', { meetingId, rtpCapabilities: routerRtpCapabilities as { codecs: [] } });
    let queue: string[] = [];
    signalling.client.on('meeting.state', (state) => {
      queue = state.queue.map((r) => r.site);
    });
    const pick = () => plan.sites[Math.floor(Math.random() * plan.sites.length)]!;
    let n = 0;
    await Promise.all([
      every(plan.rates.speakingRequestIntervalMs, signal, () => signalling.request('floor.request', { site: pick() })),
      every(plan.rates.floorGrantIntervalMs, signal, async () => {
        const next = queue[0];
        if (next) await signalling.request('floor.grant', { site: next });
      }),
      every(plan.rates.chatIntervalMs, signal, () => signalling.request('chat.send', { text: `Kiểm tra tải: tin nhắn ${++n}` })),
    ]);
  } finally {
    signalling.close();
  }
}
