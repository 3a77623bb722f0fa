// What a plain RTP receiver says it can receive: the router's codecs and
// header extensions without the congestion feedback (transport-cc, REMB,
// abs-send-time). A plain receiver sends no such feedback; with it announced,
// the SFU would run a bandwidth estimator that never hears anything.
import type { RequestData } from '@noc/shared/meeting-protocol';

/** Capabilities as `meeting.join` takes them. */
export type JoinCapabilities = RequestData<'meeting.join'>['rtpCapabilities'];

const CONGESTION_EXTENSIONS = new Set([
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
]);
const CONGESTION_FEEDBACK = new Set(['transport-cc', 'goog-remb']);

/** The router's capabilities (as `meeting.capabilities` or `router.rtpCapabilities` give them) less the congestion feedback. */
export function plainReceiveCapabilities(routerCapabilities: unknown): JoinCapabilities {
  const caps = routerCapabilities as Partial<JoinCapabilities> | null;
  if (typeof caps !== 'object' || caps === null || !Array.isArray(caps.codecs)) {
    throw new Error('the router capabilities have no codecs list');
  }
  const feedback = (c: Record<string, unknown>) =>
    ((c.rtcpFeedback as { type: string }[] | undefined) ?? []).filter((fb) => !CONGESTION_FEEDBACK.has(fb.type));
  return {
    ...caps,
    codecs: caps.codecs.map((c) => ({ ...c, rtcpFeedback: feedback(c) })),
    headerExtensions: (caps.headerExtensions ?? []).filter((h) => !CONGESTION_EXTENSIONS.has(h.uri)),
  };
}
