// E-mail from the NOC, opened once by the server: an incident's notifications
// to the directory's contacts (mail-recipients.ts), "chair informed" to the
// chairs, all through the outbox (retried, kept across restarts); the status
// and the one setting the admin page shows. Without NOC_SMTP_URL it says so
// at start and queues nothing.
import type { DatabaseSync } from 'node:sqlite';
import type { Incident, NotificationEvent } from '@noc/shared/incidents';
import { DEFAULT_MAIL_SETTINGS, mailSettingsSchema, type MailSettings, type MailStatus } from '@noc/shared/mail';
import type { Site } from '@noc/shared/sites';
import type { ContactStore } from '../directory/contact-store.ts';
import { smtpServerName, type MailConfig } from './mail-config.ts';
import { MailOutbox, type QueuedMail } from './mail-outbox.ts';
import { chairRecipients, incidentRecipients, MAILED_EVENTS } from './mail-recipients.ts';
import { renderMail, type MailContext } from './mail-templates.ts';
import { smtpSender, type SmtpSender } from './smtp-sender.ts';

export interface MailOptions {
  db: DatabaseSync;
  config: MailConfig;
  sites: ReadonlyMap<string, Site>;
  contacts: ContactStore;
  /** The dashboard's address for the links (NOC_PUBLIC_URL, else the server's own once it listens). */
  baseUrl: () => string;
  log?: (message: string) => void;
}

export class Mail {
  #db: DatabaseSync;
  #config: MailConfig;
  #sites: ReadonlyMap<string, Site>;
  #contacts: ContactStore;
  #baseUrl: () => string;
  #sender: SmtpSender | null = null;
  readonly outbox: MailOutbox | null = null;

  constructor(opts: MailOptions) {
    this.#db = opts.db;
    this.#config = opts.config;
    this.#sites = opts.sites;
    this.#contacts = opts.contacts;
    this.#baseUrl = opts.baseUrl;
    const log = opts.log ?? ((m: string) => console.warn(`[mail] ${m}`));
    if (opts.config.smtpUrl && opts.config.from) {
      this.#sender = smtpSender(opts.config.smtpUrl, opts.config.from);
      this.outbox = new MailOutbox(opts.db, { send: this.#sender.send, retryBaseMs: opts.config.retryMs, log });
    } else {
      log('e-mail is off: NOC_SMTP_URL is unset, so no message is sent');
    }
  }

  get configured(): boolean {
    return this.outbox !== null;
  }

  settings(): MailSettings {
    const row = this.#db.prepare("SELECT value FROM mail_settings WHERE key = 'settings'").get() as { value: string } | undefined;
    if (!row) return { ...DEFAULT_MAIL_SETTINGS };
    const parsed = mailSettingsSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : { ...DEFAULT_MAIL_SETTINGS };
  }

  setSettings(settings: MailSettings): void {
    this.#db
      .prepare("INSERT INTO mail_settings (key, value) VALUES ('settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(JSON.stringify(settings));
  }

  status(): MailStatus {
    return {
      configured: this.configured,
      server: this.#config.smtpUrl ? smtpServerName(this.#config.smtpUrl) : null,
      from: this.#config.from,
      settings: this.settings(),
      outbox: this.outbox?.list() ?? [],
    };
  }

  /** Queues an incident's notification for whoever the directory says; answers how many messages. */
  incident(event: NotificationEvent, incident: Incident): number {
    if (!this.outbox || !MAILED_EVENTS.includes(event)) return 0;
    const centre = new Set([...this.#sites.values()].filter((s) => s.role === 'main' || s.role === 'backup').map((s) => s.id));
    const to = incidentRecipients(event, incident, this.#contacts.list(), centre, this.settings());
    return this.#queue(to, { incident, site: this.#sites.get(incident.site), link: this.#link(incident), event });
  }

  /** The chairs get the incident's mail, with who told them and what they added. */
  chairInformed(incident: Incident, by: string, comment: string): number {
    if (!this.outbox) return 0;
    const to = chairRecipients(this.#contacts.list());
    return this.#queue(to, {
      incident,
      site: this.#sites.get(incident.site),
      link: this.#link(incident),
      event: 'chair-informed',
      note: { by, comment },
    });
  }

  start(): void {
    this.outbox?.start();
  }

  close(): void {
    this.outbox?.close();
    this.#sender?.close();
  }

  #link(incident: Incident): string {
    return `${this.#config.publicUrl ?? this.#baseUrl()}/incidents/${incident.id}`;
  }

  #queue(to: readonly string[], context: MailContext): number {
    if (!this.outbox || to.length === 0) return 0;
    const { subject, text } = renderMail(context);
    const kind = context.event === 'chair-informed' ? 'chair-informed' : 'incident';
    const mails: QueuedMail[] = to.map((recipient) => ({
      kind,
      incident: context.incident.id,
      event: context.event,
      recipient,
      subject,
      body: text,
    }));
    return this.outbox.queue(mails);
  }
}
