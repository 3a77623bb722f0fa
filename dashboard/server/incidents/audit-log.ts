// Who changed what: every action people take on incidents, windows, rules and
// webhooks, kept in the state database.
import type { DatabaseSync } from 'node:sqlite';
import type { AuditPage, AuditQuery } from '@noc/shared/audit-query';
import type { AuditEntry } from '@noc/shared/incidents';

type AuditRow = Omit<AuditEntry, 'detail'> & { detail: string | null };
const entryOf = (r: AuditRow): AuditEntry => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) });

/** `incident.` and `incident:` name a family (LIKE 'incident.%', its wildcards escaped); anything else one value. */
function textFilter(column: string, value: string, family: string): { sql: string; arg: string } {
  if (value.endsWith(family)) return { sql: `${column} LIKE ? ESCAPE '\\'`, arg: `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
  return { sql: `${column} = ?`, arg: value };
}

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
    return (this.#db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as unknown as AuditRow[]).map(entryOf);
  }

  /** The entries that match, newest first, one page of them, and how many match in all. */
  query(q: AuditQuery): AuditPage {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.by) {
      where.push('by = ?');
      args.push(q.by);
    }
    for (const [column, value, family] of [
      ['action', q.action, '.'],
      ['target', q.target, ':'],
    ] as const) {
      if (!value) continue;
      const f = textFilter(column, value, family);
      where.push(f.sql);
      args.push(f.arg);
    }
    if (q.from !== undefined) {
      where.push('at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('at < ?');
      args.push(q.to);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const { n } = this.#db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(...args) as { n: number };
    const rows = this.#db
      .prepare(`SELECT * FROM audit_log ${clause} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...args, q.limit, q.offset) as unknown as AuditRow[];
    return { entries: rows.map(entryOf), total: n };
  }
}
