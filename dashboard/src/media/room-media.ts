// The media of a room endpoint through mediasoup-client: the camera (VP8, two
// simulcast layers: 320×180 and 640×360) and the microphone sent to the SFU,
// every other site's camera (on the layer the SFU chooses) and microphone
// received, and a content stream (slides for tập huấn) that a site presents and
// everyone receives. The microphone follows the floor: the SFU keeps it paused
// unless this site has the floor, and the page mirrors that locally so nothing
// is sent that the server would drop. What the page shows of it is one
// snapshot (`RoomMediaView`), handed on at every change; no Vue inside.
import { Device, type types } from 'mediasoup-client';
import type { MediaSource, NotificationData, ProducerInfo, RequestData, ResponseData } from '@noc/shared/meeting-protocol';
import type { SignallingClient } from '@noc/shared/signalling-client';
import type { StatsReports } from '../stores/media-stats.ts';
import type { MeetingMedia } from './meeting-media.ts';

/**
 * The fake and real cameras of the rooms give this. Of the two layers the SFU
 * forwards one per receiver: the high one for the camera that receiver shows
 * large (none while content is presented), the low one for the grid tiles,
 * and the low one too when the receiver's bandwidth estimate does not carry
 * the high one (sfu/src/meetings/camera-layers.ts).
 */
const CAMERA_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15 } };
const SIMULCAST: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 2, maxBitrate: 200_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 700_000 },
];

export interface RemoteAudio {
  consumerId: string;
  site: string;
  stream: MediaStream;
}

export interface MicState {
  producerId: string;
  /** Paused on the server: no floor, or muted by this site. */
  paused: boolean;
}

/** What the room page shows of its media. */
export interface RoomMediaView {
  localStream: MediaStream | null;
  /** Each remote site's camera, by site id. */
  remoteVideos: Record<string, MediaStream>;
  remoteAudios: RemoteAudio[];
  mic: MicState | null;
  /** The content another site presents. */
  remoteContent: { site: string; stream: MediaStream; consumerId: string } | null;
  /** The content this site presents. */
  localContent: MediaStream | null;
}

export interface RoomMediaOptions {
  /** A site endpoint sends; a seat only receives. */
  canSend: boolean;
  onDeviceError: (reason: string) => void;
  /** A remote stream could not be set up. */
  onError: (err: unknown) => void;
  /** ICE or DTLS failed on a transport: the session reconnects. */
  onTransportFailed: () => void;
  /** The view changed. */
  onChange: (view: RoomMediaView) => void;
}

interface ConsumerEntry {
  consumer: types.Consumer;
  site: string;
  source: MediaSource;
}

export class RoomMedia implements MeetingMedia {
  readonly #o: RoomMediaOptions;
  #view: RoomMediaView = {
    localStream: null,
    remoteVideos: {},
    remoteAudios: [],
    mic: null,
    remoteContent: null,
    localContent: null,
  };
  #contentProducer: types.Producer | null = null;
  #device: Device | null = null;
  #client: SignallingClient | null = null;
  #sendTransport: types.Transport | null = null;
  #recvTransport: types.Transport | null = null;
  readonly #consumers = new Map<string, ConsumerEntry>();
  readonly #producers = new Map<string, { producer: types.Producer; source: MediaSource }>();
  /** Producers announced before the receiving transport was ready. */
  #pending: ProducerInfo[] = [];
  /** Producers this endpoint asked to consume (once each). */
  readonly #requested = new Set<string>();
  /** Counts the meetings' media sessions: work of an older one is dropped. */
  #generation = 0;
  #deviceFailed = false;

  constructor(o: RoomMediaOptions) {
    this.#o = o;
  }

  get view(): RoomMediaView {
    return this.#view;
  }

  #set(patch: Partial<RoomMediaView>): void {
    this.#view = { ...this.#view, ...patch };
    this.#o.onChange(this.#view);
  }

  async load(routerRtpCapabilities: unknown): Promise<types.RtpCapabilities> {
    this.#device = new Device();
    await this.#device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    return this.#device.rtpCapabilities;
  }

  async start(c: SignallingClient, joined: ResponseData['meeting.join']): Promise<void> {
    const gen = ++this.#generation;
    this.#client = c;
    this.#recvTransport = await this.#createTransport(c, 'recv', gen);
    if (gen !== this.#generation) return;
    const announced = [...joined.producers, ...this.#pending];
    this.#pending = [];
    await Promise.all(announced.map((p) => this.#consume(p, gen)));
    if (!this.#o.canSend || gen !== this.#generation) return;
    const stream = await this.#localMedia();
    if (!stream || gen !== this.#generation) return;
    const send = await this.#createTransport(c, 'send', gen);
    this.#sendTransport = send;
    const paused = new Map<string, boolean>();
    send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      c.request('produce', {
        transportId: send.id,
        kind,
        rtpParameters: rtpParameters as unknown as RequestData<'produce'>['rtpParameters'],
        source: appData.source as MediaSource,
      }).then((answer) => {
        paused.set(answer.producerId, answer.paused);
        callback({ id: answer.producerId });
      }, errback);
    });
    const video = stream.getVideoTracks()[0];
    if (video) {
      const vp8 = this.#device!.rtpCapabilities.codecs?.find((codec) => codec.mimeType.toLowerCase() === 'video/vp8');
      const producer = await send.produce({
        track: video,
        encodings: SIMULCAST,
        codec: vp8,
        stopTracks: false,
        appData: { source: 'camera' },
      });
      this.#producers.set(producer.id, { producer, source: 'camera' });
    }
    const audio = stream.getAudioTracks()[0];
    if (audio && gen === this.#generation) {
      const producer = await send.produce({ track: audio, stopTracks: false, appData: { source: 'mic' } });
      this.#producers.set(producer.id, { producer, source: 'mic' });
      const closed = paused.get(producer.id) ?? true;
      if (closed) producer.pause();
      this.#set({ mic: { producerId: producer.id, paused: closed } });
    }
  }

  producerNew(info: ProducerInfo): void {
    if (!this.#recvTransport) this.#pending.push(info);
    else void this.#consume(info, this.#generation);
  }

  producerPaused({ producerId, paused }: NotificationData['producer.paused']): void {
    if (this.#view.mic?.producerId !== producerId) return;
    this.#setLocalMic(paused);
  }

  producerClosed(producerId: string): void {
    for (const [id, entry] of this.#consumers) if (entry.consumer.producerId === producerId) this.#dropConsumer(id);
  }

  consumerClosed(consumerId: string): void {
    this.#dropConsumer(consumerId);
  }

  stop(): void {
    this.#generation++;
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = this.#recvTransport = null;
    this.#consumers.clear();
    this.#requested.clear();
    this.#producers.clear();
    this.#pending = [];
    this.#client = null;
    this.#endLocalContent();
    this.#set({ remoteVideos: {}, remoteAudios: [], remoteContent: null, localContent: null, mic: null });
  }

  /** The page is gone: out of the meeting, and the camera and microphone released. */
  close(): void {
    this.stop();
    for (const track of this.#view.localStream?.getTracks() ?? []) track.stop();
    this.#set({ localStream: null });
  }

  /**
   * Asks the SFU to open or close this site's microphone. Opening without the
   * floor is refused by the server; the refusal is thrown to the caller.
   */
  async setMic(open: boolean): Promise<void> {
    const c = this.#client;
    const mic = this.#view.mic;
    if (!c || !mic) return;
    const { producerId } = mic;
    await c.request(open ? 'producer.resume' : 'producer.pause', { producerId });
    if (this.#view.mic?.producerId === producerId) this.#setLocalMic(!open);
  }

  /** Presents a screen or window to the meeting (getDisplayMedia asks the user which). */
  async startContent(): Promise<void> {
    const c = this.#client;
    const send = this.#sendTransport;
    if (!c || !send || this.#contentProducer) return;
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 5 } }, audio: false });
    const track = stream.getVideoTracks()[0];
    if (!track) throw new Error('no picture to present was chosen');
    const producer = await send.produce({ track, stopTracks: false, appData: { source: 'screen' } });
    this.#producers.set(producer.id, { producer, source: 'screen' });
    this.#contentProducer = producer;
    this.#set({ localContent: stream });
    // The browser's own "stop sharing" ends the track.
    track.addEventListener('ended', () => void this.stopContent());
  }

  async stopContent(): Promise<void> {
    const producer = this.#contentProducer;
    if (!producer) return;
    this.#producers.delete(producer.id);
    producer.close();
    this.#endLocalContent();
    this.#set({ localContent: null });
    await this.#client?.request('producer.close', { producerId: producer.id });
  }

  /** The current stats reports of every consumer and producer. */
  async readStats(): Promise<StatsReports> {
    // The diagnostics are about the sites' cameras and microphones; presented content is left out.
    const remote = await Promise.all(
      [...this.#consumers.values()]
        .filter((e) => e.source !== 'screen')
        .map(async ({ consumer, site }) => ({ key: consumer.id, site, kind: consumer.kind, report: await consumer.getStats() })),
    );
    const local = await Promise.all(
      [...this.#producers.values()]
        .filter((e) => e.source !== 'screen')
        .map(async ({ producer }) => ({ key: producer.id, kind: producer.kind, report: await producer.getStats() })),
    );
    return { remote, local };
  }

  async #localMedia(): Promise<MediaStream | null> {
    if (this.#view.localStream || this.#deviceFailed) return this.#view.localStream;
    try {
      this.#set({ localStream: await navigator.mediaDevices.getUserMedia({ audio: true, video: CAMERA_CONSTRAINTS }) });
    } catch (err) {
      this.#deviceFailed = true;
      this.#o.onDeviceError((err as Error).message || String(err));
    }
    return this.#view.localStream;
  }

  #wireTransport(c: SignallingClient, transport: types.Transport, gen: number): void {
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      c.request('transport.connect', {
        transportId: transport.id,
        dtlsParameters: dtlsParameters as RequestData<'transport.connect'>['dtlsParameters'],
      }).then(() => callback(), errback);
    });
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' && gen === this.#generation) this.#o.onTransportFailed();
    });
  }

  async #createTransport(c: SignallingClient, direction: 'send' | 'recv', gen: number): Promise<types.Transport> {
    const info = await c.request('transport.create', { direction });
    const options = info as unknown as types.TransportOptions;
    const transport = direction === 'send' ? this.#device!.createSendTransport(options) : this.#device!.createRecvTransport(options);
    this.#wireTransport(c, transport, gen);
    return transport;
  }

  async #consume(info: ProducerInfo, gen: number): Promise<void> {
    try {
      await this.#consumeOnce(info, gen);
    } catch (err) {
      if (gen === this.#generation) this.#o.onError(err);
    }
  }

  async #consumeOnce(info: ProducerInfo, gen: number): Promise<void> {
    const c = this.#client;
    const transport = this.#recvTransport;
    if (!c || !transport || this.#requested.has(info.producerId)) return;
    this.#requested.add(info.producerId);
    const answer = await c.request('consume', { producerId: info.producerId, transportId: transport.id });
    const consumer = await transport.consume({
      id: answer.consumerId,
      producerId: answer.producerId,
      kind: answer.kind,
      rtpParameters: answer.rtpParameters as types.RtpParameters,
      appData: { site: answer.site, source: answer.source },
    });
    if (gen !== this.#generation) {
      consumer.close();
      return;
    }
    this.#consumers.set(consumer.id, { consumer, site: answer.site, source: answer.source });
    await c.request('consumer.resume', { consumerId: consumer.id });
    const stream = new MediaStream([consumer.track]);
    const v = this.#view;
    if (answer.source === 'screen') this.#set({ remoteContent: { site: answer.site, stream, consumerId: consumer.id } });
    else if (consumer.kind === 'video') this.#set({ remoteVideos: { ...v.remoteVideos, [answer.site]: stream } });
    else this.#set({ remoteAudios: [...v.remoteAudios, { consumerId: consumer.id, site: answer.site, stream }] });
  }

  #dropConsumer(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    this.#consumers.delete(consumerId);
    const v = this.#view;
    if (entry.source === 'screen') {
      if (v.remoteContent?.consumerId === consumerId) this.#set({ remoteContent: null });
    } else if (entry.consumer.kind === 'video') {
      const { [entry.site]: _gone, ...rest } = v.remoteVideos;
      this.#set({ remoteVideos: rest });
    } else {
      this.#set({ remoteAudios: v.remoteAudios.filter((a) => a.consumerId !== consumerId) });
    }
  }

  #setLocalMic(paused: boolean): void {
    const mic = this.#view.mic;
    const entry = mic && this.#producers.get(mic.producerId);
    if (!entry || !mic) return;
    if (paused) entry.producer.pause();
    else entry.producer.resume();
    this.#set({ mic: { ...mic, paused } });
  }

  /** Stops the presented content's tracks; the view is set by the caller. */
  #endLocalContent(): void {
    for (const track of this.#view.localContent?.getTracks() ?? []) track.stop();
    this.#contentProducer = null;
  }
}
