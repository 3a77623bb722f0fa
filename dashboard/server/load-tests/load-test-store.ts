// Capacity-test runs in the state database: what each was asked to do, who
// started it, how it ended (status, reason, summary, curve, verdict) and the
// figures it reported while it ran. A run the server was hosting when it
// stopped cannot go on: on opening, such runs are marked failed with a reason.
import type { DatabaseSync } from 'node:sqlite';
import type {
  CurvePoint,
  LoadTestFigures,
  LoadTestRun,
  LoadTestSettings,
  LoadTestStatus,
  LoadTestSummary,
  LoadTestVerdict,
} from '@noc/shared/load-test';

interface Row {
  id: number;
  settings: string;
  status: LoadTestStatus;
  started_by: string;
  started_at: number;
  ended_at: number | null;
  reason: string | null;
  summary: string | null;
  curve: string;
  verdict: string | null;
}

function fromRow(r: Row): LoadTestRun {
  return {
    id: r.id,
    settings: JSON.parse(r.settings) as LoadTestSettings,
    status: r.status,
    startedBy: r.started_by,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    reason: r.reason,
    summary: r.summary === null ? null : (JSON.parse(r.summary) as LoadTestSummary),
    curve: JSON.parse(r.curve) as CurvePoint[],
    verdict: r.verdict === null ? null : (JSON.parse(r.verdict) as LoadTestVerdict),
  };
}

/** How a run ended. */
export interface LoadTestEnding {
  status: Extract<LoadTestStatus, 'finished' | 'stopped' | 'failed'>;
  endedAt: number;
  reason: string | null;
  summary?: LoadTestSummary | null;
  curve?: CurvePoint[];
  verdict?: LoadTestVerdict | null;
}

/** The reason given to a run that was running when the server stopped. */
export const INTERRUPTED_REASON = 'the NOC server stopped while the run was going on';

export class LoadTestStore {
  #db: DatabaseSync;

  constructor(db: DatabaseSync, now = Date.now()) {
    this.#db = db;
    this.#db
      .prepare("UPDATE load_test_runs SET status = 'failed', ended_at = ?, reason = ? WHERE status IN ('running', 'stopping')")
      .run(now, INTERRUPTED_REASON);
  }

  get(id: number): LoadTestRun | null {
    const row = this.#db.prepare('SELECT * FROM load_test_runs WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Newest first. */
  list(limit = 200): LoadTestRun[] {
    return (this.#db.prepare('SELECT * FROM load_test_runs ORDER BY id DESC LIMIT ?').all(limit) as unknown as Row[]).map(fromRow);
  }

  /** Runs that ended in [from, to), newest first. */
  endedBetween(from: number, to: number): LoadTestRun[] {
    return (
      this.#db
        .prepare('SELECT * FROM load_test_runs WHERE ended_at >= ? AND ended_at < ? ORDER BY ended_at DESC, id DESC')
        .all(from, to) as unknown as Row[]
    ).map(fromRow);
  }

  create(settings: LoadTestSettings, by: string, now = Date.now()): LoadTestRun {
    const { lastInsertRowid } = this.#db
      .prepare("INSERT INTO load_test_runs (settings, status, started_by, started_at) VALUES (?, 'running', ?, ?)")
      .run(JSON.stringify(settings), by, now);
    return this.get(Number(lastInsertRowid))!;
  }

  setStopping(id: number, reason: string): LoadTestRun | null {
    this.#db.prepare("UPDATE load_test_runs SET status = 'stopping', reason = ? WHERE id = ? AND status = 'running'").run(reason, id);
    return this.get(id);
  }

  end(id: number, e: LoadTestEnding): LoadTestRun | null {
    this.#db
      .prepare('UPDATE load_test_runs SET status = ?, ended_at = ?, reason = ?, summary = ?, curve = ?, verdict = ? WHERE id = ?')
      .run(
        e.status,
        e.endedAt,
        e.reason,
        e.summary ? JSON.stringify(e.summary) : null,
        JSON.stringify(e.curve ?? []),
        e.verdict ? JSON.stringify(e.verdict) : null,
        id,
      );
    return this.get(id);
  }

  addFigures(id: number, figures: LoadTestFigures): void {
    this.#db.prepare('INSERT INTO load_test_figures (run, t, figures) VALUES (?, ?, ?)').run(id, figures.t, JSON.stringify(figures));
  }

  /** The figures a run reported, oldest first. */
  figures(id: number): LoadTestFigures[] {
    const rows = this.#db.prepare('SELECT figures FROM load_test_figures WHERE run = ? ORDER BY id').all(id) as { figures: string }[];
    return rows.map((r) => JSON.parse(r.figures) as LoadTestFigures);
  }
}
