// The readiness checks in the state database (noc.db): each site's latest
// result per occurrence (with the occurrence's title and times, for reports
// and for the "site not ready" rule), the runs of the check (so an occurrence
// the automatic run already took is not taken again after a restart), and the
// admin's settings. A run the server was doing when it stopped is marked ended
// with the reason on opening.
import type { DatabaseSync } from 'node:sqlite';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import type { ReadinessRun, ReadinessSettings } from '@noc/shared/readiness-check';
import type { ChecklistRecord, ReadinessReason, ReadinessState, SiteReadiness, TestCallFigures } from '@noc/shared/readiness';

interface Row {
  occurrence: string;
  site: string;
  title: string;
  starts_at: number;
  ends_at: number;
  state: ReadinessState;
  reasons: string;
  checked_by: string | null;
  checked_at: number | null;
  test_call: string | null;
  checklist: string | null;
}

interface RunRow {
  id: number;
  occurrence: string;
  automatic: number;
  started_by: string;
  started_at: number;
  ended_at: number | null;
  error: string | null;
}

/** A stored result with the occurrence it is for. */
export interface StoredReadiness extends SiteReadiness {
  title: string;
  startsAt: number;
  endsAt: number;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function fromRow(r: Row): StoredReadiness {
  return {
    occurrence: r.occurrence,
    site: r.site,
    state: r.state,
    reasons: JSON.parse(r.reasons) as ReadinessReason[],
    checkedBy: r.checked_by,
    checkedAt: r.checked_at,
    testCall: parse<TestCallFigures>(r.test_call),
    checklist: parse<ChecklistRecord>(r.checklist),
    shutdown: null,
    shutdownOverdue: false,
    title: r.title,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  };
}

const runFromRow = (r: RunRow): ReadinessRun => ({
  id: r.id,
  occurrence: r.occurrence,
  automatic: r.automatic === 1,
  startedBy: r.started_by,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  error: r.error,
});

export const INTERRUPTED = 'the NOC server stopped while the check was going on';

export class ReadinessStore {
  #db: DatabaseSync;

  constructor(db: DatabaseSync, now = Date.now()) {
    this.#db = db;
    db.prepare('UPDATE readiness_runs SET ended_at = ?, error = ? WHERE ended_at IS NULL').run(now, INTERRUPTED);
  }

  save(o: Pick<PlanOccurrence, 'key' | 'title' | 'start' | 'end'>, r: SiteReadiness): void {
    this.#db
      .prepare(
        `INSERT INTO readiness (occurrence, site, title, starts_at, ends_at, state, reasons, checked_by, checked_at, test_call, checklist)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (occurrence, site) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           state = excluded.state, reasons = excluded.reasons, checked_by = excluded.checked_by, checked_at = excluded.checked_at,
           test_call = excluded.test_call, checklist = excluded.checklist`,
      )
      .run(
        o.key,
        r.site,
        o.title,
        o.start,
        o.end,
        r.state,
        JSON.stringify(r.reasons),
        r.checkedBy,
        r.checkedAt,
        r.testCall ? JSON.stringify(r.testCall) : null,
        r.checklist ? JSON.stringify(r.checklist) : null,
      );
  }

  forOccurrence(key: string): StoredReadiness[] {
    return (this.#db.prepare('SELECT * FROM readiness WHERE occurrence = ? ORDER BY site').all(key) as unknown as Row[]).map(fromRow);
  }

  /** Results of occurrences starting in [from, to), by start then site. */
  between(from: number, to: number): StoredReadiness[] {
    return (
      this.#db
        .prepare('SELECT * FROM readiness WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, occurrence, site')
        .all(from, to) as unknown as Row[]
    ).map(fromRow);
  }

  /** Results of occurrences that have not ended at `now`. */
  upcoming(now: number): StoredReadiness[] {
    return (this.#db.prepare('SELECT * FROM readiness WHERE ends_at > ? ORDER BY starts_at').all(now) as unknown as Row[]).map(fromRow);
  }

  startRun(occurrence: string, automatic: boolean, by: string, now = Date.now()): ReadinessRun {
    const { lastInsertRowid } = this.#db
      .prepare('INSERT INTO readiness_runs (occurrence, automatic, started_by, started_at) VALUES (?, ?, ?, ?)')
      .run(occurrence, automatic ? 1 : 0, by, now);
    return this.run(Number(lastInsertRowid))!;
  }

  endRun(id: number, error: string | null, now = Date.now()): void {
    this.#db.prepare('UPDATE readiness_runs SET ended_at = ?, error = ? WHERE id = ?').run(now, error, id);
  }

  run(id: number): ReadinessRun | null {
    const row = this.#db.prepare('SELECT * FROM readiness_runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? runFromRow(row) : null;
  }

  /** The latest run for an occurrence, or null. */
  lastRun(occurrence: string): ReadinessRun | null {
    const row = this.#db.prepare('SELECT * FROM readiness_runs WHERE occurrence = ? ORDER BY id DESC LIMIT 1').get(occurrence) as
      RunRow | undefined;
    return row ? runFromRow(row) : null;
  }

  /** Whether the automatic run already took this occurrence. */
  autoRunTaken(occurrence: string): boolean {
    return this.#db.prepare('SELECT 1 FROM readiness_runs WHERE occurrence = ? AND automatic = 1 LIMIT 1').get(occurrence) !== undefined;
  }

  settings(fallback: ReadinessSettings): ReadinessSettings {
    const row = this.#db.prepare('SELECT body FROM readiness_settings WHERE id = 1').get() as { body: string } | undefined;
    return row ? { ...fallback, ...(JSON.parse(row.body) as Partial<ReadinessSettings>) } : fallback;
  }

  setSettings(s: ReadinessSettings): void {
    this.#db
      .prepare('INSERT INTO readiness_settings (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body')
      .run(JSON.stringify(s));
  }
}
