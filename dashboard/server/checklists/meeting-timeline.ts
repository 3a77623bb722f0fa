// The timeline of an occurrence: from half an hour before its start to half
// an hour after its end (or now, while it runs), the recorded joins, drops and
// floor changes of the SFU meeting opened for its plan and of those its invited
// sites were in, and the
// incidents of those sites opened or resolved meanwhile.
import type { Incident } from '@noc/shared/incidents';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import type { IncidentMark, MeetingTimeline, TimelineEntry } from '@noc/shared/meeting-timeline';
import type { MeetingEvents } from './meeting-events.ts';

/** The timeline reaches this far either side of the occurrence. */
export const TIMELINE_MARGIN_MS = 30 * 60_000;

export interface TimelineSources {
  events: MeetingEvents;
  /** The SFU meeting the plan's opener opened for the occurrence, if it did. */
  plannedMeeting: (occurrence: string) => string | null;
  /** The incidents of these sites open at some time in [from, to]. */
  incidents: (from: number, to: number, sites: readonly string[]) => Incident[];
}

export function meetingTimeline({ events, plannedMeeting, incidents }: TimelineSources, o: PlanOccurrence, now: number): MeetingTimeline {
  const from = o.start - TIMELINE_MARGIN_MS;
  const to = Math.min(o.end + TIMELINE_MARGIN_MS, Math.max(now, from));
  const invited = new Set(o.invitedSites);
  const recorded = events.between(from, to);
  // The SFU meetings of the occurrence: the one opened for its plan, and those an invited site joined in its stretch.
  const planned = plannedMeeting(o.key);
  const joined = recorded.filter((e) => e.type === 'join' && e.site !== null && invited.has(e.site)).map((e) => e.meeting);
  const meetings = [...new Set([...(planned ? [planned] : []), ...joined])];
  const ofMeetings = recorded.filter((e) => meetings.includes(e.meeting));
  const marks: IncidentMark[] = [];
  for (const i of incidents(from, to, o.invitedSites)) {
    const base = { site: i.site, incident: i.id, rule: i.rule, severity: i.severity };
    if (i.openedAt >= from && i.openedAt <= to) marks.push({ at: i.openedAt, type: 'incident-opened', ...base });
    if (i.resolvedAt !== null && i.resolvedAt >= from && i.resolvedAt <= to)
      marks.push({ at: i.resolvedAt, type: 'incident-resolved', ...base });
  }
  const entries: TimelineEntry[] = [...ofMeetings, ...marks].sort((a, b) => a.at - b.at);
  return { occurrence: o, from, to, meetings, entries };
}
