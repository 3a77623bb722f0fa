// A meeting as this node carries it: the regulation's rules (meeting-policy.ts)
// and the media room (media-room.ts) kept in step, with every endpoint told
// of each change. The rules decide; this applies their decisions to the media
// (a microphone paused unless its site has the floor, the camera layers the
// layout asks for) and to the peers, which own their media (peer.ts).
import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type { AccessRole } from '@noc/shared/access-token';
import type { ChatMessage, MeetingLayout, MeetingRecord, MeetingState, SfuNodeName, SpeakingRequest } from '@noc/shared/meeting';
import type {
  NotificationData,
  NotificationMethod,
  PlainTransportInfo,
  ProducerInfo,
  RequestData,
  ResponseData,
  TransportInfo,
} from '@noc/shared/meeting-protocol';
import { cameraLayer, type CameraView } from './camera-layers.ts';
import { MediaRoom, type LayerChooser, type MediaRoomOptions } from './media-room.ts';
import { MeetingError } from './meeting-error.ts';
import { MeetingPolicy, type PolicyOptions } from './meeting-policy.ts';
import type { Peer, TransportDirection } from './peer.ts';
import type { PolicyLog } from './policy-log.ts';

export interface MeetingOptions extends Omit<MediaRoomOptions, 'log'>, Omit<PolicyOptions, 'log' | 'now'> {
  policy: PolicyLog;
  log: (msg: string) => void;
  /** Called after every change of the state (for replication). */
  onChange?: () => void;
}

/** The site whose own camera a receiver shows (none for a seat or the control centre). */
const selfOf = (peer: Peer): string | null => (peer.role === 'site' ? peer.site : null);

export class Meeting {
  readonly policy: MeetingPolicy<Peer>;
  readonly media: MediaRoom;
  #closed = false;
  #log: (msg: string) => void;
  #onChange: (() => void) | undefined;

  constructor(opts: MeetingOptions) {
    this.#log = (msg) => opts.log(`[meeting:${opts.id}] ${msg}`);
    this.#onChange = opts.onChange;
    const { id, kind, title, invitedSites, loadTest, testCall, carried } = opts;
    this.policy = new MeetingPolicy<Peer>({ id, kind, title, invitedSites, loadTest, testCall, carried, log: opts.policy });
    const { router, listenIp, announcedAddress, recvPerRouter, newRouter } = opts;
    this.media = new MediaRoom({ router, listenIp, announcedAddress, recvPerRouter, newRouter, log: this.#log });
  }

  get id(): string {
    return this.policy.id;
  }

  /** The meeting's first router (every producer is on it). */
  get router(): types.Router {
    return this.media.router;
  }

  get closed(): boolean {
    return this.#closed;
  }

  peers(): Peer[] {
    return this.policy.members();
  }

  state(): MeetingState {
    return this.policy.state();
  }

  record(activeOn: SfuNodeName): MeetingRecord {
    return this.policy.record(activeOn);
  }

  chatHistory(): ChatMessage[] {
    return this.policy.chatHistory();
  }

  producers(): ProducerInfo[] {
    return this.peers().flatMap((peer) =>
      [...peer.producers.values()].map(({ producer, source }) => ({
        producerId: producer.id,
        site: peer.site ?? peer.role,
        kind: producer.kind,
        source,
        paused: producer.paused,
      })),
    );
  }

  #notifyAll<M extends NotificationMethod>(method: M, data: NotificationData[M], except?: Peer): void {
    for (const peer of this.peers()) if (peer !== except) peer.notify(method, data);
  }

  /** Tells every endpoint the new state, moves the camera layers and tells the other node. */
  #changed(): void {
    const state = this.state();
    for (const peer of this.peers()) peer.notify('meeting.state', state);
    void this.#applyLayers();
    this.#onChange?.();
  }

  // ---- joining and leaving -------------------------------------------------

  join(peer: Peer, rtpCapabilities: types.RtpCapabilities): void {
    if (this.#closed) throw new MeetingError('ended', `meeting ${this.id} has ended`);
    const replaced = this.policy.admit(peer);
    peer.rtpCapabilities = rtpCapabilities;
    for (const old of replaced) {
      old.notify('peer.removed', { cause: 'replaced', reason: 'replaced by a new connection of the same site' });
      this.#close(old, peer);
    }
    this.#log(`${peer.label()} joined`);
    this.#changed();
  }

  leave(peer: Peer): void {
    if (!this.policy.depart(peer)) return;
    this.#close(peer);
    this.#changed();
  }

  /** Closes a peer that is out of the meeting, and tells the others (but `except`) its streams ended. */
  #close(peer: Peer, except?: Peer): void {
    const gone = [...peer.producers.keys()];
    peer.close();
    for (const producerId of gone) this.#notifyAll('producer.closed', { producerId }, except);
    this.#log(`${peer.label()} left`);
  }

  // ---- transports and media ------------------------------------------------

  createTransport(peer: Peer, direction: TransportDirection): Promise<TransportInfo> {
    if (direction === 'send') this.policy.requireSender(peer);
    return this.media.createTransport(peer, direction);
  }

  async connectTransport(peer: Peer, transportId: string, dtlsParameters: unknown): Promise<void> {
    await peer.webRtcTransport(transportId).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
  }

  /** A plain RTP transport: a load-test token in a load-test meeting only; sending still needs a site's role. */
  createPlainTransport(peer: Peer, direction: TransportDirection, srtp: boolean): Promise<PlainTransportInfo> {
    this.policy.requirePlainTransport(peer.claims.loadTest === true);
    if (direction === 'send') this.policy.requireSender(peer);
    return this.media.createPlainTransport(peer, direction, srtp);
  }

  /** Where a plain receive transport sends its media. */
  async connectPlainTransport(peer: Peer, data: RequestData<'plain.connect'>): Promise<void> {
    const transport = peer.plainTransport(data.transportId);
    if (transport.appData.direction !== 'recv') {
      throw new MeetingError(
        'bad-request',
        'a plain send transport learns its remote address from the first RTP it receives',
        'transportId',
      );
    }
    const srtp = transport.srtpParameters !== undefined;
    if (srtp && !data.srtpParameters) {
      throw new MeetingError('bad-request', 'this transport encrypts (SRTP): give the srtpParameters the receiver uses', 'srtpParameters');
    }
    if (!srtp && data.srtpParameters) {
      throw new MeetingError('bad-request', 'this transport sends plain RTP: it takes no srtpParameters', 'srtpParameters');
    }
    await transport.connect({ ip: data.ip, port: data.port, ...(data.srtpParameters ? { srtpParameters: data.srtpParameters } : {}) });
  }

  async produce(peer: Peer, data: RequestData<'produce'>): Promise<{ producerId: string; paused: boolean }> {
    peer.transport(data.transportId, 'send');
    if ((data.source === 'mic') !== (data.kind === 'audio')) {
      throw new MeetingError('bad-request', `source "${data.source}" does not match kind "${data.kind}"`, 'source');
    }
    const site = peer.site!;
    // The microphone stays closed on the server unless this site has the floor.
    const paused = data.source === 'mic' && !this.policy.micMayOpen(site);
    const producer = await peer.produce(
      data.transportId,
      { kind: data.kind, rtpParameters: data.rtpParameters as types.RtpParameters, paused, appData: { site, source: data.source } },
      data.source,
    );
    this.#notifyAll('producer.new', { producerId: producer.id, site, kind: producer.kind, source: data.source, paused }, peer);
    // A new camera can be the one shown large; content turns every camera into a tile.
    if (data.source !== 'mic') void this.#applyLayers();
    return { producerId: producer.id, paused };
  }

  async resumeProducer(peer: Peer, producerId: string): Promise<void> {
    const { producer, source } = peer.producer(producerId);
    if (source === 'mic') this.policy.requireFloorToOpenMic(peer);
    await producer.resume();
    this.#notifyAll('producer.paused', { producerId, paused: false });
  }

  async pauseProducer(peer: Peer, producerId: string): Promise<void> {
    await peer.producer(producerId).producer.pause();
    this.#notifyAll('producer.paused', { producerId, paused: true });
  }

  closeProducer(peer: Peer, producerId: string): void {
    const { source } = peer.closeProducer(producerId);
    this.#notifyAll('producer.closed', { producerId });
    if (source !== 'mic') void this.#applyLayers();
  }

  async consume(peer: Peer, producerId: string, transportId: string): Promise<ResponseData['consume']> {
    peer.transport(transportId, 'recv');
    const owner = this.peers().find((p) => p.producers.has(producerId));
    const entry = owner?.producers.get(producerId);
    if (!owner || !entry) throw new MeetingError('unknown-media', `no producer ${producerId} in this meeting`, 'producerId');
    const site = owner.site ?? owner.role;
    // Chosen from the meeting as it is at each ask: the layout may change while the consumer is made.
    const consumer = await this.media.consume(peer, transportId, entry, site, (receiver, s, layers) =>
      this.#chooser(this.#cameraView())(receiver, s, layers),
    );
    return { consumerId: consumer.id, producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters, site, source: entry.source };
  }

  async resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
    await peer.consumer(consumerId).resume();
  }

  closeConsumer(peer: Peer, consumerId: string): void {
    peer.closeConsumer(consumerId);
  }

  // ---- simulcast layers (camera-layers.ts) ----------------------------------

  #cameraView(): CameraView {
    const cameras = new Set<string>();
    let content = false;
    for (const peer of this.peers()) {
      for (const { source } of peer.producers.values()) {
        if (source === 'camera' && peer.site) cameras.add(peer.site);
        if (source === 'screen') content = true;
      }
    }
    const { layout, floor, invitedSites } = this.state();
    return { state: { layout, floor, invitedSites }, cameras, content };
  }

  #chooser(view: CameraView): LayerChooser {
    return (receiver, site, layers) => cameraLayer(view, selfOf(receiver), site, layers);
  }

  #applyLayers(): Promise<void> {
    return this.media.applyLayers(this.peers(), this.#chooser(this.#cameraView()));
  }

  // ---- floor, queue, layout, chat, invitations ------------------------------

  requestFloor(by: Peer, site: string | undefined): SpeakingRequest[] {
    if (this.policy.requestFloor(by, site)) this.#changed();
    return this.policy.queue();
  }

  async grantFloor(by: AccessRole, site: string): Promise<void> {
    const previous = this.policy.grantFloor(by, site);
    if (previous && previous !== site) await this.#setMics(previous, true);
    await this.#setMics(site, false);
    this.#log(`floor to ${site}`);
    this.#changed();
  }

  async revokeFloor(by: AccessRole): Promise<void> {
    const holder = this.policy.revokeFloor(by);
    if (!holder) return;
    await this.#setMics(holder, true);
    this.#log(`floor revoked from ${holder}`);
    this.#changed();
  }

  /** Pauses or resumes the microphones of a site's conference PC. */
  async #setMics(site: string, paused: boolean): Promise<void> {
    const mics = this.peers()
      .filter((p) => p.site === site && p.role === 'site')
      .flatMap((p) => [...p.producers.values()].filter((e) => e.source === 'mic').map((e) => e.producer));
    for (const producer of mics) {
      if (paused) await producer.pause();
      else await producer.resume();
      this.#notifyAll('producer.paused', { producerId: producer.id, paused });
    }
  }

  dismiss(by: AccessRole, site: string): void {
    if (this.policy.dismiss(by, site)) this.#changed();
  }

  setLayout(by: AccessRole, change: Partial<MeetingLayout>): MeetingLayout {
    const layout = this.policy.setLayout(by, change);
    this.#changed();
    return layout;
  }

  chat(by: Peer, text: string): void {
    this.#notifyAll('chat.message', this.policy.chat(by, text));
  }

  invite(by: AccessRole, site: string): void {
    if (!this.policy.invite(by, site)) return;
    this.#log(`${site} invited`);
    this.#changed();
  }

  remove(by: AccessRole, site: string): void {
    for (const peer of this.policy.remove(by, site)) {
      peer.notify('peer.removed', { cause: 'removed', reason: 'removed from the meeting by the control centre' });
      this.#close(peer);
    }
    this.#log(`${site} removed`);
    this.#changed();
  }

  // ---- ending ------------------------------------------------------------------

  /** Tells every endpoint to continue on the other node, then closes here. */
  handOver(node: SfuNodeName): void {
    for (const peer of this.peers()) peer.notify('meeting.moved', { meetingId: this.id, node });
    this.close(`moved to the ${node} node`, false);
  }

  close(reason: string, tellPeers = true): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.peers()) {
      if (tellPeers) peer.notify('meeting.closed', { meetingId: this.id, reason });
      this.policy.depart(peer);
      peer.close();
    }
    this.media.close();
    this.#log(`closed: ${reason}`);
  }
}

export const newMeetingId = (): string => randomUUID().slice(0, 8);
