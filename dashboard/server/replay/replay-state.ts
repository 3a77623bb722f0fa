// Everything the wall (or one site's page) drew at a past moment, in one
// answer: the sites' samples and round-trip series from the sample store, the
// SFU nodes' states and the meetings from the replay log, the incidents open
// then from the incident store. A technician's answer holds its own site only
// (its meetings those its site was invited to, no topology).
import type { SessionUser } from '@noc/shared/auth';
import type { ReplayState } from '@noc/shared/replay';
import type { IncidentStore } from '../incidents/incident-store.ts';
import { visibleMeetings } from '../meetings-watch.ts';
import type { SampleStore } from '../store/store.ts';
import { incidentsAt } from './incidents-at.ts';
import type { ReplayLog } from './replay-log.ts';
import { readReplaySamples } from './replay-samples.ts';

export interface ReplaySources {
  store: SampleStore;
  incidents: IncidentStore;
  log: ReplayLog;
}

export async function replayState(src: ReplaySources, at: number, site: string | undefined, user: SessionUser): Promise<ReplayState> {
  const technician = user.role === 'technician';
  const sites = site !== undefined ? [site] : technician ? [user.site!] : null;
  const samples = await readReplaySamples(src.store, at, sites?.[0]);
  const meetings = src.log.meetingsAt(at);
  return {
    at,
    ...samples,
    topology: technician ? null : src.log.topologyAt(at),
    meetings: { since: meetings.since, meetings: visibleMeetings(user, meetings.meetings) },
    incidents: incidentsAt(src.incidents, at, sites),
  };
}
