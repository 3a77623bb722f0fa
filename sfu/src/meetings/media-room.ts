// A meeting's media: its mediasoup routers across workers and the pipes between
// them. Producers live on the first router; receive transports fill it up to a
// share, then go to another router on a worker the meeting does not use yet,
// and each producer is piped there once when first consumed. The media room
// makes transports and consumers for peers, which own them (peer.ts).
import type { types } from 'mediasoup';
import type { PlainTransportInfo, TransportInfo } from '@noc/shared/meeting-protocol';
import type { LayerChoice } from './camera-layers.ts';
import { cameraOf, ConsumerLayers } from './consumer-layers.ts';
import { MeetingError } from './meeting-error.ts';
import type { Peer, ProducerEntry, TransportData, TransportDirection } from './peer.ts';

/** The receive buffer of a plain send transport's socket (the kernel caps it at net.core.rmem_max). */
const PLAIN_INGRESS_BUFFER = 4 * 1024 * 1024;
/** The cipher of plain receive transports with SRTP, the one WebRTC endpoints negotiate most. */
const PLAIN_SRTP_SUITE: types.SrtpCryptoSuite = 'AES_CM_128_HMAC_SHA1_80';

export interface MediaRoomOptions {
  router: types.Router;
  listenIp: string;
  announcedAddress: string | undefined;
  log: (msg: string) => void;
  /** Receive transports per router before another router (on another worker) is added. */
  recvPerRouter?: number | undefined;
  /** Makes another router for this meeting on a worker none of `exclude` is on; rejects when there is none. */
  newRouter?: ((exclude: readonly types.Router[]) => Promise<types.Router>) | undefined;
}

/** Chooses the layer of `site`'s camera (sending `spatialLayers` layers) for a receiver. */
export type LayerChooser = (receiver: Peer, site: string, spatialLayers: number) => LayerChoice;

export class MediaRoom {
  /** The first router: every producer is on it. */
  readonly router: types.Router;
  #opts: MediaRoomOptions;
  /** Routers besides the first, for receivers only. */
  #extraRouters: types.Router[] = [];
  #recvCount = new Map<string, number>();
  #piped = new Map<string, Promise<void>>();
  #addingRouter: Promise<types.Router> | null = null;
  #layers: ConsumerLayers;

  constructor(opts: MediaRoomOptions) {
    this.router = opts.router;
    this.#opts = opts;
    this.#layers = new ConsumerLayers(opts.log);
  }

  routers(): types.Router[] {
    return [this.router, ...this.#extraRouters];
  }

  /**
   * The router a new receive transport goes on: the first with room, else a new
   * one on a worker the meeting does not use yet, else the least loaded.
   */
  async #routerFor(direction: TransportDirection): Promise<types.Router> {
    if (direction === 'send') return this.router;
    const limit = this.#opts.recvPerRouter ?? Infinity;
    const all = this.routers();
    const load = (r: types.Router) => this.#recvCount.get(r.id) ?? 0;
    const free = all.find((r) => load(r) < limit);
    if (free) return free;
    if (this.#opts.newRouter) {
      this.#addingRouter ??= this.#opts
        .newRouter(all)
        .then((router) => {
          this.#extraRouters.push(router);
          this.#opts.log(`spread over ${all.length + 1} routers`);
          return router;
        })
        .finally(() => {
          this.#addingRouter = null;
        });
      try {
        return await this.#addingRouter;
      } catch {
        // Every worker already carries a router of this meeting.
      }
    }
    return all.reduce((a, b) => (load(b) < load(a) ? b : a));
  }

  async createTransport(peer: Peer, direction: TransportDirection): Promise<TransportInfo> {
    const router = await this.#routerFor(direction);
    const listen = { ip: this.#opts.listenIp, announcedAddress: this.#opts.announcedAddress };
    const transport = await router.createWebRtcTransport<TransportData>({
      listenInfos: [
        { protocol: 'udp', ...listen },
        { protocol: 'tcp', ...listen },
      ],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      appData: { direction, kind: 'webrtc', routerId: router.id },
    });
    this.#adopt(peer, transport, router);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  /**
   * A plain RTP transport (load tests). Send: comedia (it answers whoever sends
   * to it first), with a 4 MiB receive buffer, which removes ingress loss near
   * saturation (sfu/bench/README.md). Recv: SRTP when asked, as a WebRTC
   * receiver costs the SFU; it sends where `plain.connect` says.
   */
  async createPlainTransport(peer: Peer, direction: TransportDirection, srtp: boolean): Promise<PlainTransportInfo> {
    const router = await this.#routerFor(direction);
    const transport = await router.createPlainTransport<TransportData>({
      listenInfo: {
        protocol: 'udp',
        ip: this.#opts.listenIp,
        announcedAddress: this.#opts.announcedAddress,
        ...(direction === 'send' ? { recvBufferSize: PLAIN_INGRESS_BUFFER } : {}),
      },
      rtcpMux: true,
      comedia: direction === 'send',
      ...(srtp ? { enableSrtp: true, srtpCryptoSuite: PLAIN_SRTP_SUITE } : {}),
      appData: { direction, kind: 'plain', routerId: router.id },
    });
    this.#adopt(peer, transport, router);
    const { tuple, srtpParameters } = transport;
    return {
      transportId: transport.id,
      ip: tuple.localAddress,
      port: tuple.localPort,
      srtpParameters: srtpParameters ? { cryptoSuite: srtpParameters.cryptoSuite, keyBase64: srtpParameters.keyBase64 } : null,
    };
  }

  /** Gives a new transport to its peer, counting the receivers of its router. */
  #adopt(peer: Peer, transport: types.Transport<TransportData>, router: types.Router): void {
    if (transport.appData.direction === 'recv') {
      this.#recvCount.set(router.id, (this.#recvCount.get(router.id) ?? 0) + 1);
      transport.observer.once('close', () => this.#recvCount.set(router.id, (this.#recvCount.get(router.id) ?? 1) - 1));
    }
    peer.addTransport(transport);
  }

  /** Makes a producer of the first router available on another (once per pair). */
  #pipe(producerId: string, router: types.Router): Promise<void> {
    const key = `${router.id}:${producerId}`;
    let done = this.#piped.get(key);
    if (!done) {
      done = this.router.pipeToRouter({ producerId, router }).then(({ pipeProducer }) => {
        pipeProducer?.observer.once('close', () => this.#piped.delete(key));
      });
      this.#piped.set(key, done);
      done.catch(() => this.#piped.delete(key));
    }
    return done;
  }

  /**
   * A consumer of `entry` (a producer of `site`) for `receiver` on its receive
   * transport, paused until the endpoint resumes it; a simulcast camera starts
   * on the layer `choose` gives it, and is chosen again once the receiver lists
   * it (the layout may have changed meanwhile).
   */
  async consume(receiver: Peer, transportId: string, entry: ProducerEntry, site: string, choose: LayerChooser): Promise<types.Consumer> {
    const transport = receiver.transport(transportId, 'recv');
    const { producer, source } = entry;
    const router = this.routers().find((r) => r.id === transport.appData.routerId) ?? this.router;
    if (router !== this.router) await this.#pipe(producer.id, router);
    const rtpCapabilities = receiver.rtpCapabilities;
    if (!rtpCapabilities || !router.canConsume({ producerId: producer.id, rtpCapabilities })) {
      throw new MeetingError('bad-request', 'this endpoint cannot receive that producer with its capabilities', 'producerId');
    }
    const simulcast = source === 'camera' && producer.type === 'simulcast';
    const spatialLayers = producer.rtpParameters.encodings?.length ?? 1;
    const first = simulcast ? choose(receiver, site, spatialLayers) : null;
    const consumer = await receiver.consume(transport, {
      producerId: producer.id,
      rtpCapabilities,
      paused: true,
      appData: { site, source, spatialLayers, routerId: router.id },
      ...(first ? { preferredLayers: { spatialLayer: first.spatialLayer } } : {}),
    });
    if (first) {
      this.#layers.created(consumer, first.spatialLayer);
      await this.#layers.set(consumer, choose(receiver, site, spatialLayers));
    }
    return consumer;
  }

  /** Gives every receiver's camera consumers the layer and priority `choose` gives them now. */
  async applyLayers(receivers: readonly Peer[], choose: LayerChooser): Promise<void> {
    const changes: Promise<void>[] = [];
    for (const receiver of receivers) {
      for (const consumer of receiver.consumers.values()) {
        const camera = cameraOf(consumer);
        if (camera) changes.push(this.#layers.set(consumer, choose(receiver, camera.site, camera.spatialLayers)));
      }
    }
    await Promise.all(changes);
  }

  /** Closes every router, and with them every transport on them. */
  close(): void {
    for (const router of this.#extraRouters) router.close();
    this.router.close();
  }
}
