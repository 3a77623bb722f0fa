// The swarm's pure parts: ffmpeg's arguments for the RTP outputs and the
// errors for bad ones, the clip's SSRCs, what a plain receiver announces, and
// reading a token's claims with a clear error for a token that will not do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { issueAccessToken } from '@noc/shared/access-token';
import { clipSsrc, siteIndex } from '@noc/loadtest/swarm/clip-rtp';
import { ffmpegArgs, type RtpOutput } from '@noc/loadtest/swarm/ffmpeg-sender';
import { plainReceiveCapabilities } from '@noc/loadtest/swarm/receive-capabilities';
import { requireLoadTestClaims } from '@noc/loadtest/swarm/token-claims';

const video: RtpOutput = { kind: 'video', host: '127.0.0.1', port: 40000, ssrc: clipSsrc(3, 'video'), payloadType: 96 };
const audio: RtpOutput = { kind: 'audio', host: '::1', port: 40002, ssrc: clipSsrc(3, 'audio'), payloadType: 111 };

test('ffmpeg copies the looped clip into one RTP output per stream, each with its SSRC, payload type and safety stop', () => {
  const args = ffmpegArgs({ clipFile: '/tmp/clip.webm', outputs: [video, audio], maxSeconds: 90.5 });
  const joined = args.join(' ');
  assert.match(joined, /-re -stream_loop -1 -i \/tmp\/clip\.webm /);
  assert.match(
    joined,
    /-map 0:v:0 -c copy -t 91 -f rtp -ssrc 268435505 -payload_type 96 -rtpflags skip_rtcp rtp:\/\/127\.0\.0\.1:40000\?pkt_size=1200/,
  );
  assert.match(
    joined,
    /-map 0:a:0 -c copy -t 91 -f rtp -ssrc 268435506 -payload_type 111 -rtpflags skip_rtcp rtp:\/\/\[::1\]:40002\?pkt_size=1200/,
  );
  assert.equal(clipSsrc(3, 'video'), 0x10000000 + 3 * 16 + 1);
});

test('bad outputs are refused, naming what is wrong', () => {
  const opts = (outputs: RtpOutput[], maxSeconds = 10) => ({ clipFile: 'c.webm', outputs, maxSeconds });
  assert.throws(() => ffmpegArgs(opts([])), /at least one RTP output/);
  assert.throws(() => ffmpegArgs(opts([{ ...video, ssrc: 2 ** 31 }])), /outputs\[0\]\.ssrc 2147483648 is not 1 … 2\^31 − 1/);
  assert.throws(() => ffmpegArgs(opts([video, { ...audio, payloadType: 8 }])), /outputs\[1\]\.payloadType 8 is not a dynamic payload type/);
  assert.throws(() => ffmpegArgs(opts([{ ...video, port: 70000 }])), /outputs\[0\]\.port 70000 is not a UDP port/);
  assert.throws(() => ffmpegArgs(opts([video], 0)), /maxSeconds must be positive/);
  assert.throws(() => clipSsrc(2 ** 23, 'audio'), /publisher index 8388608/);
  assert.ok(siteIndex('da-bac') < 2 ** 20 && siteIndex('da-bac') !== siteIndex('mai-chau'));
});

test('a plain receiver announces the router codecs without congestion feedback', () => {
  const caps = plainReceiveCapabilities({
    codecs: [
      {
        kind: 'video',
        mimeType: 'video/VP8',
        clockRate: 90000,
        preferredPayloadType: 101,
        rtcpFeedback: [{ type: 'nack' }, { type: 'transport-cc' }, { type: 'goog-remb' }, { type: 'nack', parameter: 'pli' }],
      },
    ],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
      { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01' },
      { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time' },
    ],
  });
  assert.deepEqual(caps.codecs[0]!.rtcpFeedback, [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }]);
  assert.equal(caps.codecs[0]!.preferredPayloadType, 101);
  assert.deepEqual(caps.headerExtensions, [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' }]);
  assert.throws(() => plainReceiveCapabilities({ headerExtensions: [] }), /no codecs list/);
});

test("a token's claims: the role, the site and the loadTest claim it must have", () => {
  const secret = randomBytes(32);
  const token = (claims: Parameters<typeof issueAccessToken>[1]) => issueAccessToken(secret, claims);
  const exp = Date.now() + 60_000;
  assert.equal(requireLoadTestClaims(token({ role: 'seat', site: 'da-bac', loadTest: true, exp }), 'seat').site, 'da-bac');
  assert.throws(() => requireLoadTestClaims(token({ role: 'seat', site: 'da-bac', exp }), 'seat'), /has no loadTest claim/);
  assert.throws(
    () => requireLoadTestClaims(token({ role: 'site', site: 'da-bac', loadTest: true, exp }), 'seat'),
    /for a site, not a seat/,
  );
  assert.throws(() => requireLoadTestClaims('nonsense', 'site'), /malformed/);
  assert.throws(() => requireLoadTestClaims('e30.sig', 'site'), /payload is not valid/);
});
