// A meeting: a mediasoup router (more, joined with pipeToRouter, once its
// receivers outgrow one worker's share), the peers in it, and the rules of the
// regulation enforced here rather than in any UI — the floor (Điều 9.2: a
// site's microphone is open only when the chair gives it the floor), the
// invitation list, the 40-seat limit, the layout and the speaking queue.
import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type {
  ChatMessage,
  MeetingKind,
  MeetingLayout,
  MeetingRecord,
  MeetingState,
  SfuNodeName,
  SpeakingRequest,
} from '@noc/shared/meeting';
import type {
  MediaSource,
  NotificationData,
  NotificationMethod,
  ProducerInfo,
  RequestData,
  TransportInfo,
} from '@noc/shared/meeting-protocol';
import { MAX_SEATS_PER_SITE } from '@noc/shared/sites';
import { SignallingFailure } from '../signalling/failure.ts';
import { cameraLayer, type CameraView, type LayerChoice } from './camera-layers.ts';
import type { Peer } from './peer.ts';
import type { PolicyLog } from './policy-log.ts';

const CHAT_KEEP = 200;

/** What a camera consumer carries to have its simulcast layer chosen. */
interface CameraConsumerData {
  site: string;
  source: 'camera';
  /** The spatial layers the camera sends (its simulcast encodings). */
  spatialLayers: number;
}

function cameraOf(consumer: types.Consumer): CameraConsumerData | null {
  const data = consumer.appData as Partial<CameraConsumerData>;
  return consumer.type === 'simulcast' && data.source === 'camera' && data.site && data.spatialLayers ? (data as CameraConsumerData) : null;
}

/** The site whose own camera a receiver shows (none for a seat or the control centre). */
const selfOf = (peer: Peer): string | null => (peer.role === 'site' ? peer.site : null);

/** A new meeting's layout: endpoints choose the featured site, a 2×2 grid, following the speaker. */
export const DEFAULT_LAYOUT: Readonly<MeetingLayout> = { featuredSite: null, grid: 4, followSpeaker: true };

export interface MeetingOptions {
  id: string;
  kind: MeetingKind;
  title: string;
  invitedSites: string[];
  router: types.Router;
  policy: PolicyLog;
  listenIp: string;
  announcedAddress: string | undefined;
  log: (msg: string) => void;
  /** Receive transports per router before another router (on another worker) is added. */
  recvPerRouter?: number;
  /** Makes another router for this meeting on a worker none of `exclude` is on; rejects when there is none. */
  newRouter?: (exclude: readonly types.Router[]) => Promise<types.Router>;
  /** Floor, queue and layout carried over from the other node. */
  carried?: Pick<MeetingRecord, 'floor' | 'queue' | 'layout' | 'createdAt'>;
  /** Called after every change of the state (for replication). */
  onChange?: () => void;
}

export class Meeting {
  readonly id: string;
  readonly kind: MeetingKind;
  readonly title: string;
  readonly createdAt: number;
  readonly router: types.Router;
  #invited: Set<string>;
  #peers = new Map<string, Peer>();
  #floor: string | null = null;
  #queue: SpeakingRequest[] = [];
  #layout: MeetingLayout = { ...DEFAULT_LAYOUT };
  #chat: ChatMessage[] = [];
  #opts: MeetingOptions;
  #closed = false;
  /** Routers besides the first, for receivers only; producers live on the first and are piped. */
  #extraRouters: types.Router[] = [];
  #recvCount = new Map<string, number>();
  #piped = new Map<string, Promise<void>>();
  #addingRouter: Promise<types.Router> | null = null;
  /** The layer and priority last asked of each camera consumer; mediasoup answers in order, so the last asked holds. */
  #asked = new WeakMap<types.Consumer, LayerChoice>();

  constructor(opts: MeetingOptions) {
    this.id = opts.id;
    this.kind = opts.kind;
    this.title = opts.title;
    this.router = opts.router;
    this.#invited = new Set(opts.invitedSites);
    this.#opts = opts;
    this.createdAt = opts.carried?.createdAt ?? Date.now();
    if (opts.carried) {
      this.#floor = opts.carried.floor;
      this.#queue = [...opts.carried.queue];
      this.#layout = { ...opts.carried.layout };
    }
  }

  /** The state the other node needs to carry the meeting on. */
  record(activeOn: SfuNodeName): MeetingRecord {
    const { id, kind, title, invitedSites, floor, queue, layout, createdAt } = this.state();
    return { id, kind, title, invitedSites, floor, queue, layout, createdAt, activeOn };
  }

  get closed(): boolean {
    return this.#closed;
  }

  #log(msg: string): void {
    this.#opts.log(`[meeting:${this.id}] ${msg}`);
  }

  peers(): Peer[] {
    return [...this.#peers.values()];
  }

  isInvited(site: string): boolean {
    return this.#invited.has(site);
  }

  state(): MeetingState {
    const present = new Map<string, { endpoint: boolean; seats: number }>();
    for (const peer of this.#peers.values()) {
      if (!peer.site) continue;
      const entry = present.get(peer.site) ?? { endpoint: false, seats: 0 };
      if (peer.role === 'site') entry.endpoint = true;
      if (peer.role === 'seat') entry.seats++;
      present.set(peer.site, entry);
    }
    return {
      id: this.id,
      kind: this.kind,
      title: this.title,
      invitedSites: [...this.#invited],
      present: [...present].map(([site, e]) => ({ site, ...e })),
      floor: this.#floor,
      queue: [...this.#queue],
      layout: { ...this.#layout },
      createdAt: this.createdAt,
    };
  }

  #broadcastState(): void {
    const state = this.state();
    for (const peer of this.#peers.values()) peer.notify('meeting.state', state);
    void this.#applyLayers();
    this.#opts.onChange?.();
  }

  /** Tells every endpoint to continue on the other node, then closes here. */
  handOver(node: SfuNodeName): void {
    for (const peer of this.#peers.values()) peer.notify('meeting.moved', { meetingId: this.id, node });
    this.close(`moved to the ${node} node`, false);
  }

  producers(): ProducerInfo[] {
    const out: ProducerInfo[] = [];
    for (const peer of this.#peers.values()) {
      for (const { producer, source } of peer.producers.values()) {
        out.push({ producerId: producer.id, site: peer.site ?? peer.role, kind: producer.kind, source, paused: producer.paused });
      }
    }
    return out;
  }

  chatHistory(): ChatMessage[] {
    return [...this.#chat];
  }

  // ---- joining and leaving -------------------------------------------------

  join(peer: Peer, rtpCapabilities: types.RtpCapabilities): void {
    if (this.#closed) throw new SignallingFailure('not-found', `meeting ${this.id} has ended`);
    const site = peer.site;
    if ((peer.role === 'site' || peer.role === 'seat') && site && !this.#invited.has(site)) {
      this.#opts.policy.record({
        type: 'uninvited-join',
        site,
        meeting: this.id,
        detail: `${peer.label()} tried to join meeting ${this.id} without an invitation`,
      });
      throw new SignallingFailure('unauthorised', `site ${site} is not invited to meeting ${this.id}`);
    }
    if (peer.role === 'seat' && site) {
      const seats = [...this.#peers.values()].filter((p) => p.role === 'seat' && p.site === site).length;
      if (seats >= MAX_SEATS_PER_SITE) {
        throw new SignallingFailure(
          'limit-reached',
          `site ${site} already has ${MAX_SEATS_PER_SITE} seats in this meeting, the most a point may have (Điều 4.3)`,
        );
      }
    }
    if (peer.role === 'site' && site) {
      // One conference PC per site: a new connection replaces the old one (a reconnect).
      for (const other of this.#peers.values()) {
        if (other.role === 'site' && other.site === site) {
          other.notify('peer.removed', { cause: 'replaced', reason: 'replaced by a new connection of the same site' });
          this.leave(other);
        }
      }
    }
    peer.rtpCapabilities = rtpCapabilities;
    this.#peers.set(peer.id, peer);
    this.#log(`${peer.label()} joined`);
    this.#broadcastState();
  }

  leave(peer: Peer): void {
    if (!this.#peers.delete(peer.id)) return;
    const gone = [...peer.producers.keys()];
    peer.close();
    for (const producerId of gone) this.#notifyAll('producer.closed', { producerId });
    this.#log(`${peer.label()} left`);
    this.#broadcastState();
  }

  #notifyAll<M extends NotificationMethod>(method: M, data: NotificationData[M], except?: Peer): void {
    for (const peer of this.#peers.values()) if (peer !== except) peer.notify(method, data);
  }

  // ---- transports and media ------------------------------------------------

  /**
   * The router a new receive transport goes on: the first with room, else a new
   * one on a worker the meeting does not use yet, else the least loaded.
   */
  async #routerFor(direction: 'send' | 'recv'): Promise<types.Router> {
    if (direction === 'send') return this.router;
    const limit = this.#opts.recvPerRouter ?? Infinity;
    const all = [this.router, ...this.#extraRouters];
    const load = (r: types.Router) => this.#recvCount.get(r.id) ?? 0;
    const free = all.find((r) => load(r) < limit);
    if (free) return free;
    if (this.#opts.newRouter) {
      this.#addingRouter ??= this.#opts
        .newRouter(all)
        .then((router) => {
          this.#extraRouters.push(router);
          this.#log(`spread over ${all.length + 1} routers`);
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

  #routerById(id: unknown): types.Router {
    return [this.router, ...this.#extraRouters].find((r) => r.id === id) ?? this.router;
  }

  async createTransport(peer: Peer, direction: 'send' | 'recv'): Promise<TransportInfo> {
    if (direction === 'send' && peer.role !== 'site') {
      throw new SignallingFailure('unauthorised', `a ${peer.role} connection only receives; it cannot send media`);
    }
    const router = await this.#routerFor(direction);
    const listen = { ip: this.#opts.listenIp, announcedAddress: this.#opts.announcedAddress };
    const transport = await router.createWebRtcTransport({
      listenInfos: [
        { protocol: 'udp', ...listen },
        { protocol: 'tcp', ...listen },
      ],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      appData: { direction, routerId: router.id },
    });
    peer.transports.set(transport.id, transport);
    if (direction === 'recv') this.#recvCount.set(router.id, (this.#recvCount.get(router.id) ?? 0) + 1);
    transport.observer.once('close', () => {
      peer.transports.delete(transport.id);
      if (direction === 'recv') this.#recvCount.set(router.id, (this.#recvCount.get(router.id) ?? 1) - 1);
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  #transport(peer: Peer, transportId: string): types.WebRtcTransport {
    const transport = peer.transports.get(transportId);
    if (!transport) throw new SignallingFailure('not-found', `no transport ${transportId} on this connection`, 'transportId');
    return transport;
  }

  async connectTransport(peer: Peer, transportId: string, dtlsParameters: unknown): Promise<void> {
    await this.#transport(peer, transportId).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
  }

  async produce(peer: Peer, data: RequestData<'produce'>): Promise<{ producerId: string; paused: boolean }> {
    const transport = this.#transport(peer, data.transportId);
    if (transport.appData.direction !== 'send') throw new SignallingFailure('invalid-data', 'this transport only receives', 'transportId');
    if ((data.source === 'mic') !== (data.kind === 'audio')) {
      throw new SignallingFailure('invalid-data', `source "${data.source}" does not match kind "${data.kind}"`, 'source');
    }
    const site = peer.site!;
    // The microphone stays closed on the server unless this site has the floor.
    const paused = data.source === 'mic' && this.#floor !== site;
    const producer = await transport.produce({
      kind: data.kind,
      rtpParameters: data.rtpParameters as types.RtpParameters,
      paused,
      appData: { site, source: data.source },
    });
    peer.producers.set(producer.id, { producer, source: data.source });
    producer.observer.once('close', () => peer.producers.delete(producer.id));
    this.#notifyAll('producer.new', { producerId: producer.id, site, kind: producer.kind, source: data.source, paused }, peer);
    // A new camera can be the one shown large; content turns every camera into a tile.
    if (data.source !== 'mic') void this.#applyLayers();
    return { producerId: producer.id, paused };
  }

  #ownProducer(peer: Peer, producerId: string) {
    const entry = peer.producers.get(producerId);
    if (!entry) throw new SignallingFailure('not-found', `no producer ${producerId} of this connection`, 'producerId');
    return entry;
  }

  async resumeProducer(peer: Peer, producerId: string): Promise<void> {
    const { producer, source } = this.#ownProducer(peer, producerId);
    if (source === 'mic' && this.#floor !== peer.site) {
      this.#opts.policy.record({
        type: 'mic-without-floor',
        site: peer.site ?? peer.role,
        meeting: this.id,
        detail: `${peer.label()} tried to open its microphone without the floor`,
      });
      throw new SignallingFailure('unauthorised', 'the microphone opens only when the chair gives this site the floor');
    }
    await producer.resume();
    this.#notifyAll('producer.paused', { producerId, paused: false });
  }

  closeProducer(peer: Peer, producerId: string): void {
    const { producer, source } = this.#ownProducer(peer, producerId);
    producer.close();
    peer.producers.delete(producerId);
    this.#notifyAll('producer.closed', { producerId });
    if (source !== 'mic') void this.#applyLayers();
  }

  async pauseProducer(peer: Peer, producerId: string): Promise<void> {
    const { producer } = this.#ownProducer(peer, producerId);
    await producer.pause();
    this.#notifyAll('producer.paused', { producerId, paused: true });
  }

  async consume(peer: Peer, producerId: string, transportId: string) {
    const transport = this.#transport(peer, transportId);
    if (transport.appData.direction !== 'recv') throw new SignallingFailure('invalid-data', 'this transport only sends', 'transportId');
    const owner = [...this.#peers.values()].find((p) => p.producers.has(producerId));
    const entry = owner?.producers.get(producerId);
    if (!owner || !entry) throw new SignallingFailure('not-found', `no producer ${producerId} in this meeting`, 'producerId');
    const router = this.#routerById(transport.appData.routerId);
    if (router !== this.router) await this.#pipe(producerId, router);
    if (!peer.rtpCapabilities || !router.canConsume({ producerId, rtpCapabilities: peer.rtpCapabilities })) {
      throw new SignallingFailure('invalid-data', 'this endpoint cannot receive that producer with its capabilities', 'producerId');
    }
    const site = owner.site ?? owner.role;
    const simulcast = entry.source === 'camera' && entry.producer.type === 'simulcast';
    const spatialLayers = entry.producer.rtpParameters.encodings?.length ?? 1;
    const first = simulcast ? this.#layerFor(peer, site, spatialLayers) : null;
    const consumer = await transport.consume({
      producerId,
      rtpCapabilities: peer.rtpCapabilities,
      paused: true,
      appData: { site, source: entry.source, spatialLayers },
      ...(first ? { preferredLayers: { spatialLayer: first.spatialLayer } } : {}),
    });
    if (first) this.#asked.set(consumer, { spatialLayer: first.spatialLayer, priority: consumer.priority });
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      consumer.close();
      peer.notify('consumer.closed', { consumerId: consumer.id });
    });
    // Chosen again now that it is listed: the layout may have changed meanwhile.
    if (simulcast) await this.#setLayer(consumer, this.#layerFor(peer, site, spatialLayers));
    return {
      consumerId: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      site,
      source: entry.source as MediaSource,
    };
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

  // ---- simulcast layers (camera-layers.ts) ----------------------------------

  #cameraView(): CameraView {
    const cameras = new Set<string>();
    let content = false;
    for (const peer of this.#peers.values()) {
      for (const { source } of peer.producers.values()) {
        if (source === 'camera' && peer.site) cameras.add(peer.site);
        if (source === 'screen') content = true;
      }
    }
    return { state: { layout: this.#layout, floor: this.#floor, invitedSites: [...this.#invited] }, cameras, content };
  }

  #layerFor(peer: Peer, site: string, spatialLayers: number, view = this.#cameraView()): LayerChoice {
    return cameraLayer(view, selfOf(peer), site, spatialLayers);
  }

  async #setLayer(consumer: types.Consumer, choice: LayerChoice): Promise<void> {
    const asked = this.#asked.get(consumer);
    this.#asked.set(consumer, choice);
    try {
      // Both asked at once, so that a later choice is never overtaken by this one.
      await Promise.all([
        asked?.spatialLayer !== choice.spatialLayer && consumer.setPreferredLayers({ spatialLayer: choice.spatialLayer }),
        asked?.priority !== choice.priority && consumer.setPriority(choice.priority),
      ]);
    } catch (err) {
      if (!consumer.closed) this.#log(`cannot set the layer of consumer ${consumer.id}: ${(err as Error).message}`);
    }
  }

  /** Gives every receiver's camera consumers the layer and priority its layout asks for now. */
  async #applyLayers(): Promise<void> {
    const view = this.#cameraView();
    const changes: Promise<void>[] = [];
    for (const peer of this.#peers.values()) {
      for (const consumer of peer.consumers.values()) {
        const camera = cameraOf(consumer);
        if (camera) changes.push(this.#setLayer(consumer, this.#layerFor(peer, camera.site, camera.spatialLayers, view)));
      }
    }
    await Promise.all(changes);
  }

  async resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new SignallingFailure('not-found', `no consumer ${consumerId} on this connection`, 'consumerId');
    await consumer.resume();
  }

  // ---- floor, queue, layout, chat ------------------------------------------

  #requireInvited(site: string): void {
    if (!this.#invited.has(site)) throw new SignallingFailure('not-found', `site ${site} is not in this meeting`, 'site');
  }

  #micsOf(site: string): types.Producer[] {
    return [...this.#peers.values()]
      .filter((p) => p.site === site && p.role === 'site')
      .flatMap((p) => [...p.producers.values()].filter((e) => e.source === 'mic').map((e) => e.producer));
  }

  requestFloor(site: string, by: SpeakingRequest['by']): SpeakingRequest[] {
    this.#requireInvited(site);
    if (this.#floor !== site && !this.#queue.some((r) => r.site === site)) {
      this.#queue.push({ site, at: Date.now(), by });
      this.#broadcastState();
    }
    return [...this.#queue];
  }

  async grantFloor(site: string): Promise<void> {
    this.#requireInvited(site);
    const previous = this.#floor;
    this.#floor = site;
    this.#queue = this.#queue.filter((r) => r.site !== site);
    if (this.#layout.followSpeaker) this.#layout.featuredSite = site;
    if (previous && previous !== site) await this.#setMics(previous, true);
    await this.#setMics(site, false);
    this.#log(`floor to ${site}`);
    this.#broadcastState();
  }

  async revokeFloor(): Promise<void> {
    const holder = this.#floor;
    if (!holder) return;
    this.#floor = null;
    await this.#setMics(holder, true);
    this.#log(`floor revoked from ${holder}`);
    this.#broadcastState();
  }

  async #setMics(site: string, paused: boolean): Promise<void> {
    for (const producer of this.#micsOf(site)) {
      if (paused) await producer.pause();
      else await producer.resume();
      this.#notifyAll('producer.paused', { producerId: producer.id, paused });
    }
  }

  dismiss(site: string): void {
    const before = this.#queue.length;
    this.#queue = this.#queue.filter((r) => r.site !== site);
    if (this.#queue.length !== before) this.#broadcastState();
  }

  setLayout(change: RequestData<'layout.set'>): MeetingLayout {
    if (change.featuredSite) this.#requireInvited(change.featuredSite);
    if (change.featuredSite !== undefined) this.#layout.featuredSite = change.featuredSite;
    if (change.grid !== undefined) this.#layout.grid = change.grid;
    if (change.followSpeaker !== undefined) this.#layout.followSpeaker = change.followSpeaker;
    this.#broadcastState();
    return { ...this.#layout };
  }

  chat(peer: Peer, text: string): void {
    const message: ChatMessage = { from: peer.claims.name ?? peer.site ?? peer.role, role: peer.role, text, at: Date.now() };
    this.#chat.push(message);
    if (this.#chat.length > CHAT_KEEP) this.#chat.shift();
    this.#notifyAll('chat.message', message);
  }

  invite(site: string): void {
    if (this.#invited.has(site)) return;
    this.#invited.add(site);
    this.#log(`${site} invited`);
    this.#broadcastState();
  }

  async remove(site: string): Promise<void> {
    this.#requireInvited(site);
    this.#invited.delete(site);
    this.#queue = this.#queue.filter((r) => r.site !== site);
    if (this.#floor === site) this.#floor = null;
    if (this.#layout.featuredSite === site) this.#layout.featuredSite = null;
    for (const peer of [...this.#peers.values()]) {
      if (peer.site === site) {
        peer.notify('peer.removed', { cause: 'removed', reason: 'removed from the meeting by the control centre' });
        this.leave(peer);
      }
    }
    this.#log(`${site} removed`);
    this.#broadcastState();
  }

  close(reason: string, tellPeers = true): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) {
      if (tellPeers) peer.notify('meeting.closed', { meetingId: this.id, reason });
      peer.close();
    }
    this.#peers.clear();
    for (const router of this.#extraRouters) router.close();
    this.router.close();
    this.#log(`closed: ${reason}`);
  }
}

export const newMeetingId = (): string => randomUUID().slice(0, 8);
