// Incidents: what the NOC raises, who works on it, and the API
// and live-feed shapes around it. One incident stands for one cause at one
// site (`rule`); it is opened when the rule's condition has held for its `for`
// duration and resolved when the recovery condition has held for its own.
import { z } from 'zod';
import { queryEpochMs, queryNumber } from './query-number.ts';

export const SEVERITIES = ['critical', 'major', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, warning: 2 };

/** The causes the NOC knows; each is one rule plugin on the server. */
export const RULE_IDS = [
  'siteOffline',
  'lossHigh',
  'rttHigh',
  'jitterHigh',
  'mosLow',
  'videoFrozen',
  'onBattery',
  'batteryLow',
  'upsLost',
  'tempHigh',
  'humidityHigh',
  'spoolGrowing',
  'sfuMainDown',
  'sfuBackupDown',
  'micWithoutFloor',
  'dialOutsidePolicy',
  'uninvitedJoin',
  'loadTestFailed',
  // ---- Readiness before a meeting (Điều 8.2) ----
  'notReady',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Causes that concern the link: a lost link (Điều 9.2) gets the ISP ticket and the "chair informed" step. */
export const LINK_RULES: readonly RuleId[] = ['siteOffline', 'lossHigh', 'rttHigh', 'jitterHigh', 'mosLow'];

export const INCIDENT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export type IncidentParams = Record<string, string | number>;

/** The meeting running at a moment, as an incident remembers it. */
export interface MeetingContext {
  id: string;
  title: string;
  kind: string;
  /** The site that had the floor. */
  floor: string | null;
}

/** The ISP ticket of a lost link (Điều 9.2: cause, fix and expected time, reported to the provider). */
export const ispTicketSchema = z.strictObject({
  provider: z.string().trim().min(1, 'must name the provider').max(80),
  ticket: z.string().trim().max(80).default(''),
  cause: z.string().trim().max(1000).default(''),
  fix: z.string().trim().max(1000).default(''),
  /** When the provider expects it fixed (ms since the epoch); null when they could not say. */
  expectedAt: z.number().int().min(0).max(8.64e15).nullable().default(null),
});
export type IspTicket = z.infer<typeof ispTicketSchema>;

export interface Incident {
  id: number;
  site: string;
  rule: RuleId;
  /** The highest severity it reached. */
  severity: Severity;
  state: IncidentState;
  /** The figures that made it, as last seen (fill the rule's message). */
  params: IncidentParams;
  openedAt: number;
  /** The condition was last seen holding. */
  lastSeenAt: number;
  /** Times it came back after an automatic resolution and was reopened. */
  reopenCount: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  /** A user, or null when it resolved itself. */
  resolvedBy: string | null;
  resolveCause: string | null;
  /** The incident whose cause explains this one (main SFU down, the site offline); not notified while set. */
  suppressedBy: number | null;
  /** The maintenance window it opened in: recorded, not notified. */
  maintenanceWindow: number | null;
  /** The meeting running when it opened. */
  meeting: MeetingContext | null;
  isp: IspTicket | null;
  chairInformedAt: number | null;
  chairInformedBy: string | null;
  /** A critical incident not acknowledged in time was escalated then. */
  escalatedAt: number | null;
  /** When the webhooks were first told of it since it last opened; null while it is only recorded. Its later changes are sent only once set. */
  announcedAt: number | null;
}

export const TIMELINE_KINDS = [
  'opened',
  'severity',
  'acknowledged',
  'comment',
  'resolved',
  'reopened',
  'suppressed',
  'unsuppressed',
  'evidence',
  'isp',
  'chair-informed',
  'escalated',
  'notified',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  id: number;
  incident: number;
  at: number;
  kind: TimelineKind;
  /** Who did it; null for the NOC itself. */
  by: string | null;
  text: string;
  data: Record<string, unknown> | null;
}

export interface IncidentDetail {
  incident: Incident;
  timeline: TimelineEntry[];
}

// ---- API bodies -------------------------------------------------------------

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const ackSchema = z.strictObject({ comment: z.string().trim().max(2000).default('') });
export const commentSchema = z.strictObject({ text: text(2000) });
export const resolveSchema = z.strictObject({ cause: text(1000) });
export const chairInformedSchema = z.strictObject({ comment: z.string().trim().max(2000).default('') });

/** `GET /api/incidents` query. */
export const incidentQuerySchema = z.strictObject({
  site: z.string().max(40).optional(),
  severity: z.enum(SEVERITIES).optional(),
  state: z.enum([...INCIDENT_STATES, 'active']).optional(),
  from: queryEpochMs.optional(),
  to: queryEpochMs.optional(),
  limit: queryNumber('a count').pipe(z.number().min(1).max(500)).default(200),
});
export type IncidentQuery = z.infer<typeof incidentQuerySchema>;

// ---- Maintenance windows ----------------------------------------------------

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM, e.g. "22:00"');

export const maintenanceInputSchema = z
  .strictObject({
    /** A site, or null for the whole network. */
    site: z.string().max(40).nullable(),
    reason: text(500),
    /** One stretch of time ... */
    startsAt: z.number().int().min(0).max(8.64e15).optional(),
    endsAt: z.number().int().min(0).max(8.64e15).optional(),
    /** ... or every week on these days (0 = Sunday … 6 = Saturday), from `start` for `durationMinutes`, local time. */
    weekly: z
      .strictObject({
        days: z
          .array(z.number().int().min(0, 'must be a weekday 0-6 (0 = Sunday)').max(6, 'must be a weekday 0-6 (0 = Sunday)'))
          .min(1, 'must list at least one day')
          .max(7),
        start: hhmm,
        durationMinutes: z
          .number()
          .int()
          .min(1, 'must be at least 1 minute')
          .max(24 * 60, 'must be at most 24 hours'),
      })
      .optional(),
  })
  .superRefine((w, ctx) => {
    const once = w.startsAt !== undefined || w.endsAt !== undefined;
    if (once === (w.weekly !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['weekly'], message: 'give either startsAt and endsAt, or weekly, not both' });
      return;
    }
    if (once) {
      if (w.startsAt === undefined) ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'is required with endsAt' });
      else if (w.endsAt === undefined) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'is required with startsAt' });
      else if (w.endsAt <= w.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    }
  });
export type MaintenanceInput = z.infer<typeof maintenanceInputSchema>;

export interface MaintenanceWindow extends MaintenanceInput {
  id: number;
  createdBy: string;
  createdAt: number;
}

// ---- Webhooks -----------------------------------------------------------------

const webhookFields = {
  name: text(80),
  url: z
    .string()
    .max(500)
    .refine((u) => /^https?:$/.test(URL.parse(u)?.protocol ?? ''), 'must be an http:// or https:// address'),
  /** The HMAC-SHA256 key of the signature header; at least 16 characters. */
  secret: z.string().min(16, 'must be at least 16 characters').max(200),
  /** Incidents of this severity and worse are sent. */
  minSeverity: z.enum(SEVERITIES),
  /** Also (or only) receives escalations of critical incidents not acknowledged in time. */
  escalation: z.boolean(),
  enabled: z.boolean(),
};
export const webhookInputSchema = z.strictObject({
  ...webhookFields,
  minSeverity: webhookFields.minSeverity.default('warning'),
  escalation: webhookFields.escalation.default(false),
  enabled: webhookFields.enabled.default(true),
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;
/** `PATCH /api/admin/webhooks/:id`: any subset, no defaults, so what is not given stays as it is. */
export const webhookPatchSchema = z.strictObject(webhookFields).partial();

export interface Webhook extends Omit<WebhookInput, 'secret'> {
  id: number;
  createdAt: number;
}

export const NOTIFICATION_EVENTS = [
  'opened',
  'reopened',
  'severity',
  'acknowledged',
  'resolved',
  'unsuppressed',
  'escalated',
  'test',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** What a webhook receives (JSON), signed in `X-NOC-Signature: sha256=<hex of HMAC(secret, "<timestamp>.<body>")>`. */
export interface WebhookPayload {
  event: NotificationEvent;
  /** Unique per delivery (the same on each retry of it). */
  deliveryId: number;
  sentAt: number;
  incident: Incident | null;
}

export interface WebhookDelivery {
  id: number;
  webhook: number;
  incident: number | null;
  event: NotificationEvent;
  attempts: number;
  state: 'pending' | 'delivered' | 'failed';
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
}

export const SIGNATURE_HEADER = 'x-noc-signature';
export const TIMESTAMP_HEADER = 'x-noc-timestamp';

/** One line of the audit log: who changed what. */
export interface AuditEntry {
  id: number;
  at: number;
  by: string | null;
  action: string;
  target: string;
  detail: unknown;
}
