// Puts the layer chosen for each camera consumer (camera-layers.ts) into
// mediasoup: the preferred spatial layer and the priority, asked only when they
// change. mediasoup answers in order, so the last asked holds.
import type { types } from 'mediasoup';
import type { LayerChoice } from './camera-layers.ts';

/** What a camera consumer carries to have its simulcast layer chosen. */
export interface CameraConsumerData {
  site: string;
  source: 'camera';
  /** The spatial layers the camera sends (its simulcast encodings). */
  spatialLayers: number;
}

/** The camera a consumer carries, when it is a simulcast camera. */
export function cameraOf(consumer: types.Consumer): CameraConsumerData | null {
  const data = consumer.appData as Partial<CameraConsumerData>;
  return consumer.type === 'simulcast' && data.source === 'camera' && data.site && data.spatialLayers ? (data as CameraConsumerData) : null;
}

export class ConsumerLayers {
  /** The layer and priority last asked of each camera consumer. */
  #asked = new WeakMap<types.Consumer, LayerChoice>();
  #log: (msg: string) => void;

  constructor(log: (msg: string) => void) {
    this.#log = log;
  }

  /** Notes what a consumer was created with (its preferred layer; its priority as mediasoup set it). */
  created(consumer: types.Consumer, spatialLayer: number): void {
    this.#asked.set(consumer, { spatialLayer, priority: consumer.priority });
  }

  async set(consumer: types.Consumer, choice: LayerChoice): Promise<void> {
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
}
