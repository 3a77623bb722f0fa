// The codecs every meeting router offers: Opus for sound, VP8 for pictures.
// The room page sends its camera as VP8 simulcast (a low and a high layer) and
// the meeting picks the layer each receiver gets (meetings/camera-layers.ts).
// mediasoup adds the transport-cc feedback and header extension to both codecs
// by itself, so Chromium reports what reaches it and each receiving transport
// keeps a bandwidth estimate: a camera goes down a layer when it is short.
import type { types } from 'mediasoup';

export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 800 } },
];
