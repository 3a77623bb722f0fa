// Who changed what: every action people take on incidents, windows, rules and
// webhooks, kept in the state database.
import type { DatabaseSync } from 'node:sqlite';
import type { AuditEntry } from '@noc/shared/incidents';

export class AuditLog {
  #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  record(by: string | null, action: string, target: string, detail: unknown = null, at = Date.now()): void {
    this.#db
      .prepare('INSERT INTO audit_log (at, by, action, target, detail) VALUES (?, ?, ?, ?, ?)')
      .run(at, by, action, target, detail === null ? null : JSON.stringify(detail));
  }

  recent(limit = 200): AuditEntry[] {
    const rows = this.#db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as unknown as (Omit<
      AuditEntry,
      'detail'
    > & { detail: string | null })[];
    return rows.map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }));
  }
}
