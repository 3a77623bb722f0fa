// What the clip's RTP looks like on the wire, so that ffmpeg's output and the
// SFU's producers agree: the payload types (VP8 96, Opus 111), the SSRCs, and
// the `rtpParameters` a producer of each stream is made with.

export const VIDEO_PAYLOAD_TYPE = 96;
export const AUDIO_PAYLOAD_TYPE = 111;

export type MediaKind = 'video' | 'audio';

/**
 * The SSRC of publisher `index`'s stream: 0x10000000 + 16·index + 1 (video) or
 * + 2 (audio). ffmpeg's -ssrc is a signed 32-bit option, so these stay below
 * 2^31 for every index below 2^23.
 */
export function clipSsrc(index: number, kind: MediaKind): number {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 23) throw new Error(`publisher index ${index} is not 0 … 2^23 − 1`);
  return 0x10000000 + index * 16 + (kind === 'video' ? 1 : 2);
}

/** A stable publisher index for a site id (a hash), for SSRCs that tell sites apart in dumps. */
export function siteIndex(site: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < site.length; i++) h = Math.imul(h ^ site.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0xfffff;
}

/** The producer's `rtpParameters` for one stream of the clip as ffmpeg sends it. */
export function clipRtpParameters(kind: MediaKind, ssrc: number, cname: string) {
  if (kind === 'video') {
    return {
      codecs: [
        {
          mimeType: 'video/VP8',
          payloadType: VIDEO_PAYLOAD_TYPE,
          clockRate: 90000,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        },
      ],
      encodings: [{ ssrc }],
      rtcp: { cname },
    };
  }
  return {
    codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48000, channels: 2, parameters: { 'sprop-stereo': 1 } }],
    encodings: [{ ssrc }],
    rtcp: { cname },
  };
}
