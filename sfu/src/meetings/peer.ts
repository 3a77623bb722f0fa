// One signalling connection inside a meeting: who it is, and the mediasoup
// transports, producers and consumers it owns. Closing it closes them all.
import type { types } from 'mediasoup';
import type { AccessClaims } from '@noc/shared/access-token';
import type { MediaSource, NotificationData, NotificationMethod } from '@noc/shared/meeting-protocol';

export interface ProducerEntry {
  producer: types.Producer;
  source: MediaSource;
}

export type Notify = <M extends NotificationMethod>(method: M, data: NotificationData[M]) => void;

export class Peer {
  readonly id: string;
  readonly claims: AccessClaims;
  readonly notify: Notify;
  rtpCapabilities: types.RtpCapabilities | null = null;
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, ProducerEntry>();
  readonly consumers = new Map<string, types.Consumer>();
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

  get closed(): boolean {
    return this.#closed;
  }

  label(): string {
    return this.site ? `${this.role}:${this.site}` : this.role;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Closing a transport closes its producers and consumers.
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}
