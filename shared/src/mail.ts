// E-mail from the NOC: what the admin page shows of the mail set-up and its
// outbox, and the one setting an admin changes (from which severity the
// control centre's contacts get every site's incidents).
import { z } from 'zod';
import { SEVERITIES, type Severity } from './incidents.ts';

export const MAIL_STATES = ['pending', 'sent', 'failed'] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** What a message in the outbox is about. */
export const MAIL_KINDS = ['incident', 'chair-informed'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** One message to one recipient, kept until sent or given up (retried with backoff, across restarts). */
export interface MailOutboxEntry {
  id: number;
  kind: MailKind;
  incident: number | null;
  /** The notification it carries (opened, escalated, resolved …), or `chair-informed`. */
  event: string;
  recipient: string;
  subject: string;
  attempts: number;
  state: MailState;
  lastError: string | null;
  createdAt: number;
  nextAttemptAt: number | null;
  sentAt: number | null;
}

export const mailSettingsSchema = z.strictObject({
  /** The control centre's contacts get every site's incidents from this severity up (their own sites' always). */
  controlMinSeverity: z.enum(SEVERITIES),
});
export type MailSettings = z.infer<typeof mailSettingsSchema>;

export const DEFAULT_MAIL_SETTINGS: MailSettings = { controlMinSeverity: 'major' satisfies Severity };

/** `GET /api/admin/mail` */
export interface MailStatus {
  /** False: NOC_SMTP_URL is unset and no mail is sent (nothing is queued either). */
  configured: boolean;
  /** The SMTP server as host:port (never its credentials). */
  server: string | null;
  from: string | null;
  settings: MailSettings;
  /** Newest first. */
  outbox: MailOutboxEntry[];
}
