// What a page does with media around a meeting: the room sends and receives,
// the control view only loads a device. The meeting client calls it as the
// meeting goes.
import type { types as mediasoupTypes } from 'mediasoup-client';
import type { NotificationData, ProducerInfo, ResponseData } from '@noc/shared/meeting-protocol';
import type { SignallingClient } from '@noc/shared/signalling-client';

export interface MeetingMedia {
  /** Loads a device for the meeting's router; answers the endpoint's receive capabilities. */
  load(routerRtpCapabilities: unknown): Promise<mediasoupTypes.RtpCapabilities>;
  /** After the join: transports, this endpoint's producers, consumers of the others'. */
  start(client: SignallingClient, joined: ResponseData['meeting.join']): Promise<void>;
  producerNew(info: ProducerInfo): void;
  producerPaused(data: NotificationData['producer.paused']): void;
  producerClosed(producerId: string): void;
  consumerClosed(consumerId: string): void;
  /** Out of the meeting: close transports, producers and consumers. */
  stop(): void;
}
