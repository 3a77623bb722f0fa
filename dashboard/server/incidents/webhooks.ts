// Webhooks: where incidents are sent, and the deliveries to them. Each
// notification becomes one delivery row per webhook that wants it, so nothing
// is lost to a restart; a sender loop posts due deliveries as JSON signed with
// the webhook's HMAC key, retries failures with exponential backoff, and keeps
// the outcome of every delivery (the delivery log).
import { createHmac } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { backoffDelay } from '@noc/shared/backoff';
import {
  SEVERITY_RANK,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type Incident,
  type NotificationEvent,
  type Severity,
  type Webhook,
  type WebhookDelivery,
  type WebhookInput,
  type WebhookPayload,
} from '@noc/shared/incidents';
import { transaction } from '../auth/state-db.ts';

interface HookRow {
  id: number;
  name: string;
  url: string;
  secret: string;
  min_severity: string;
  escalation: number;
  enabled: number;
  created_at: number;
}

interface DeliveryRow {
  id: number;
  webhook: number;
  incident: number | null;
  event: string;
  payload: string;
  attempts: number;
  state: string;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
}

const hookOf = (r: HookRow): Webhook => ({
  id: r.id,
  name: r.name,
  url: r.url,
  minSeverity: r.min_severity as Severity,
  escalation: r.escalation === 1,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
});

const deliveryOf = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  webhook: r.webhook,
  incident: r.incident,
  event: r.event as NotificationEvent,
  attempts: r.attempts,
  state: r.state as WebhookDelivery['state'],
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  nextAttemptAt: r.next_attempt_at,
  deliveredAt: r.delivered_at,
});

/** `sha256=<hex>` over `<timestamp>.<body>`: what a receiver recomputes with its copy of the key. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  /** First retry after this long; each next one waits twice as long, up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** After this many failed attempts a delivery is given up (state `failed`). */
  maxAttempts?: number;
  timeoutMs?: number;
  log?: (message: string) => void;
}

export class Webhooks {
  #db: DatabaseSync;
  #retryBaseMs: number;
  #retryMaxMs: number;
  #maxAttempts: number;
  #timeoutMs: number;
  #log: (message: string) => void;
  #timer: NodeJS.Timeout | null = null;
  #inFlight = new Set<number>();
  #closed = false;

  constructor(db: DatabaseSync, opts: WebhookOptions = {}) {
    this.#db = db;
    this.#retryBaseMs = opts.retryBaseMs ?? 2000;
    this.#retryMaxMs = opts.retryMaxMs ?? 5 * 60_000;
    this.#maxAttempts = opts.maxAttempts ?? 8;
    this.#timeoutMs = opts.timeoutMs ?? 5000;
    this.#log = opts.log ?? ((m) => console.warn(`[webhooks] ${m}`));
  }

  list(): Webhook[] {
    return (this.#db.prepare('SELECT * FROM webhooks ORDER BY id').all() as unknown as HookRow[]).map(hookOf);
  }

  get(id: number): Webhook | null {
    const row = this.#db.prepare('SELECT * FROM webhooks WHERE id = ?').get(id) as HookRow | undefined;
    return row ? hookOf(row) : null;
  }

  create(input: WebhookInput, now = Date.now()): Webhook {
    const { lastInsertRowid } = this.#db
      .prepare('INSERT INTO webhooks (name, url, secret, min_severity, escalation, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(input.name, input.url, input.secret, input.minSeverity, input.escalation ? 1 : 0, input.enabled ? 1 : 0, now);
    return this.get(Number(lastInsertRowid))!;
  }

  update(id: number, patch: Partial<WebhookInput>): Webhook | null {
    const cols: Record<keyof WebhookInput, string> = {
      name: 'name',
      url: 'url',
      secret: 'secret',
      minSeverity: 'min_severity',
      escalation: 'escalation',
      enabled: 'enabled',
    };
    const keys = (Object.keys(patch) as (keyof WebhookInput)[]).filter((k) => patch[k] !== undefined);
    if (keys.length) {
      const values = keys.map((k) => (typeof patch[k] === 'boolean' ? (patch[k] ? 1 : 0) : (patch[k] as string)));
      transaction(this.#db, () => {
        this.#db.prepare(`UPDATE webhooks SET ${keys.map((k) => `${cols[k]} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
        // Switched off: what it still had to send is given up, in its log, not retried behind the admin's back.
        if (patch.enabled === false) {
          this.#db
            .prepare(
              "UPDATE webhook_deliveries SET state = 'failed', last_error = 'the webhook was switched off', next_attempt_at = NULL WHERE webhook = ? AND state = 'pending'",
            )
            .run(id);
        }
      });
    }
    return this.get(id);
  }

  remove(id: number): boolean {
    return Number(this.#db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes) > 0;
  }

  deliveries(webhook: number, limit = 100): WebhookDelivery[] {
    return (
      this.#db
        .prepare('SELECT * FROM webhook_deliveries WHERE webhook = ? ORDER BY id DESC LIMIT ?')
        .all(webhook, limit) as unknown as DeliveryRow[]
    ).map(deliveryOf);
  }

  /** Queues a notification for every enabled webhook that wants it; answers how many. */
  notify(event: NotificationEvent, incident: Incident | null, now = Date.now(), only?: number): number {
    const wanted = this.list().filter((h) => {
      if (!h.enabled || (only !== undefined && h.id !== only)) return false;
      if (event === 'test') return true;
      if (event === 'escalated') return h.escalation;
      return incident !== null && SEVERITY_RANK[incident.severity] <= SEVERITY_RANK[h.minSeverity];
    });
    for (const h of wanted) {
      // The payload names its own row: both in one transaction, so no delivery is ever left without a body.
      transaction(this.#db, () => {
        const { lastInsertRowid } = this.#db
          .prepare(
            "INSERT INTO webhook_deliveries (webhook, incident, event, payload, state, created_at, next_attempt_at) VALUES (?, ?, ?, '', 'pending', ?, ?)",
          )
          .run(h.id, incident?.id ?? null, event, now, now);
        const id = Number(lastInsertRowid);
        const payload: WebhookPayload = { event, deliveryId: id, sentAt: now, incident };
        this.#db.prepare('UPDATE webhook_deliveries SET payload = ? WHERE id = ?').run(JSON.stringify(payload), id);
      });
    }
    if (wanted.length) this.#kick();
    return wanted.length;
  }

  /** Starts sending: whatever a previous run left pending, then each new delivery as it comes. */
  start(intervalMs = 250): void {
    this.#timer = setInterval(() => this.#kick(), intervalMs);
    this.#kick();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #kick(): void {
    if (this.#closed) return;
    const now = Date.now();
    const due = this.#db
      .prepare(
        "SELECT d.*, h.url, h.secret FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.id LIMIT 20",
      )
      .all(now) as unknown as (DeliveryRow & { url: string; secret: string })[];
    // A delivery taken is leased past its timeout, so a slow receiver's rows do not fill every next
    // batch and hold up the others; if the server dies mid-send, the lease runs out and it is sent again.
    const lease = this.#db.prepare('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?');
    for (const d of due) {
      if (this.#inFlight.has(d.id)) continue;
      lease.run(now + this.#timeoutMs + 1000, d.id);
      this.#inFlight.add(d.id);
      void this.#send(d).finally(() => this.#inFlight.delete(d.id));
    }
  }

  async #send(d: DeliveryRow & { url: string; secret: string }): Promise<void> {
    const timestamp = String(Date.now());
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signature(d.secret, timestamp, d.payload),
          'x-noc-event': d.event,
          'x-noc-delivery': String(d.id),
        },
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      status = res.status;
      await res.body?.cancel();
      if (res.status < 200 || res.status >= 300) error = `the receiver answered ${res.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    if (this.#closed) return;
    const attempts = d.attempts + 1;
    const now = Date.now();
    if (error === null) {
      this.#db
        .prepare(
          "UPDATE webhook_deliveries SET state = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ?, next_attempt_at = NULL WHERE id = ?",
        )
        .run(attempts, status, now, d.id);
      return;
    }
    const giveUp = attempts >= this.#maxAttempts;
    const wait = backoffDelay(attempts - 1, { firstMs: this.#retryBaseMs, maxMs: this.#retryMaxMs });
    // Only while still pending: a delivery given up meanwhile (its webhook switched off) stays given up.
    this.#db
      .prepare(
        "UPDATE webhook_deliveries SET state = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'pending'",
      )
      .run(giveUp ? 'failed' : 'pending', attempts, status, error, giveUp ? null : now + wait, d.id);
    this.#log(
      `delivery ${d.id} to ${d.url}: ${error}${giveUp ? `; given up after ${attempts} attempts` : `; again in ${Math.round(wait / 1000)} s`}`,
    );
  }
}
