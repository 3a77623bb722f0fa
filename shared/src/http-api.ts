// The NOC server's HTTP API, one table: each route's method, path, input
// schemas, answer type and who may call it. The server registers every route
// from it (dashboard/server/routes/) and the dashboard calls routes by name
// (dashboard/src/api.ts). Routes about one site also say which site on the
// server (their `site` scope), where the incidents and windows are known.
import { z } from 'zod';
import {
  ADMIN,
  INCIDENT_ACT,
  INCIDENT_NOTE,
  INCIDENT_READ,
  LOAD_TEST_RUN,
  MAINTENANCE_SET,
  PLAN_CALENDAR,
  PLAN_WRITE,
  READINESS_RUN,
  READINESS_SETTINGS,
  READINESS_VIEW,
  REPLAY_VIEW,
  REPORT_VIEW,
  RULES_EDIT,
  SIGNED_IN,
  // --- checklists
  CHECKLIST_TICK,
  READINESS_BOARD,
} from './access-roles.ts';
import { loadTestSettingsSchema, type LoadTestFigures, type LoadTestRun } from './load-test.ts';
import {
  displaySignInSchema,
  loginSchema,
  newDisplayTokenSchema,
  newUserSchema,
  userPatchSchema,
  type DisplayTokenRecord,
  type NewDisplayTokenAnswer,
  type SessionUser,
  type SignallingTokenAnswer,
  type UserRecord,
} from './auth.ts';
import { contactSchema, type DirectoryContact, type SiteProfile } from './directory.ts';
import { auditQuerySchema, type AuditPage } from './audit-query.ts';
import { mailSettingsSchema, type MailStatus } from './mail.ts';
import type { HealthReport } from './health.ts';
import { historyLastQuerySchema, historyQuerySchema, type HistoryAnswer, type HistoryLastAnswer } from './history-query.ts';
import { answer, routeTable, type AnswerOf } from './http-contract.ts';
import type { IncidentRules } from './incident-rules.ts';
import {
  ackSchema,
  chairInformedSchema,
  commentSchema,
  incidentQuerySchema,
  ispTicketSchema,
  maintenanceInputSchema,
  resolveSchema,
  webhookInputSchema,
  webhookPatchSchema,
  type Incident,
  type IncidentDetail,
  type MaintenanceWindow,
  type Webhook,
  type WebhookDelivery,
} from './incidents.ts';
import type { MeetingRecord } from './meeting.ts';
import {
  nextOccurrenceQuerySchema,
  occurrenceQuerySchema,
  planCalendarSchema,
  planInputSchema,
  type MeetingPlan,
  type PlanCalendar,
  type PlanOccurrence,
} from './meeting-plans.ts';
import { replayStateQuerySchema, type ReplayState } from './replay.ts';
import type { SiteReadiness } from './readiness.ts';
import { occurrenceParamsSchema, readinessSettingsSchema, type ReadinessRun, type ReadinessSettings } from './readiness-check.ts';
import type { Site } from './sites.ts';
// --- checklists
import { checklistInputSchema, checklistParamsSchema, type SavedChecklist, type SiteChecklists } from './checklists.ts';
import { timelineQuerySchema, type MeetingTimeline } from './meeting-timeline.ts';
import { readinessBoardQuerySchema, type ReadinessBoard } from './readiness-board.ts';
import {
  meetingExportQuerySchema,
  meetingReportQuerySchema,
  yearlyExportQuerySchema,
  yearlyReportQuerySchema,
  type MeetingReport,
  type ReportMeetingEntry,
  type YearlyReport,
} from './reports.ts';

/** A numeric `:id`: a positive whole number, or 400 naming `id` ("incident", "window" … say what it numbers). */
export const numericId = (what: string) =>
  z
    .string()
    .refine((raw) => /^[1-9][0-9]{0,15}$/.test(raw) && Number.isSafeInteger(Number(raw)), {
      error: (issue) => `"${String(issue.input)}" is not a ${what} number`,
    })
    .transform(Number);

const idOf = (what: string) => z.object({ id: numericId(what) });
const textParam = <K extends string>(name: K) => z.object({ [name]: z.string() } as Record<K, z.ZodString>);

/** What the dashboard app needs to know about the deployment: where the SFU's signalling is. */
export interface ClientConfig {
  /** The main node's signalling. */
  signallingUrl: string;
  /** Both nodes: endpoints move to the backup when the main stops answering. */
  signallingUrls: { main: string; backup: string | null };
}

export interface IngestAnswer {
  accepted: number;
  /** The sender: an SFU node, or the site of a probe or room page. */
  node?: 'main' | 'backup';
  site?: string;
}

export interface RulesAnswer {
  rules: IncidentRules;
  /** The file the settings came from. */
  source: string;
}

export const nocApi = routeTable({
  health: {
    method: 'GET',
    path: '/api/health',
    access: { public: 'liveness probe without site data' },
    answer: answer<HealthReport>(),
  },
  ingest: {
    method: 'POST',
    path: '/api/ingest',
    access: { public: 'senders prove who they are with their own tokens' },
    // Which schema applies depends on the sender's token (routes/ingest.ts).
    body: z.unknown(),
    status: 202,
    answer: answer<IngestAnswer>(),
  },
  'auth.login': {
    method: 'POST',
    path: '/api/auth/login',
    access: { public: 'signing in' },
    body: loginSchema,
    invalid: 'invalid sign-in',
    answer: answer<{ user: SessionUser }>(),
  },
  'auth.display': {
    method: 'POST',
    path: '/api/auth/display',
    access: { public: 'a wall screen signing in with its display token' },
    body: displaySignInSchema,
    invalid: 'invalid display sign-in',
    answer: answer<{ user: SessionUser }>(),
  },
  'auth.logout': {
    method: 'POST',
    path: '/api/auth/logout',
    access: { public: 'signing out needs nothing but the cookie' },
    status: 204,
    answer: answer<void>(),
  },
  'auth.me': { method: 'GET', path: '/api/auth/me', access: { roles: SIGNED_IN }, answer: answer<{ user: SessionUser }>() },
  'auth.signallingToken': {
    method: 'GET',
    path: '/api/auth/signalling-token',
    access: { roles: SIGNED_IN },
    query: z.strictObject({ meeting: z.string().min(1).max(64).optional() }),
    invalid: 'invalid signalling-token query',
    answer: answer<SignallingTokenAnswer>(),
  },
  config: {
    method: 'GET',
    path: '/api/config',
    access: { roles: SIGNED_IN, accessToken: true },
    answer: answer<ClientConfig>(),
  },
  sites: {
    method: 'GET',
    path: '/api/sites',
    // The registry is the network's public list of points (names and roles, no data): a room names the other sites of its meeting.
    access: { roles: SIGNED_IN, accessToken: true },
    answer: answer<{ sites: Site[] }>(),
  },
  'sites.profile': {
    method: 'GET',
    path: '/api/sites/:id/profile',
    access: { roles: SIGNED_IN },
    params: textParam('id'),
    answer: answer<SiteProfile>(),
  },
  history: {
    method: 'GET',
    path: '/api/history',
    access: { roles: SIGNED_IN },
    query: historyQuerySchema,
    invalid: 'invalid history query',
    answer: answer<HistoryAnswer>(),
  },
  'history.last': {
    method: 'GET',
    path: '/api/history/last',
    access: { roles: SIGNED_IN },
    query: historyLastQuerySchema,
    invalid: 'invalid history query',
    answer: answer<HistoryLastAnswer>(),
  },
  /** Everything the wall (or one site's page) drew at a past moment (a technician names its own site). */
  'replay.state': {
    method: 'GET',
    path: '/api/replay/state',
    access: { roles: REPLAY_VIEW },
    query: replayStateQuerySchema,
    invalid: 'invalid replay query',
    answer: answer<ReplayState>(),
  },
  meetings: { method: 'GET', path: '/api/meetings', access: { roles: SIGNED_IN }, answer: answer<{ meetings: MeetingRecord[] }>() },
  live: { method: 'GET', path: '/api/live', access: { roles: SIGNED_IN }, websocket: true, answer: answer<void>() },
  'users.list': { method: 'GET', path: '/api/admin/users', access: { roles: ADMIN }, answer: answer<{ users: UserRecord[] }>() },
  'users.create': {
    method: 'POST',
    path: '/api/admin/users',
    access: { roles: ADMIN },
    body: newUserSchema,
    invalid: 'invalid user',
    status: 201,
    answer: answer<{ user: UserRecord }>(),
  },
  'users.update': {
    method: 'PATCH',
    path: '/api/admin/users/:username',
    access: { roles: ADMIN },
    params: textParam('username'),
    body: userPatchSchema,
    invalid: 'invalid change',
    answer: answer<{ user: UserRecord }>(),
  },
  'users.delete': {
    method: 'DELETE',
    path: '/api/admin/users/:username',
    access: { roles: ADMIN },
    params: textParam('username'),
    status: 204,
    answer: answer<void>(),
  },
  'displayTokens.list': {
    method: 'GET',
    path: '/api/admin/display-tokens',
    access: { roles: ADMIN },
    answer: answer<{ tokens: DisplayTokenRecord[] }>(),
  },
  'displayTokens.create': {
    method: 'POST',
    path: '/api/admin/display-tokens',
    access: { roles: ADMIN },
    body: newDisplayTokenSchema,
    invalid: 'invalid display token',
    status: 201,
    answer: answer<NewDisplayTokenAnswer>(),
  },
  'displayTokens.revoke': {
    method: 'DELETE',
    path: '/api/admin/display-tokens/:id',
    access: { roles: ADMIN },
    params: textParam('id'),
    status: 204,
    answer: answer<void>(),
  },
  incidents: {
    method: 'GET',
    path: '/api/incidents',
    access: { roles: INCIDENT_READ },
    query: incidentQuerySchema,
    invalid: 'invalid query',
    answer: answer<{ incidents: Incident[] }>(),
  },
  'incidents.detail': {
    method: 'GET',
    path: '/api/incidents/:id',
    access: { roles: INCIDENT_READ },
    params: idOf('incident'),
    answer: answer<IncidentDetail>(),
  },
  'incidents.ack': {
    method: 'POST',
    path: '/api/incidents/:id/ack',
    access: { roles: INCIDENT_ACT },
    params: idOf('incident'),
    body: ackSchema,
    invalid: 'invalid acknowledgement',
    answer: answer<{ incident: Incident }>(),
  },
  'incidents.comment': {
    method: 'POST',
    path: '/api/incidents/:id/comments',
    access: { roles: INCIDENT_NOTE },
    params: idOf('incident'),
    body: commentSchema,
    invalid: 'invalid comment',
    status: 201,
    answer: answer<{ incident: Incident }>(),
  },
  'incidents.resolve': {
    method: 'POST',
    path: '/api/incidents/:id/resolve',
    access: { roles: INCIDENT_ACT },
    params: idOf('incident'),
    body: resolveSchema,
    invalid: 'invalid resolution',
    answer: answer<{ incident: Incident }>(),
  },
  'incidents.isp': {
    method: 'PUT',
    path: '/api/incidents/:id/isp',
    access: { roles: INCIDENT_ACT },
    params: idOf('incident'),
    body: ispTicketSchema,
    invalid: 'invalid ISP ticket',
    answer: answer<{ incident: Incident }>(),
  },
  'incidents.chairInformed': {
    method: 'POST',
    path: '/api/incidents/:id/chair-informed',
    access: { roles: INCIDENT_NOTE },
    params: idOf('incident'),
    body: chairInformedSchema,
    invalid: 'invalid note',
    answer: answer<{ incident: Incident }>(),
  },
  'maintenance.list': {
    method: 'GET',
    path: '/api/maintenance-windows',
    access: { roles: SIGNED_IN },
    answer: answer<{ windows: MaintenanceWindow[] }>(),
  },
  'maintenance.create': {
    method: 'POST',
    path: '/api/maintenance-windows',
    access: { roles: MAINTENANCE_SET },
    body: maintenanceInputSchema,
    invalid: 'invalid maintenance window',
    status: 201,
    answer: answer<{ window: MaintenanceWindow }>(),
  },
  'maintenance.end': {
    method: 'DELETE',
    path: '/api/maintenance-windows/:id',
    access: { roles: MAINTENANCE_SET },
    params: idOf('window'),
    answer: answer<{ window: MaintenanceWindow }>(),
  },
  'rules.get': { method: 'GET', path: '/api/incident-rules', access: { roles: SIGNED_IN }, answer: answer<RulesAnswer>() },
  'rules.replace': {
    method: 'PUT',
    path: '/api/incident-rules',
    access: { roles: RULES_EDIT },
    // Checked whole by the rules' own validation (incident-rules.ts), which names the field.
    body: z.unknown(),
    answer: answer<RulesAnswer>(),
  },
  'webhooks.list': { method: 'GET', path: '/api/admin/webhooks', access: { roles: ADMIN }, answer: answer<{ webhooks: Webhook[] }>() },
  'webhooks.create': {
    method: 'POST',
    path: '/api/admin/webhooks',
    access: { roles: ADMIN },
    body: webhookInputSchema,
    invalid: 'invalid webhook',
    status: 201,
    answer: answer<{ webhook: Webhook }>(),
  },
  'webhooks.update': {
    method: 'PATCH',
    path: '/api/admin/webhooks/:id',
    access: { roles: ADMIN },
    params: idOf('webhook'),
    body: webhookPatchSchema,
    invalid: 'invalid change',
    answer: answer<{ webhook: Webhook }>(),
  },
  'webhooks.delete': {
    method: 'DELETE',
    path: '/api/admin/webhooks/:id',
    access: { roles: ADMIN },
    params: idOf('webhook'),
    status: 204,
    answer: answer<void>(),
  },
  'webhooks.deliveries': {
    method: 'GET',
    path: '/api/admin/webhooks/:id/deliveries',
    access: { roles: ADMIN },
    params: idOf('webhook'),
    answer: answer<{ deliveries: WebhookDelivery[] }>(),
  },
  'webhooks.test': {
    method: 'POST',
    path: '/api/admin/webhooks/:id/test',
    access: { roles: ADMIN },
    params: idOf('webhook'),
    status: 202,
    answer: answer<{ queued: number }>(),
  },
  'loadTests.list': {
    method: 'GET',
    path: '/api/load-tests',
    access: { roles: LOAD_TEST_RUN },
    answer: answer<{ runs: LoadTestRun[] }>(),
  },
  /** A run with the figures it reported so far (the live view polls this while the run lasts). */
  'loadTests.get': {
    method: 'GET',
    path: '/api/load-tests/:id',
    access: { roles: LOAD_TEST_RUN },
    params: idOf('load test'),
    answer: answer<{ run: LoadTestRun; figures: LoadTestFigures[] }>(),
  },
  'loadTests.start': {
    method: 'POST',
    path: '/api/load-tests',
    access: { roles: LOAD_TEST_RUN },
    body: loadTestSettingsSchema,
    invalid: 'invalid load test',
    status: 201,
    answer: answer<{ run: LoadTestRun }>(),
  },
  'loadTests.stop': {
    method: 'POST',
    path: '/api/load-tests/:id/stop',
    access: { roles: LOAD_TEST_RUN },
    params: idOf('load test'),
    answer: answer<{ run: LoadTestRun }>(),
  },
  // ---- E-mail, the editable directory, the audit log (admins) ----
  audit: {
    method: 'GET',
    path: '/api/admin/audit',
    access: { roles: ADMIN },
    query: auditQuerySchema,
    invalid: 'invalid audit query',
    answer: answer<AuditPage>(),
  },
  'mail.status': { method: 'GET', path: '/api/admin/mail', access: { roles: ADMIN }, answer: answer<MailStatus>() },
  'mail.settings': {
    method: 'PUT',
    path: '/api/admin/mail/settings',
    access: { roles: ADMIN },
    body: mailSettingsSchema,
    invalid: 'invalid mail settings',
    answer: answer<MailStatus>(),
  },
  'directory.list': {
    method: 'GET',
    path: '/api/admin/directory',
    access: { roles: ADMIN },
    answer: answer<{ contacts: DirectoryContact[] }>(),
  },
  'directory.create': {
    method: 'POST',
    path: '/api/admin/directory',
    access: { roles: ADMIN },
    body: contactSchema,
    invalid: 'invalid contact',
    status: 201,
    answer: answer<{ contact: DirectoryContact }>(),
  },
  'directory.update': {
    method: 'PUT',
    path: '/api/admin/directory/:id',
    access: { roles: ADMIN },
    params: idOf('contact'),
    body: contactSchema,
    invalid: 'invalid contact',
    answer: answer<{ contact: DirectoryContact }>(),
  },
  'directory.delete': {
    method: 'DELETE',
    path: '/api/admin/directory/:id',
    access: { roles: ADMIN },
    params: idOf('contact'),
    status: 204,
    answer: answer<void>(),
  },
  // ---- Meeting plans (Điều 7) ----
  /** Every plan (a technician: those inviting its site). */
  'plans.list': { method: 'GET', path: '/api/plans', access: { roles: SIGNED_IN }, answer: answer<{ plans: MeetingPlan[] }>() },
  'plans.create': {
    method: 'POST',
    path: '/api/plans',
    access: { roles: PLAN_WRITE },
    body: planInputSchema,
    invalid: 'invalid plan',
    status: 201,
    answer: answer<{ plan: MeetingPlan }>(),
  },
  'plans.update': {
    method: 'PUT',
    path: '/api/plans/:id',
    access: { roles: PLAN_WRITE },
    params: idOf('plan'),
    body: planInputSchema,
    invalid: 'invalid plan',
    answer: answer<{ plan: MeetingPlan }>(),
  },
  'plans.delete': {
    method: 'DELETE',
    path: '/api/plans/:id',
    access: { roles: PLAN_WRITE },
    params: idOf('plan'),
    status: 204,
    answer: answer<void>(),
  },
  /** Occurrences overlapping [from, to), by start (a technician: those inviting its site). */
  'plans.occurrences': {
    method: 'GET',
    path: '/api/plans/occurrences',
    access: { roles: SIGNED_IN },
    query: occurrenceQuerySchema,
    invalid: 'invalid occurrences query',
    answer: answer<{ occurrences: PlanOccurrence[] }>(),
  },
  /** The next planned meeting (the wall's "next meeting", also at a replayed moment; a technician: one inviting its site). */
  'plans.next': {
    method: 'GET',
    path: '/api/plans/next',
    access: { roles: SIGNED_IN },
    query: nextOccurrenceQuerySchema,
    invalid: 'invalid next-meeting query',
    answer: answer<{ occurrence: PlanOccurrence | null }>(),
  },
  'plans.calendar': {
    method: 'GET',
    path: '/api/plans/calendar',
    access: { roles: PLAN_CALENDAR },
    answer: answer<{ calendar: PlanCalendar }>(),
  },
  'plans.setCalendar': {
    method: 'PUT',
    path: '/api/plans/calendar',
    access: { roles: PLAN_CALENDAR },
    body: planCalendarSchema,
    invalid: 'invalid calendar',
    answer: answer<{ calendar: PlanCalendar }>(),
  },
  // ---- Readiness before a meeting (Điều 8.2) ----
  /** Every invited site's readiness for an occurrence (a technician: its own site's), and the latest run of the check. */
  'readiness.get': {
    method: 'GET',
    path: '/api/readiness/:occurrence',
    access: { roles: READINESS_VIEW },
    params: occurrenceParamsSchema,
    answer: answer<{ occurrence: PlanOccurrence; sites: SiteReadiness[]; run: ReadinessRun | null; running: boolean }>(),
  },
  /** Checks every invited site now (after any check already going): 202 with the run; 404 for no such occurrence, 409 when it is over or already being checked. */
  'readiness.run': {
    method: 'POST',
    path: '/api/readiness/:occurrence/run',
    access: { roles: READINESS_RUN },
    params: occurrenceParamsSchema,
    status: 202,
    answer: answer<{ run: ReadinessRun }>(),
  },
  'readiness.settings': {
    method: 'GET',
    path: '/api/readiness-settings',
    access: { roles: READINESS_RUN },
    answer: answer<{ settings: ReadinessSettings }>(),
  },
  'readiness.setSettings': {
    method: 'PUT',
    path: '/api/readiness-settings',
    access: { roles: READINESS_SETTINGS },
    body: readinessSettingsSchema,
    invalid: 'invalid readiness settings',
    answer: answer<{ settings: ReadinessSettings }>(),
  },
  // --- checklists: the sites' checklists, the readiness board, the meetings' timelines
  /** A site's checklist for an occurrence (a technician its own site's). */
  'checklists.get': {
    method: 'GET',
    path: '/api/checklists/:occurrence/:site/:kind',
    access: { roles: SIGNED_IN },
    params: checklistParamsSchema,
    answer: answer<{ occurrence: PlanOccurrence; checklist: SavedChecklist | null }>(),
  },
  /** Ticks it: the site's own technician, or an admin or operator acting for the site. */
  'checklists.save': {
    method: 'PUT',
    path: '/api/checklists/:occurrence/:site/:kind',
    access: { roles: CHECKLIST_TICK },
    params: checklistParamsSchema,
    body: checklistInputSchema,
    invalid: 'invalid checklist',
    answer: answer<{ checklist: SavedChecklist }>(),
  },
  /** The site page's checklists: the next meeting inviting the site, and the last one's shutdown checklist. */
  'checklists.site': {
    method: 'GET',
    path: '/api/sites/:id/checklists',
    access: { roles: SIGNED_IN },
    params: textParam('id'),
    answer: answer<SiteChecklists>(),
  },
  'readiness.board': {
    method: 'GET',
    path: '/api/readiness-board',
    access: { roles: READINESS_BOARD },
    query: readinessBoardQuerySchema,
    invalid: 'invalid board query',
    answer: answer<ReadinessBoard>(),
  },
  timeline: {
    method: 'GET',
    path: '/api/timeline',
    access: { roles: READINESS_BOARD },
    query: timelineQuerySchema,
    invalid: 'invalid timeline query',
    answer: answer<MeetingTimeline>(),
  },
  // ---- reports: the yearly report (Điều 11.4) and the report of one meeting; files as CSV or PDF ----
  'reports.yearly': {
    method: 'GET',
    path: '/api/reports/yearly',
    access: { roles: REPORT_VIEW },
    query: yearlyReportQuerySchema,
    invalid: 'invalid report',
    answer: answer<{ report: YearlyReport }>(),
  },
  /** The file's bytes (text/csv with a BOM, or application/pdf) as a download. */
  'reports.yearlyExport': {
    method: 'GET',
    path: '/api/reports/yearly/export',
    access: { roles: REPORT_VIEW },
    query: yearlyExportQuerySchema,
    invalid: 'invalid report',
    answer: answer<string>(),
  },
  'reports.meetings': {
    method: 'GET',
    path: '/api/reports/meetings',
    access: { roles: REPORT_VIEW },
    query: yearlyReportQuerySchema,
    invalid: 'invalid report',
    answer: answer<{ meetings: ReportMeetingEntry[] }>(),
  },
  'reports.meeting': {
    method: 'GET',
    path: '/api/reports/meeting',
    access: { roles: REPORT_VIEW },
    query: meetingReportQuerySchema,
    invalid: 'invalid report',
    answer: answer<{ report: MeetingReport }>(),
  },
  'reports.meetingExport': {
    method: 'GET',
    path: '/api/reports/meeting/export',
    access: { roles: REPORT_VIEW },
    query: meetingExportQuerySchema,
    invalid: 'invalid report',
    answer: answer<string>(),
  },
});

export type NocApi = typeof nocApi;
export type NocRoute = keyof NocApi;
export type NocAnswer<N extends NocRoute> = AnswerOf<NocApi[N]>;
