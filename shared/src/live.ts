// Events of the live feed (`/api/live`, WebSocket), server to dashboard.
import type { Fields, Measurement, Tags } from './metrics.ts';
import type { Site } from './sites.ts';
import type { HealthReport } from './health.ts';

export interface LiveSample {
  site: string;
  measurement: Measurement;
  tags: Tags;
  fields: Fields;
  time: number;
}

export type LiveEvent =
  | { type: 'hello'; serverTime: number; sites: Site[] }
  | { type: 'samples'; samples: LiveSample[] }
  | { type: 'health'; health: HealthReport };

export type LiveEventType = LiveEvent['type'];
