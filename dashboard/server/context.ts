// What the routes share: built once by the server and handed to each route module.
import type { Directory } from '@noc/shared/directory';
import type { Site } from '@noc/shared/sites';
import type { Auth } from './auth/auth.ts';
import type { HealthMonitor } from './health-monitor.ts';
import type { Incidents } from './incidents/incidents.ts';
import type { Heartbeats } from './heartbeats.ts';
import type { LiveFeed } from './live-feed.ts';
import type { LoadTests } from './load-tests/load-tests.ts';
import type { MeetingsWatch } from './meetings-watch.ts';
import type { Plans } from './plans/plans.ts';
import type { ReplayLog } from './replay/replay-log.ts';
import type { SampleStore } from './store/store.ts';
import type { Reports } from './reports/reports.ts';

export interface ServerContext {
  sites: ReadonlyMap<string, Site>;
  directory: Directory;
  secret: Buffer;
  store: SampleStore;
  live: LiveFeed;
  heartbeats: Heartbeats;
  health: HealthMonitor;
  auth: Auth;
  meetings: MeetingsWatch;
  incidents: Incidents;
  loadTests: LoadTests;
  /** Meetings and SFU node states as they changed, for replays. */
  replayLog: ReplayLog;
  // ---- Meeting plans (Điều 7) ----
  /** The plans, their calendar and occurrences: `occurrences(from, to)`, `occurrence(key)`, `calendar()`. */
  plans: Plans;
  // ---- reports ----
  /** The yearly and per-meeting reports, and the history of the SFU's meetings they read. */
  reports: Reports;
}
