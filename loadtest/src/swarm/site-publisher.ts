// A site's conference PC as a load test models it: it joins the meeting as the
// site endpoint (a `site` token with the loadTest claim), makes two plain send
// transports (one per stream: a comedia transport locks on to the first source
// address it hears, and ffmpeg sends each stream from its own socket),
// produces the clip's VP8 (source camera) and Opus (source mic), and starts
// ffmpeg sending to them. The SFU keeps the microphone paused unless the site
// has the floor, as for a real room: ffmpeg sends audio all the time, and the
// SFU forwards it only while the site holds the floor.
import { SignallingClient } from '@noc/shared/signalling-client';
import { closeSignalling } from './close-signalling.ts';
import { AUDIO_PAYLOAD_TYPE, clipRtpParameters, clipSsrc, siteIndex, VIDEO_PAYLOAD_TYPE } from './clip-rtp.ts';
import { FfmpegSender } from './ffmpeg-sender.ts';
import { plainReceiveCapabilities } from './receive-capabilities.ts';
import { requireLoadTestClaims } from './token-claims.ts';

export interface SitePublisherOptions {
  /** ws://host:port/signalling of the SFU node. */
  signallingUrl: string;
  /** A `site` token with the loadTest claim. */
  token: string;
  meetingId: string;
  /** The clip to loop (ensureClip in clip.ts). */
  clipFile: string;
  ffmpegBin?: string | undefined;
  /** ffmpeg's safety stop, seconds (default 3600). */
  maxSeconds?: number | undefined;
  /** Signalling request timeout, ms (default 10 000). */
  timeoutMs?: number | undefined;
}

export class SitePublisher {
  readonly site: string;
  readonly peerId: string;
  readonly videoProducerId: string;
  readonly audioProducerId: string;
  readonly ffmpeg: FfmpegSender;
  #client: SignallingClient;
  #micPaused: boolean;
  #stopped = false;
  #ended: string | null = null;

  private constructor(fields: {
    site: string;
    peerId: string;
    videoProducerId: string;
    audioProducerId: string;
    micPaused: boolean;
    ffmpeg: FfmpegSender;
    client: SignallingClient;
  }) {
    this.site = fields.site;
    this.peerId = fields.peerId;
    this.videoProducerId = fields.videoProducerId;
    this.audioProducerId = fields.audioProducerId;
    this.#micPaused = fields.micPaused;
    this.ffmpeg = fields.ffmpeg;
    this.#client = fields.client;
    this.#client.on('producer.paused', ({ producerId, paused }) => {
      if (producerId === this.audioProducerId) this.#micPaused = paused;
    });
    // Out of the meeting, its transports are gone: ffmpeg would send into nothing.
    this.#client.on('meeting.closed', ({ reason }) => this.#end(`the meeting closed: ${reason}`));
    this.#client.on('peer.removed', ({ reason }) => this.#end(`removed: ${reason}`));
    this.#client.on('meeting.moved', ({ node }) => this.#end(`the meeting moved to the ${node} node (a publisher does not follow)`));
    this.#client.onClose(() => this.#end('the signalling connection closed'));
  }

  #end(reason: string): void {
    this.#ended ??= reason;
    void this.ffmpeg.stop();
  }

  /** Why the publisher is out of the meeting (its ffmpeg then stopped); null while it is in. */
  get ended(): string | null {
    return this.#ended;
  }

  static async start(opts: SitePublisherOptions): Promise<SitePublisher> {
    const { site } = requireLoadTestClaims(opts.token, 'site');
    const timeout = opts.timeoutMs ?? 10_000;
    const client = await SignallingClient.connect(opts.signallingUrl, opts.token, timeout);
    let ffmpeg: FfmpegSender | null = null;
    try {
      const { meetingId } = opts;
      const { routerRtpCapabilities } = await client.request('meeting.capabilities', { meetingId }, timeout);
      const rtpCapabilities = plainReceiveCapabilities(routerRtpCapabilities);
      const { peerId } = await client.request('meeting.join', { meetingId, rtpCapabilities }, timeout);
      const video = await client.request('plain.create', { direction: 'send' }, timeout);
      const audio = await client.request('plain.create', { direction: 'send' }, timeout);
      if (video.srtpParameters || audio.srtpParameters) throw new Error('the SFU made encrypted send transports; ffmpeg sends plain RTP');
      const index = siteIndex(site);
      const videoSsrc = clipSsrc(index, 'video');
      const audioSsrc = clipSsrc(index, 'audio');
      const camera = await client.request(
        'produce',
        { transportId: video.transportId, kind: 'video', source: 'camera', rtpParameters: clipRtpParameters('video', videoSsrc, site) },
        timeout,
      );
      const mic = await client.request(
        'produce',
        { transportId: audio.transportId, kind: 'audio', source: 'mic', rtpParameters: clipRtpParameters('audio', audioSsrc, site) },
        timeout,
      );
      ffmpeg = FfmpegSender.start({
        name: `publisher-${site}`,
        clipFile: opts.clipFile,
        ffmpegBin: opts.ffmpegBin,
        maxSeconds: opts.maxSeconds ?? 3600,
        outputs: [
          { kind: 'video', host: video.ip, port: video.port, ssrc: videoSsrc, payloadType: VIDEO_PAYLOAD_TYPE },
          { kind: 'audio', host: audio.ip, port: audio.port, ssrc: audioSsrc, payloadType: AUDIO_PAYLOAD_TYPE },
        ],
      });
      return new SitePublisher({
        site,
        peerId,
        videoProducerId: camera.producerId,
        audioProducerId: mic.producerId,
        micPaused: mic.paused,
        ffmpeg,
        client,
      });
    } catch (err) {
      await ffmpeg?.stop();
      client.close();
      throw err;
    }
  }

  /** Whether the SFU holds the microphone paused (it is, unless the site has the floor). */
  get micPaused(): boolean {
    return this.#micPaused;
  }

  /** Whether ffmpeg still sends and the signalling is still open. */
  get running(): boolean {
    return this.ffmpeg.running && this.#client.open;
  }

  /** Stops ffmpeg and leaves the meeting (closing the signalling closes the site's transports on the SFU). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.ffmpeg.stop();
    await closeSignalling(this.#client);
  }
}
