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
import type { Readiness } from './readiness/readiness.ts';
import type { ReplayLog } from './replay/replay-log.ts';
import type { SampleStore } from './store/store.ts';
import type { ContactStore } from './directory/contact-store.ts';
import type { Mail } from './mail/mail.ts';
// --- checklists
import type { Checklists } from './checklists/checklists.ts';
import type { MeetingEvents } from './checklists/meeting-events.ts';
import type { Reports } from './reports/reports.ts';

export interface ServerContext {
  sites: ReadonlyMap<string, Site>;
  /** The equipment from the directory file; the contacts read from `contacts` (the state database) each time. */
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
  // ---- E-mail and the editable directory ----
  /** The directory's contacts, editable by admins (seeded once from the directory file). */
  contacts: ContactStore;
  mail: Mail;
  // ---- Meeting plans (Điều 7) ----
  /** The plans, their calendar and occurrences: `occurrences(from, to)`, `occurrence(key)`, `calendar()`. */
  plans: Plans;
  // ---- Readiness before a meeting (Điều 8.2) ----
  /** The readiness checks: `forOccurrence(key)`, `between(from, to)`, `runNow(key, by)`. */
  readiness: Readiness;
  // --- checklists
  /** The sites' pre-meeting and shutdown checklists per occurrence. */
  checklists: Checklists;
  /** Joins, drops and floor changes of the meetings, as the SFU nodes showed them. */
  meetingEvents: MeetingEvents;
  // ---- reports ----
  /** The yearly and per-meeting reports, and the history of the SFU's meetings they read. */
  reports: Reports;
}
