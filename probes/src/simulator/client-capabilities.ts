// The receive capabilities a simulated site or operator announces when it
// joins a meeting: what a browser with Opus and VP8 offers. No media flows
// from the simulator over the SFU, but `meeting.join` asks for them. The
// tests' signalling-only peers (test/fixtures/meeting-peers.ts) announce these too.
export const CLIENT_RTP_CAPABILITIES = {
  codecs: [
    {
      kind: 'audio' as const,
      mimeType: 'audio/opus',
      preferredPayloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: {},
      rtcpFeedback: [],
    },
    {
      kind: 'video' as const,
      mimeType: 'video/VP8',
      preferredPayloadType: 101,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
    },
  ],
  headerExtensions: [],
};
