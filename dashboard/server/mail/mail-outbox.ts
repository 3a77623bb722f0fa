// The e-mail outbox (state database): one row per message and recipient,
// written in the same step as what caused it, so nothing is lost to a restart.
// A sender loop sends what is due, retries a failure with exponential backoff
// (NOC_MAIL_RETRY_MS, doubling, at most 10 minutes) and gives up after
// `maxAttempts`, keeping the last error for the admin page.
import type { DatabaseSync } from 'node:sqlite';
import { backoffDelay } from '@noc/shared/backoff';
import type { MailKind, MailOutboxEntry, MailState } from '@noc/shared/mail';
import type { SendMail } from './smtp-sender.ts';

interface OutboxRow {
  id: number;
  kind: string;
  incident: number | null;
  event: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
  state: string;
  last_error: string | null;
  created_at: number;
  next_attempt_at: number | null;
  sent_at: number | null;
}

const entryOf = (r: OutboxRow): MailOutboxEntry => ({
  id: r.id,
  kind: r.kind as MailKind,
  incident: r.incident,
  event: r.event,
  recipient: r.recipient,
  subject: r.subject,
  attempts: r.attempts,
  state: r.state as MailState,
  lastError: r.last_error,
  createdAt: r.created_at,
  nextAttemptAt: r.next_attempt_at,
  sentAt: r.sent_at,
});

export interface QueuedMail {
  kind: MailKind;
  incident: number | null;
  event: string;
  recipient: string;
  subject: string;
  body: string;
}

export interface OutboxOptions {
  send: SendMail;
  retryBaseMs?: number;
  retryMaxMs?: number;
  maxAttempts?: number;
  /** A message taken for sending is not taken again for this long (a send that hangs, a server that died mid-send). */
  leaseMs?: number;
  log?: (message: string) => void;
}

export class MailOutbox {
  #db: DatabaseSync;
  #send: SendMail;
  #retryBaseMs: number;
  #retryMaxMs: number;
  #maxAttempts: number;
  #leaseMs: number;
  #log: (message: string) => void;
  #timer: NodeJS.Timeout | null = null;
  #inFlight = new Set<number>();
  #closed = false;

  constructor(db: DatabaseSync, opts: OutboxOptions) {
    this.#db = db;
    this.#send = opts.send;
    this.#retryBaseMs = opts.retryBaseMs ?? 5000;
    this.#retryMaxMs = opts.retryMaxMs ?? 10 * 60_000;
    this.#maxAttempts = opts.maxAttempts ?? 8;
    this.#leaseMs = opts.leaseMs ?? 60_000;
    this.#log = opts.log ?? ((m) => console.warn(`[mail] ${m}`));
  }

  /** Queues messages; answers how many. */
  queue(mails: readonly QueuedMail[], now = Date.now()): number {
    const insert = this.#db.prepare(
      "INSERT INTO mail_outbox (kind, incident, event, recipient, subject, body, state, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
    );
    for (const m of mails) insert.run(m.kind, m.incident, m.event, m.recipient, m.subject, m.body, now, now);
    if (mails.length) this.#kick();
    return mails.length;
  }

  /** Newest first. */
  list(limit = 200): MailOutboxEntry[] {
    return (this.#db.prepare('SELECT * FROM mail_outbox ORDER BY id DESC LIMIT ?').all(limit) as unknown as OutboxRow[]).map(entryOf);
  }

  /** Sends what a previous run left pending, then each new message as it comes. */
  start(intervalMs = 250): void {
    this.#timer = setInterval(() => this.#kick(), intervalMs);
    this.#kick();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #kick(): void {
    if (this.#closed) return;
    const now = Date.now();
    const due = this.#db
      .prepare("SELECT * FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 20")
      .all(now) as unknown as OutboxRow[];
    const lease = this.#db.prepare('UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ?');
    for (const m of due) {
      if (this.#inFlight.has(m.id)) continue;
      lease.run(now + this.#leaseMs, m.id);
      this.#inFlight.add(m.id);
      void this.#deliver(m).finally(() => this.#inFlight.delete(m.id));
    }
  }

  async #deliver(m: OutboxRow): Promise<void> {
    let error: string | null = null;
    try {
      await this.#send({ to: m.recipient, subject: m.subject, text: m.body });
    } catch (err) {
      error = (err as Error).message || String(err);
    }
    if (this.#closed) return;
    const attempts = m.attempts + 1;
    const now = Date.now();
    if (error === null) {
      this.#db
        .prepare("UPDATE mail_outbox SET state = 'sent', attempts = ?, last_error = NULL, sent_at = ?, next_attempt_at = NULL WHERE id = ?")
        .run(attempts, now, m.id);
      return;
    }
    const giveUp = attempts >= this.#maxAttempts;
    const wait = backoffDelay(attempts - 1, { firstMs: this.#retryBaseMs, maxMs: this.#retryMaxMs });
    this.#db
      .prepare('UPDATE mail_outbox SET state = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?')
      .run(giveUp ? 'failed' : 'pending', attempts, error, giveUp ? null : now + wait, m.id);
    this.#log(
      `message ${m.id} to ${m.recipient}: ${error}${giveUp ? `; given up after ${attempts} attempts` : `; again in ${(wait / 1000).toFixed(1)} s`}`,
    );
  }
}
