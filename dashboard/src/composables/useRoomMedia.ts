// The media of a room endpoint through mediasoup-client: the camera (VP8, two
// simulcast layers: 320×180 and 640×360) and the microphone sent to the SFU,
// every other site's camera (on the layer the SFU chooses) and microphone received, and a content stream (slides for tập huấn)
// that a site presents and everyone receives. The microphone follows the floor: the SFU
// keeps it paused unless this site has the floor, and the page mirrors that
// locally so nothing is sent that the server would drop.
import { onUnmounted, ref, shallowRef } from 'vue';
import { Device, type types } from 'mediasoup-client';
import type { MediaSource, NotificationData, ProducerInfo, RequestData, ResponseData } from '@noc/shared/meeting-protocol';
import type { SignallingClient } from '@noc/shared/signalling-client';
import type { StatsReports } from '../stores/media-stats.ts';
import type { MeetingMedia } from '../media/meeting-media.ts';

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

interface ConsumerEntry {
  consumer: types.Consumer;
  site: string;
  source: MediaSource;
}

export interface RoomMediaOptions {
  /** A site endpoint sends; a seat only receives. */
  canSend: boolean;
  onDeviceError: (reason: string) => void;
  /** A remote stream could not be set up. */
  onError: (err: unknown) => void;
  /** ICE or DTLS failed on a transport: the session reconnects. */
  onTransportFailed: () => void;
}

export function useRoomMedia(opts: RoomMediaOptions) {
  const localStream = shallowRef<MediaStream | null>(null);
  /** Each remote site's camera, by site id. */
  const remoteVideos = shallowRef<Record<string, MediaStream>>({});
  const remoteAudios = shallowRef<RemoteAudio[]>([]);
  const mic = ref<MicState | null>(null);
  /** The content another site presents. */
  const remoteContent = shallowRef<{ site: string; stream: MediaStream; consumerId: string } | null>(null);
  /** The content this site presents. */
  const localContent = shallowRef<MediaStream | null>(null);
  let contentProducer: types.Producer | null = null;

  let device: Device | null = null;
  let client: SignallingClient | null = null;
  let sendTransport: types.Transport | null = null;
  let recvTransport: types.Transport | null = null;
  const consumers = new Map<string, ConsumerEntry>();
  const producers = new Map<string, { producer: types.Producer; source: MediaSource }>();
  /** Producers announced before the receiving transport was ready. */
  let pending: ProducerInfo[] = [];
  /** Producers this endpoint asked to consume (once each). */
  const requested = new Set<string>();
  let generation = 0;
  let deviceFailed = false;

  async function localMedia(): Promise<MediaStream | null> {
    if (localStream.value || deviceFailed) return localStream.value;
    try {
      localStream.value = await navigator.mediaDevices.getUserMedia({ audio: true, video: CAMERA_CONSTRAINTS });
    } catch (err) {
      deviceFailed = true;
      opts.onDeviceError((err as Error).message || String(err));
    }
    return localStream.value;
  }

  function wireTransport(c: SignallingClient, transport: types.Transport, gen: number): void {
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      c.request('transport.connect', {
        transportId: transport.id,
        dtlsParameters: dtlsParameters as RequestData<'transport.connect'>['dtlsParameters'],
      }).then(() => callback(), errback);
    });
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' && gen === generation) opts.onTransportFailed();
    });
  }

  async function createTransport(c: SignallingClient, direction: 'send' | 'recv', gen: number): Promise<types.Transport> {
    const info = await c.request('transport.create', { direction });
    const options = info as unknown as types.TransportOptions;
    const transport = direction === 'send' ? device!.createSendTransport(options) : device!.createRecvTransport(options);
    wireTransport(c, transport, gen);
    return transport;
  }

  const media: MeetingMedia = {
    async load(routerRtpCapabilities) {
      device = new Device();
      await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
      return device.rtpCapabilities;
    },

    async start(c: SignallingClient, joined: ResponseData['meeting.join']) {
      const gen = ++generation;
      client = c;
      recvTransport = await createTransport(c, 'recv', gen);
      if (gen !== generation) return;
      const announced = [...joined.producers, ...pending];
      pending = [];
      await Promise.all(announced.map((p) => consume(p, gen)));
      if (!opts.canSend || gen !== generation) return;
      const stream = await localMedia();
      if (!stream || gen !== generation) return;
      const send = await createTransport(c, 'send', gen);
      sendTransport = send;
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
        const vp8 = device!.rtpCapabilities.codecs?.find((codec) => codec.mimeType.toLowerCase() === 'video/vp8');
        const producer = await send.produce({
          track: video,
          encodings: SIMULCAST,
          codec: vp8,
          stopTracks: false,
          appData: { source: 'camera' },
        });
        producers.set(producer.id, { producer, source: 'camera' });
      }
      const audio = stream.getAudioTracks()[0];
      if (audio && gen === generation) {
        const producer = await send.produce({ track: audio, stopTracks: false, appData: { source: 'mic' } });
        producers.set(producer.id, { producer, source: 'mic' });
        const closed = paused.get(producer.id) ?? true;
        if (closed) producer.pause();
        mic.value = { producerId: producer.id, paused: closed };
      }
    },

    producerNew(info) {
      if (!recvTransport) pending.push(info);
      else void consume(info, generation);
    },

    producerPaused({ producerId, paused }: NotificationData['producer.paused']) {
      if (mic.value?.producerId !== producerId) return;
      setLocalMic(paused);
    },

    producerClosed(producerId) {
      for (const [id, entry] of consumers) if (entry.consumer.producerId === producerId) dropConsumer(id);
    },

    consumerClosed(consumerId) {
      dropConsumer(consumerId);
    },

    stop() {
      generation++;
      sendTransport?.close();
      recvTransport?.close();
      sendTransport = recvTransport = null;
      consumers.clear();
      requested.clear();
      producers.clear();
      pending = [];
      client = null;
      remoteVideos.value = {};
      remoteAudios.value = [];
      remoteContent.value = null;
      endLocalContent();
      mic.value = null;
    },
  };

  async function consume(info: ProducerInfo, gen: number): Promise<void> {
    try {
      await consumeOnce(info, gen);
    } catch (err) {
      if (gen === generation) opts.onError(err);
    }
  }

  async function consumeOnce(info: ProducerInfo, gen: number): Promise<void> {
    const c = client;
    const transport = recvTransport;
    if (!c || !transport || requested.has(info.producerId)) return;
    requested.add(info.producerId);
    const answer = await c.request('consume', { producerId: info.producerId, transportId: transport.id });
    const consumer = await transport.consume({
      id: answer.consumerId,
      producerId: answer.producerId,
      kind: answer.kind,
      rtpParameters: answer.rtpParameters as types.RtpParameters,
      appData: { site: answer.site, source: answer.source },
    });
    if (gen !== generation) {
      consumer.close();
      return;
    }
    consumers.set(consumer.id, { consumer, site: answer.site, source: answer.source });
    await c.request('consumer.resume', { consumerId: consumer.id });
    const stream = new MediaStream([consumer.track]);
    if (answer.source === 'screen') remoteContent.value = { site: answer.site, stream, consumerId: consumer.id };
    else if (consumer.kind === 'video') remoteVideos.value = { ...remoteVideos.value, [answer.site]: stream };
    else remoteAudios.value = [...remoteAudios.value, { consumerId: consumer.id, site: answer.site, stream }];
  }

  function dropConsumer(consumerId: string): void {
    const entry = consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    consumers.delete(consumerId);
    if (entry.source === 'screen') {
      if (remoteContent.value?.consumerId === consumerId) remoteContent.value = null;
    } else if (entry.consumer.kind === 'video') {
      const { [entry.site]: _gone, ...rest } = remoteVideos.value;
      remoteVideos.value = rest;
    } else {
      remoteAudios.value = remoteAudios.value.filter((a) => a.consumerId !== consumerId);
    }
  }

  function setLocalMic(paused: boolean): void {
    const entry = mic.value && producers.get(mic.value.producerId);
    if (!entry || !mic.value) return;
    if (paused) entry.producer.pause();
    else entry.producer.resume();
    mic.value = { ...mic.value, paused };
  }

  /**
   * Asks the SFU to open or close this site's microphone. Opening without the
   * floor is refused by the server; the refusal is thrown to the caller.
   */
  async function setMic(open: boolean): Promise<void> {
    const c = client;
    if (!c || !mic.value) return;
    const { producerId } = mic.value;
    await c.request(open ? 'producer.resume' : 'producer.pause', { producerId });
    if (mic.value?.producerId === producerId) setLocalMic(!open);
  }

  function endLocalContent(): void {
    for (const track of localContent.value?.getTracks() ?? []) track.stop();
    localContent.value = null;
    contentProducer = null;
  }

  /** Presents a screen or window to the meeting (getDisplayMedia asks the user which). */
  async function startContent(): Promise<void> {
    const c = client;
    const send = sendTransport;
    if (!c || !send || contentProducer) return;
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 5 } }, audio: false });
    const track = stream.getVideoTracks()[0];
    if (!track) throw new Error('no picture to present was chosen');
    const producer = await send.produce({ track, stopTracks: false, appData: { source: 'screen' } });
    producers.set(producer.id, { producer, source: 'screen' });
    contentProducer = producer;
    localContent.value = stream;
    // The browser's own "stop sharing" ends the track.
    track.addEventListener('ended', () => void stopContent());
  }

  async function stopContent(): Promise<void> {
    const producer = contentProducer;
    if (!producer) return;
    producers.delete(producer.id);
    producer.close();
    endLocalContent();
    await client?.request('producer.close', { producerId: producer.id });
  }

  /** The current stats reports of every consumer and producer. */
  async function readStats(): Promise<StatsReports> {
    // The diagnostics are about the sites' cameras and microphones; presented content is left out.
    const remote = await Promise.all(
      [...consumers.values()]
        .filter((e) => e.source !== 'screen')
        .map(async ({ consumer, site }) => ({ key: consumer.id, site, kind: consumer.kind, report: await consumer.getStats() })),
    );
    const local = await Promise.all(
      [...producers.values()]
        .filter((e) => e.source !== 'screen')
        .map(async ({ producer }) => ({ key: producer.id, kind: producer.kind, report: await producer.getStats() })),
    );
    return { remote, local };
  }

  onUnmounted(() => {
    media.stop();
    for (const track of localStream.value?.getTracks() ?? []) track.stop();
    localStream.value = null;
  });

  return { media, localStream, remoteVideos, remoteAudios, remoteContent, localContent, mic, setMic, startContent, stopContent, readStats };
}
