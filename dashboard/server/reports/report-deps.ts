// What building a report needs, handed over by the server (or a benchmark).
import type { Site } from '@noc/shared/sites';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { SampleStore } from '../store/store.ts';
import type { MeetingHistory } from './meeting-history.ts';
import type { PlanSource, ReadinessSource } from './report-sources.ts';

export interface ReportDeps {
  sites: ReadonlyMap<string, Site>;
  store: SampleStore;
  plans: PlanSource;
  readiness: ReadinessSource;
  history: MeetingHistory;
  incidents: Pick<IncidentStore, 'openedBetween' | 'openDuring'>;
  now: () => number;
}
