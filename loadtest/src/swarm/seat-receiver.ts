// A seat (a participant's device at a site) as a load test models it: it joins
// as a seat (a `seat` token with the loadTest claim), makes one plain receive
// transport (SRTP by default, as a WebRTC seat costs the SFU as much) that
// sends to an RtpSink, and consumes what a seat's page shows and plays:
//   - video: the featured site's camera (`featuredCamera` of shared/src/meeting.ts,
//     with no site of its own: the layout's featured site, else the floor
//     holder, else the first invited site that sends a picture);
//   - audio: the floor holder's microphone; while nobody has the floor, the
//     featured site's (which the SFU keeps paused then, so no audio flows).
// It follows `meeting.state` and the producers coming and going, consuming
// anew when the featured site or the floor changes and letting the previous
// stream go (`consumer.close`).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { featuredCamera, type MeetingState } from '@noc/shared/meeting';
import type { ProducerInfo, RequestData, RequestMethod, ResponseData, SrtpParameters } from '@noc/shared/meeting-protocol';
import { SignallingClient, SignallingRequestError } from '@noc/shared/signalling-client';
import type { RtpSink } from './rtp-sink.ts';
import { closeSignalling } from './close-signalling.ts';
import type { MediaKind } from './clip-rtp.ts';
import { plainReceiveCapabilities } from './receive-capabilities.ts';
import { requireLoadTestClaims } from './token-claims.ts';

export interface SeatReceiverOptions {
  /** ws://host:port/signalling of the SFU node. */
  signallingUrl: string;
  /** A `seat` token with the loadTest claim. */
  token: string;
  meetingId: string;
  /** Where the SFU sends this seat's media. */
  sink: RtpSink;
  /** Encrypt the media to the seat (default true). */
  srtp?: boolean | undefined;
  /** Signalling request timeout, ms (default 10 000). */
  timeoutMs?: number | undefined;
}

/** A stream the seat receives now. */
export interface SeatStream {
  kind: MediaKind;
  consumerId: string;
  producerId: string;
  site: string;
  /** The SSRC the SFU sends it with (what the sink counts it under). */
  ssrc: number;
}

/** Key length (key + salt, bytes) of each SRTP suite. */
const SRTP_KEY_BYTES: Record<SrtpParameters['cryptoSuite'], number> = {
  AEAD_AES_256_GCM: 44,
  AEAD_AES_128_GCM: 28,
  AES_CM_128_HMAC_SHA1_80: 30,
  AES_CM_128_HMAC_SHA1_32: 30,
};

interface ConsumeAnswer {
  consumerId: string;
  rtpParameters: { codecs?: { payloadType: number; clockRate: number }[]; encodings?: { ssrc?: number }[] };
}

export class SeatReceiver {
  readonly site: string;
  readonly sink: RtpSink;
  #client: SignallingClient;
  #timeout: number;
  #state: MeetingState;
  #producers = new Map<string, ProducerInfo>();
  #transportId = '';
  #streams: Partial<Record<MediaKind, SeatStream>> = {};
  #requests = 0;
  #errors = 0;
  #refused = 0;
  #joinMs: number | null = null;
  #left = false;
  #ended: string | null = null;
  #following: Promise<void> = Promise.resolve();
  #again = false;

  private constructor(client: SignallingClient, site: string, sink: RtpSink, timeout: number, state: MeetingState) {
    this.#client = client;
    this.site = site;
    this.sink = sink;
    this.#timeout = timeout;
    this.#state = state;
  }

  /** Joins, makes the transport and consumes what the meeting shows now. */
  static async join(opts: SeatReceiverOptions): Promise<SeatReceiver> {
    const { site } = requireLoadTestClaims(opts.token, 'seat');
    const timeout = opts.timeoutMs ?? 10_000;
    const openedAt = performance.now();
    const client = await SignallingClient.connect(opts.signallingUrl, opts.token, timeout);
    // Placeholder state until the join answers.
    const seat = new SeatReceiver(client, site, opts.sink, timeout, {} as MeetingState);
    try {
      await seat.#start(opts, openedAt);
    } catch (err) {
      await closeSignalling(client);
      throw err;
    }
    return seat;
  }

  async #start(opts: SeatReceiverOptions, openedAt: number): Promise<void> {
    const { meetingId, sink } = opts;
    void sink.nextPacket().then((at) => {
      this.#joinMs ??= at - openedAt;
    });
    this.#client.on('meeting.state', (state) => {
      this.#state = state;
      this.#follow();
    });
    this.#client.on('producer.new', (p) => {
      this.#producers.set(p.producerId, p);
      this.#follow();
    });
    this.#client.on('producer.closed', ({ producerId }) => {
      this.#producers.delete(producerId);
      for (const kind of ['video', 'audio'] as const) if (this.#streams[kind]?.producerId === producerId) delete this.#streams[kind];
      this.#follow();
    });
    this.#client.on('producer.paused', ({ producerId, paused }) => {
      const p = this.#producers.get(producerId);
      if (p) p.paused = paused;
    });
    this.#client.on('consumer.closed', ({ consumerId }) => {
      for (const kind of ['video', 'audio'] as const) if (this.#streams[kind]?.consumerId === consumerId) delete this.#streams[kind];
      this.#follow();
    });
    this.#client.on('meeting.closed', ({ reason }) => (this.#ended = `the meeting closed: ${reason}`));
    this.#client.on('peer.removed', ({ reason }) => (this.#ended = `removed: ${reason}`));
    this.#client.on(
      'meeting.moved',
      ({ node }) => (this.#ended = `the meeting moved to the ${node} node (a seat of a load test does not follow)`),
    );

    const { routerRtpCapabilities } = await this.#request('meeting.capabilities', { meetingId });
    const rtpCapabilities = plainReceiveCapabilities(routerRtpCapabilities);
    const joined = await this.#request('meeting.join', { meetingId, rtpCapabilities });
    this.#state = joined.state;
    for (const p of joined.producers) this.#producers.set(p.producerId, p);
    const srtp = opts.srtp ?? true;
    const transport = await this.#request('plain.create', { direction: 'recv', srtp });
    this.#transportId = transport.transportId;
    const suite = transport.srtpParameters?.cryptoSuite;
    await this.#request('plain.connect', {
      transportId: transport.transportId,
      ip: sink.host,
      port: sink.port,
      // The key the SFU would decrypt this seat's RTCP with; the seat sends none.
      ...(suite ? { srtpParameters: { cryptoSuite: suite, keyBase64: randomBytes(SRTP_KEY_BYTES[suite]).toString('base64') } } : {}),
    });
    this.#follow();
    await this.#following;
  }

  /** Counts every request, and its failure. */
  async #request<M extends RequestMethod>(method: M, data: RequestData<M>): Promise<ResponseData[M]> {
    this.#requests++;
    try {
      return await this.#client.request(method, data, this.#timeout);
    } catch (err) {
      this.#errors++;
      if (err instanceof SignallingRequestError && err.code === 'unauthorised') this.#refused++;
      throw err;
    }
  }

  /** The producers a seat receives now: the featured camera, and the floor holder's (else the featured site's) microphone. */
  #wanted(): Record<MediaKind, ProducerInfo | undefined> {
    const producers = [...this.#producers.values()];
    const of = (site: string | null, source: 'camera' | 'mic') => producers.find((p) => p.site === site && p.source === source);
    const featured = featuredCamera(this.#state, null, (site) => of(site, 'camera') !== undefined);
    return { video: of(featured, 'camera'), audio: of(this.#state.floor ?? featured, 'mic') };
  }

  /** Brings the consumers in line with the meeting, one pass at a time (a change during a pass runs another). */
  #follow(): void {
    if (!this.#transportId || this.#left) return;
    if (this.#again) return;
    this.#again = true;
    this.#following = this.#following.then(async () => {
      this.#again = false;
      if (this.#left || this.#ended) return;
      const wanted = this.#wanted();
      for (const kind of ['video', 'audio'] as const) {
        try {
          await this.#receive(kind, wanted[kind]);
        } catch {
          // Counted in errors; the next change tries again.
        }
      }
    });
  }

  async #receive(kind: MediaKind, producer: ProducerInfo | undefined): Promise<void> {
    const current = this.#streams[kind];
    if (current?.producerId === producer?.producerId) return;
    if (current) {
      delete this.#streams[kind];
      await this.#request('consumer.close', { consumerId: current.consumerId }).catch(() => {
        // Already closed with its producer.
      });
    }
    if (!producer) return;
    const answer = (await this.#request('consume', { producerId: producer.producerId, transportId: this.#transportId })) as ConsumeAnswer &
      ResponseData['consume'];
    const ssrc = answer.rtpParameters.encodings?.[0]?.ssrc;
    const codec = answer.rtpParameters.codecs?.[0];
    if (ssrc === undefined || !codec) throw new Error(`consume answered no SSRC or codec for ${producer.site}'s ${kind}`);
    this.sink.setClockRate(codec.payloadType, codec.clockRate);
    this.#streams[kind] = { kind, consumerId: answer.consumerId, producerId: producer.producerId, site: producer.site, ssrc };
    await this.#request('consumer.resume', { consumerId: answer.consumerId });
  }

  /** Resolves once the streams follow the meeting as it is now. */
  async settled(): Promise<void> {
    let before;
    do {
      before = this.#following;
      await before;
    } while (before !== this.#following);
  }

  /** ms from opening the signalling to the first RTP packet at the sink; null before it. */
  get joinMs(): number | null {
    return this.#joinMs;
  }

  /** Signalling requests sent, failed, and of those refused by the meeting's rules (`unauthorised`). */
  get counts(): { requests: number; errors: number; refused: number } {
    return { requests: this.#requests, errors: this.#errors, refused: this.#refused };
  }

  get state(): MeetingState {
    return this.#state;
  }

  /** What the seat receives now. */
  streams(): SeatStream[] {
    return (['video', 'audio'] as const).flatMap((kind) => (this.#streams[kind] ? [this.#streams[kind]] : []));
  }

  /** Why the seat is out of the meeting (closed, removed, moved); null while it is in. */
  get ended(): string | null {
    return this.#ended;
  }

  /**
   * Asks for the floor for the seat's site. The meeting's rules give a speaking
   * request to a site's conference PC or to the control centre, not to a seat:
   * the SFU refuses it (`unauthorised`, counted in `refused`); it still loads
   * the signalling as a seat's request would.
   */
  async requestFloor(): Promise<ResponseData['floor.request']> {
    return this.#request('floor.request', { site: this.site });
  }

  /** Leaves the meeting (closing the signalling closes the seat's transport and consumers on the SFU). */
  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    await closeSignalling(this.#client);
  }
}
