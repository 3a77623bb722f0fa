// Incidents and their timelines in the state database (noc.db). The unique
// index `incidents_active` keeps one unresolved incident per cause and site,
// so neither a restart nor a race can open a second one.
import type { DatabaseSync } from 'node:sqlite';
import type {
  Incident,
  IncidentParams,
  IncidentQuery,
  IncidentState,
  IspTicket,
  MeetingContext,
  RuleId,
  Severity,
  TimelineEntry,
  TimelineKind,
} from '@noc/shared/incidents';
import { transaction } from '../auth/state-db.ts';

interface Row {
  id: number;
  site: string;
  rule: string;
  severity: string;
  state: string;
  params: string;
  opened_at: number;
  last_seen_at: number;
  reopen_count: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  resolve_cause: string | null;
  suppressed_by: number | null;
  maintenance_window: number | null;
  meeting: string | null;
  isp: string | null;
  chair_informed_at: number | null;
  chair_informed_by: string | null;
  escalated_at: number | null;
  announced_at: number | null;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function fromRow(r: Row): Incident {
  return {
    id: r.id,
    site: r.site,
    rule: r.rule as RuleId,
    severity: r.severity as Severity,
    state: r.state as IncidentState,
    params: JSON.parse(r.params) as IncidentParams,
    openedAt: r.opened_at,
    lastSeenAt: r.last_seen_at,
    reopenCount: r.reopen_count,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolveCause: r.resolve_cause,
    suppressedBy: r.suppressed_by,
    maintenanceWindow: r.maintenance_window,
    meeting: parse<MeetingContext>(r.meeting),
    isp: parse<IspTicket>(r.isp),
    chairInformedAt: r.chair_informed_at,
    chairInformedBy: r.chair_informed_by,
    escalatedAt: r.escalated_at,
    announcedAt: r.announced_at,
  };
}

/** The columns a change may set, by the incident's field names. */
const COLUMNS = {
  severity: 'severity',
  state: 'state',
  params: 'params',
  lastSeenAt: 'last_seen_at',
  reopenCount: 'reopen_count',
  acknowledgedAt: 'acknowledged_at',
  acknowledgedBy: 'acknowledged_by',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  resolveCause: 'resolve_cause',
  suppressedBy: 'suppressed_by',
  maintenanceWindow: 'maintenance_window',
  isp: 'isp',
  chairInformedAt: 'chair_informed_at',
  chairInformedBy: 'chair_informed_by',
  escalatedAt: 'escalated_at',
  announcedAt: 'announced_at',
} as const satisfies Partial<Record<keyof Incident, string>>;
export type IncidentChange = Partial<Pick<Incident, keyof typeof COLUMNS>>;

const JSON_FIELDS = new Set<keyof IncidentChange>(['params', 'isp']);

export interface NewIncident {
  site: string;
  rule: RuleId;
  severity: Severity;
  params: IncidentParams;
  at: number;
  suppressedBy: number | null;
  maintenanceWindow: number | null;
  meeting: MeetingContext | null;
}

export interface NewTimelineEntry {
  kind: TimelineKind;
  at: number;
  by?: string | null;
  text: string;
  data?: Record<string, unknown> | null;
}

export class IncidentStore {
  #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(id: number): Incident | null {
    const row = this.#db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Incidents not resolved yet. */
  active(): Incident[] {
    return (
      this.#db.prepare("SELECT * FROM incidents WHERE state <> 'resolved' ORDER BY opened_at DESC, id DESC").all() as unknown as Row[]
    ).map(fromRow);
  }

  /** Critical, unacknowledged and not escalated yet, announced (told to the webhooks) at or before `announcedBefore`. */
  dueForEscalation(announcedBefore: number): Incident[] {
    const sql =
      "SELECT * FROM incidents WHERE state = 'open' AND severity = 'critical' AND escalated_at IS NULL AND announced_at <= ? ORDER BY id";
    return (this.#db.prepare(sql).all(announcedBefore) as unknown as Row[]).map(fromRow);
  }

  /** The newest incident of this cause at this site, whatever its state. */
  latest(site: string, rule: RuleId): Incident | null {
    const row = this.#db.prepare('SELECT * FROM incidents WHERE site = ? AND rule = ? ORDER BY id DESC LIMIT 1').get(site, rule) as
      Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Newest first; `sites` limits the answer to the sites the caller may see (null: every site). */
  list(q: IncidentQuery, sites: readonly string[] | null): Incident[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.site) {
      where.push('site = ?');
      args.push(q.site);
    }
    if (sites) {
      where.push(`site IN (${sites.map(() => '?').join(', ') || "''"})`);
      args.push(...sites);
    }
    if (q.severity) {
      where.push('severity = ?');
      args.push(q.severity);
    }
    if (q.state === 'active') where.push("state <> 'resolved'");
    else if (q.state) {
      where.push('state = ?');
      args.push(q.state);
    }
    // An incident belongs to a stretch of time when it was open during it.
    if (q.from !== undefined) {
      where.push('(resolved_at IS NULL OR resolved_at >= ?)');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('opened_at <= ?');
      args.push(q.to);
    }
    const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at DESC, id DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...args, q.limit) as unknown as Row[]).map(fromRow);
  }

  /** Every incident opened in [from, to), oldest first (the reports' figures; no limit). */
  openedBetween(from: number, to: number): Incident[] {
    const sql = 'SELECT * FROM incidents WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at, id';
    return (this.#db.prepare(sql).all(Math.floor(from), Math.floor(to)) as unknown as Row[]).map(fromRow);
  }

  /** Every incident open at some moment of [from, to), oldest first. */
  openDuring(from: number, to: number): Incident[] {
    const sql = 'SELECT * FROM incidents WHERE opened_at < ? AND (resolved_at IS NULL OR resolved_at >= ?) ORDER BY opened_at, id';
    return (this.#db.prepare(sql).all(Math.floor(to), Math.floor(from)) as unknown as Row[]).map(fromRow);
  }

  /** Opens an incident and writes its first timeline entries, in one transaction. */
  open(n: NewIncident, entries: NewTimelineEntry[]): Incident {
    return transaction(this.#db, () => {
      const { lastInsertRowid } = this.#db
        .prepare(
          `INSERT INTO incidents (site, rule, severity, state, params, opened_at, last_seen_at, suppressed_by, maintenance_window, meeting)
           VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          n.site,
          n.rule,
          n.severity,
          JSON.stringify(n.params),
          n.at,
          n.at,
          n.suppressedBy,
          n.maintenanceWindow,
          n.meeting ? JSON.stringify(n.meeting) : null,
        );
      const id = Number(lastInsertRowid);
      for (const e of entries) this.#addEntry(id, e);
      return this.get(id)!;
    });
  }

  /** Changes an incident and adds timeline entries, in one transaction; answers the incident as it now is. */
  update(id: number, change: IncidentChange, entries: NewTimelineEntry[] = []): Incident {
    return transaction(this.#db, () => {
      const keys = Object.keys(change) as (keyof IncidentChange)[];
      if (keys.length) {
        const sets = keys.map((k) => `${COLUMNS[k]} = ?`).join(', ');
        const values = keys.map((k) => {
          const v = change[k];
          return JSON_FIELDS.has(k) ? (v === null ? null : JSON.stringify(v)) : (v as string | number | null);
        });
        this.#db.prepare(`UPDATE incidents SET ${sets} WHERE id = ?`).run(...values, id);
      }
      for (const e of entries) this.#addEntry(id, e);
      const incident = this.get(id);
      if (!incident) throw new Error(`incident ${id} does not exist`);
      return incident;
    });
  }

  /** Runs `work` in one transaction: the writes it makes are committed together (one sync to disk). */
  batch<T>(work: () => T): T {
    return transaction(this.#db, work);
  }

  addEntry(id: number, e: NewTimelineEntry): void {
    this.#addEntry(id, e);
  }

  timeline(id: number): TimelineEntry[] {
    const rows = this.#db.prepare('SELECT * FROM incident_events WHERE incident = ? ORDER BY id').all(id) as unknown as {
      id: number;
      incident: number;
      at: number;
      kind: string;
      by: string | null;
      text: string;
      data: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      incident: r.incident,
      at: r.at,
      kind: r.kind as TimelineKind,
      by: r.by,
      text: r.text,
      data: parse(r.data),
    }));
  }

  #addEntry(id: number, e: NewTimelineEntry): void {
    this.#db
      .prepare('INSERT INTO incident_events (incident, at, kind, by, text, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, e.at, e.kind, e.by ?? null, e.text, e.data ? JSON.stringify(e.data) : null);
  }
}
