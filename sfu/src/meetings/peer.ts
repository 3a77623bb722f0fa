// One signalling connection inside a meeting: who it is, and the mediasoup
// transports, producers and consumers it owns. It keeps its lists true by
// listening to mediasoup: a transport that closes (by itself or with its
// router) closes its producers and consumers, which leave the lists on their
// `transportclose`; a consumer whose producer closes leaves on `producerclose`,
// and the endpoint is told. Closing the peer closes its transports, and so
// everything it owns.
import type { types } from 'mediasoup';
import type { AccessClaims } from '@noc/shared/access-token';
import type { MediaSource, NotificationData, NotificationMethod } from '@noc/shared/meeting-protocol';
import { MeetingError } from './meeting-error.ts';
import { memberLabel, type Member } from './meeting-policy.ts';

export type TransportDirection = 'send' | 'recv';
/** WebRTC for the pages; plain RTP for load tests. */
export type TransportKind = 'webrtc' | 'plain';

export interface ProducerEntry {
  producer: types.Producer;
  source: MediaSource;
}

/** What the peer's transports carry in their appData. */
export interface TransportData extends types.AppData {
  direction: TransportDirection;
  kind: TransportKind;
  /** The router the transport is on. */
  routerId: string;
}

export type Notify = <M extends NotificationMethod>(method: M, data: NotificationData[M]) => void;

export class Peer implements Member {
  readonly id: string;
  readonly claims: AccessClaims;
  readonly notify: Notify;
  rtpCapabilities: types.RtpCapabilities | null = null;
  #transports = new Map<string, types.Transport<TransportData>>();
  #producers = new Map<string, ProducerEntry>();
  #consumers = new Map<string, types.Consumer>();
  #closed = false;

  constructor(id: string, claims: AccessClaims, notify: Notify) {
    this.id = id;
    this.claims = claims;
    this.notify = notify;
  }

  get role(): AccessClaims['role'] {
    return this.claims.role;
  }

  /** The site this peer acts for (site endpoints and seats). */
  get site(): string | null {
    return this.claims.site ?? null;
  }

  get name(): string | undefined {
    return this.claims.name;
  }

  get closed(): boolean {
    return this.#closed;
  }

  label(): string {
    return memberLabel(this);
  }

  get transports(): ReadonlyMap<string, types.Transport<TransportData>> {
    return this.#transports;
  }

  get producers(): ReadonlyMap<string, ProducerEntry> {
    return this.#producers;
  }

  get consumers(): ReadonlyMap<string, types.Consumer> {
    return this.#consumers;
  }

  // ---- taking ownership ------------------------------------------------------

  /** Refuses new objects once the peer has left: they are closed at once. */
  #adopt(object: { close(): void }): void {
    if (!this.#closed) return;
    object.close();
    throw new MeetingError('ended', 'this connection has left the meeting');
  }

  addTransport(transport: types.Transport<TransportData>): void {
    this.#adopt(transport);
    this.#transports.set(transport.id, transport);
    // Closed by the peer or with its router: either way it is gone, with what it carried.
    transport.observer.once('close', () => this.#transports.delete(transport.id));
  }

  /** Sends media on one of this peer's send transports. */
  async produce(transportId: string, options: types.ProducerOptions, source: MediaSource): Promise<types.Producer> {
    const transport = this.transport(transportId, 'send');
    const producer = await transport.produce(options);
    this.#adopt(producer);
    this.#producers.set(producer.id, { producer, source });
    producer.on('transportclose', () => this.#producers.delete(producer.id));
    return producer;
  }

  /** Receives a producer on one of this peer's receive transports (the transport already checked). */
  async consume(transport: types.Transport<TransportData>, options: types.ConsumerOptions): Promise<types.Consumer> {
    const consumer = await transport.consume(options);
    this.#adopt(consumer);
    this.#consumers.set(consumer.id, consumer);
    consumer.on('transportclose', () => this.#consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      this.#consumers.delete(consumer.id);
      this.notify('consumer.closed', { consumerId: consumer.id });
    });
    return consumer;
  }

  // ---- looking up ------------------------------------------------------------

  /** One of this peer's transports; with `direction`, one that goes that way. */
  transport(transportId: string, direction?: TransportDirection): types.Transport<TransportData> {
    const transport = this.#transports.get(transportId);
    if (!transport) throw new MeetingError('unknown-media', `no transport ${transportId} on this connection`, 'transportId');
    if (direction && transport.appData.direction !== direction) {
      throw new MeetingError(
        'bad-request',
        direction === 'send' ? 'this transport only receives' : 'this transport only sends',
        'transportId',
      );
    }
    return transport;
  }

  /** One of this peer's WebRTC transports. */
  webRtcTransport(transportId: string): types.WebRtcTransport<TransportData> {
    const transport = this.transport(transportId);
    if (transport.appData.kind !== 'webrtc') {
      throw new MeetingError('bad-request', 'this is a plain RTP transport: connect it with plain.connect', 'transportId');
    }
    return transport as types.WebRtcTransport<TransportData>;
  }

  /** One of this peer's plain RTP transports. */
  plainTransport(transportId: string): types.PlainTransport<TransportData> {
    const transport = this.transport(transportId);
    if (transport.appData.kind !== 'plain') {
      throw new MeetingError('bad-request', 'this is a WebRTC transport: connect it with transport.connect', 'transportId');
    }
    return transport as types.PlainTransport<TransportData>;
  }

  producer(producerId: string): ProducerEntry {
    const entry = this.#producers.get(producerId);
    if (!entry) throw new MeetingError('unknown-media', `no producer ${producerId} of this connection`, 'producerId');
    return entry;
  }

  consumer(consumerId: string): types.Consumer {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new MeetingError('unknown-media', `no consumer ${consumerId} on this connection`, 'consumerId');
    return consumer;
  }

  // ---- closing -----------------------------------------------------------------

  /** Stops one stream (its consumers elsewhere close on `producerclose`). */
  closeProducer(producerId: string): ProducerEntry {
    const entry = this.producer(producerId);
    entry.producer.close();
    this.#producers.delete(producerId);
    return entry;
  }

  /** Stops receiving one stream. */
  closeConsumer(consumerId: string): void {
    this.consumer(consumerId).close();
    this.#consumers.delete(consumerId);
  }

  /** Closes every transport, and with them every producer and consumer of this peer. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of [...this.#transports.values()]) transport.close();
  }
}
