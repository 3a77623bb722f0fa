// What the routes share: built once by the server and handed to each route module.
import type { Site } from '@noc/shared/sites';
import type { HealthMonitor } from './health-monitor.ts';
import type { Heartbeats } from './heartbeats.ts';
import type { LiveFeed } from './live-feed.ts';
import type { SampleStore } from './store/store.ts';

export interface ServerContext {
  sites: ReadonlyMap<string, Site>;
  secret: Buffer;
  store: SampleStore;
  live: LiveFeed;
  heartbeats: Heartbeats;
  health: HealthMonitor;
}
