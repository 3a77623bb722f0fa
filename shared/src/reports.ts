// Reports on how the online rooms served (Điều 11.4: each centre's yearly
// report on the system's effectiveness), and the report of one meeting: the
// shapes the server builds and the page, the CSV and the PDF show. Pure.
import { z } from 'zod';
import type { MeetingKind } from './meeting.ts';
import type { ReadinessState } from './readiness.ts';
import type { RuleId } from './incidents.ts';

/** The first and last years a report may be asked for. */
export const REPORT_FIRST_YEAR = 2020;
export const REPORT_LAST_YEAR = 2100;

/** The files a report downloads as. */
export const REPORT_FORMATS = ['csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const format = z.enum(REPORT_FORMATS, { error: () => `must be one of ${REPORT_FORMATS.join(', ')}` });

const year = z
  .string()
  .regex(/^\d{4}$/, 'must be a year of four digits, e.g. 2026')
  .transform(Number)
  .refine((y) => y >= REPORT_FIRST_YEAR && y <= REPORT_LAST_YEAR, {
    error: `must be a year from ${REPORT_FIRST_YEAR} to ${REPORT_LAST_YEAR}`,
  });

/** `GET /api/reports/yearly?year=2026`, and the meetings of a year to pick one from. */
export const yearlyReportQuerySchema = z.strictObject({ year });
/** `GET /api/reports/yearly/export?year=2026&format=csv` */
export const yearlyExportQuerySchema = z.strictObject({ year, format });

const meetingFields = {
  occurrence: z.string().trim().min(1, 'must not be empty').max(120).optional(),
  meeting: z.string().trim().min(1, 'must not be empty').max(120).optional(),
};
const oneOf = {
  error: 'name exactly one of occurrence (a planned meeting) or meeting (an SFU meeting)',
  path: ['occurrence'],
};
const exactlyOne = (q: { occurrence?: string | undefined; meeting?: string | undefined }) =>
  (q.occurrence === undefined) !== (q.meeting === undefined);

/** `GET /api/reports/meeting?occurrence=<plan occurrence key>` or `?meeting=<SFU meeting id>`: one of the two. */
export const meetingReportQuerySchema = z.strictObject(meetingFields).refine(exactlyOne, oneOf);
/** `GET /api/reports/meeting/export?occurrence=…&format=pdf` */
export const meetingExportQuerySchema = z.strictObject({ ...meetingFields, format }).refine(exactlyOne, oneOf);

/** A meeting of a year, to pick for its report. */
export interface ReportMeetingEntry {
  occurrence: string | null;
  meeting: string | null;
  kind: MeetingKind;
  title: string;
  start: number;
  end: number;
  held: boolean;
}

/** Share of the minutes measured with the link up (or the power on mains), 0–100; null when no minute was measured. */
export interface Availability {
  pct: number | null;
  /** Minutes with a 1-minute mean in the windows. */
  minutes: number;
}

export interface ReadinessTally {
  ready: number;
  notReady: number;
  notChecked: number;
}

/** One centre's year. */
export interface SiteYear {
  site: string;
  /** Occurrences of the plans inviting the site. */
  planned: number;
  /** Of those, the ones an SFU meeting carried. */
  held: number;
  /** Of the held ones, those the site joined. */
  attended: number;
  plannedHours: number;
  /** Time the site was in the meetings it joined. */
  attendedHours: number;
  /** During the held meetings it was invited to. */
  link: Availability;
  power: Availability;
  incidents: { total: number; byRule: Partial<Record<RuleId, number>> };
  /** Mean minutes from opening to acknowledgement, and to resolution; null with none. */
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  readiness: ReadinessTally;
}

export interface MonthTally {
  /** 1–12 */
  month: number;
  planned: number;
  held: number;
}

export interface YearlyReport {
  year: number;
  /** The year's bounds in the plans' time zone, ms since the epoch: [from, to). */
  from: number;
  to: number;
  timeZone: string;
  generatedAt: number;
  sites: SiteYear[];
  /** The network's meetings (not per site): planned and held per month. */
  months: MonthTally[];
  meetings: { planned: number; held: number };
}

/** One invited site in one meeting. */
export interface MeetingSiteFigures {
  site: string;
  invited: boolean;
  /** Attendees the plan expects there. */
  expectedAttendees: number | null;
  attended: boolean;
  attendedMinutes: number;
  link: Availability;
  power: Availability;
  /** Means over the meeting of the link towards the SFU (1-minute means). */
  rttMs: number | null;
  lossPct: number | null;
  jitterMs: number | null;
  readiness: ReadinessState | null;
}

export interface MeetingReportIncident {
  id: number;
  site: string;
  rule: RuleId;
  severity: string;
  openedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
}

export interface MeetingReport {
  /** The plan's occurrence key, or null for an SFU meeting without a plan. */
  occurrence: string | null;
  /** The SFU meeting that carried it; null when none did. */
  meeting: string | null;
  kind: MeetingKind | null;
  title: string;
  chair: string | null;
  officialLetter: string | null;
  /** Planned (or, without a plan, carried) start and end, ms since the epoch. */
  start: number;
  end: number;
  held: boolean;
  timeZone: string;
  generatedAt: number;
  sites: MeetingSiteFigures[];
  incidents: MeetingReportIncident[];
}
