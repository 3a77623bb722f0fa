// The readiness check before a meeting (Điều 8.2) as the API shows it: why a
// site is not ready, or was not checked (the codes the evaluation gives, with
// their figures as params, which the pages word in Vietnamese and English:
// i18n `readiness.reason.<code>`), a run of the check, the admin's settings,
// and the mark of a test-call meeting. Pure.
import { z } from 'zod';
import type { MeetingRecord } from './meeting.ts';

export const READINESS_REASON_CODES = [
  /** The test call could not be opened on the SFU (the NOC's side): the site was not checked. */
  'call-not-opened',
  /** The site's room did not join its test call. */
  'not-joined',
  /** No media figures came from the site in one direction (`direction`). */
  'no-media',
  'loss-high',
  'jitter-high',
  'fps-low',
  /** The sound's level stayed near silence (`direction`). */
  'audio-silent',
  'rtt-high',
  /** No power reading from the site's UPS lately. */
  'power-unknown',
  'on-battery',
  'battery-low',
  'runtime-short',
  /** No room reading lately. */
  'room-unknown',
  'temp-high',
  'humidity-high',
  /** An item of the site's pre-meeting checklist was found wrong (`item`, `note`). */
  'checklist-item',
  /** A big meeting (a tập huấn, or more attendees than the admin's size) with no capacity test before it. */
  'capacity-untested',
  /** The last capacity test before it did not hold (`run`, `failed`). */
  'capacity-failed',
] as const;
export type ReadinessReasonCode = (typeof READINESS_REASON_CODES)[number];

/** What the admin sets for the readiness check. */
export const readinessSettingsSchema = z.strictObject({
  /** A plan with more attendees in all than this needs a capacity test that held, like a tập huấn. */
  bigMeetingAttendees: z.number().int().min(1, 'must be at least 1').max(100_000, 'must be at most 100000'),
});
export type ReadinessSettings = z.infer<typeof readinessSettingsSchema>;

/** A readiness test call's meeting (the `testCall` mark the SFU keeps): not a real meeting of the sites it invites. */
export const isTestCallMeeting = (m: Pick<MeetingRecord, 'testCall'>): boolean => m.testCall === true;

/** Who the automatic run checks as. */
export const AUTOMATIC_CHECKER = 'tự động';

/** One run of the check for an occurrence: every invited site in turn. */
export interface ReadinessRun {
  id: number;
  occurrence: string;
  /** Started by the day-before schedule rather than by a person. */
  automatic: boolean;
  startedBy: string;
  startedAt: number;
  /** null while it runs. */
  endedAt: number | null;
  /** Why the run stopped short (the server stopped, the occurrence is gone). */
  error: string | null;
}

/** A plan occurrence's key in a path: `<planId>@<YYYY-MM-DD>` or `<planId>@once`. */
export const occurrenceParamsSchema = z.strictObject({
  occurrence: z.string().regex(/^[1-9]\d{0,15}@(once|\d{4}-\d{2}-\d{2})$/, 'must be an occurrence key such as "3@2026-12-25" or "3@once"'),
});
