// The timeline of a meeting, during and after it: sites joining and dropping
// out, the floor granted and taken back, and the incidents of the invited
// sites, placed in time. Joins, drops and floor changes are what the NOC saw
// on the SFU nodes; incidents come from the incident store.
import { z } from 'zod';
import type { Severity, RuleId } from './incidents.ts';
import type { PlanOccurrence } from './meeting-plans.ts';

/** What the NOC records of a meeting on the SFU. */
export const MEETING_EVENT_TYPES = ['meeting-opened', 'meeting-closed', 'join', 'drop', 'floor', 'floor-released'] as const;
export type MeetingEventType = (typeof MEETING_EVENT_TYPES)[number];

export interface MeetingEvent {
  at: number;
  type: MeetingEventType;
  /** The SFU meeting's id. */
  meeting: string;
  /** The site that joined, dropped out or got the floor; null for the meeting's own events. */
  site: string | null;
  /** Seats of the site present when it joined (0: the room's endpoint only). */
  seats?: number;
}

export interface IncidentMark {
  at: number;
  type: 'incident-opened' | 'incident-resolved';
  site: string;
  incident: number;
  rule: RuleId;
  severity: Severity;
}

export type TimelineEntry = MeetingEvent | IncidentMark;

export interface MeetingTimeline {
  occurrence: PlanOccurrence;
  /** The stretch shown: a while before the start to a while after the end (or now, while it runs). */
  from: number;
  to: number;
  /** The SFU meetings found for it (the plan's meeting, by invited sites and time). */
  meetings: string[];
  entries: TimelineEntry[];
}

export const timelineQuerySchema = z.strictObject({
  occurrence: z.string().min(1, 'must name an occurrence').max(80, 'must be at most 80 characters'),
});
