// The meetings the SFU nodes carried, kept for a year and more (table
// `meeting_history` in noc.db) so the reports know which planned meetings were
// held: each meeting from the first list of the meetings watch that has it to
// the first that does not. The replay log keeps whole lists for 14 days only.
import type { DatabaseSync } from 'node:sqlite';
import type { MeetingKind, MeetingRecord } from '@noc/shared/meeting';

/** As long as the 1-minute means: 400 days. */
export const MEETING_HISTORY_RETENTION_MS = 400 * 24 * 3600_000;

export interface HeldMeeting {
  id: string;
  kind: MeetingKind;
  title: string;
  invitedSites: string[];
  /** When it was first seen carried (its creation time when the SFU gave one). */
  startedAt: number;
  /** When it was first seen gone; null while it runs. */
  endedAt: number | null;
  loadTest: boolean;
}

interface Row {
  id: string;
  kind: string;
  title: string;
  invited_sites: string;
  started_at: number;
  ended_at: number | null;
  load_test: number;
}

const fromRow = (r: Row): HeldMeeting => ({
  id: r.id,
  kind: r.kind as MeetingKind,
  title: r.title,
  invitedSites: JSON.parse(r.invited_sites) as string[],
  startedAt: r.started_at,
  endedAt: r.ended_at,
  loadTest: r.load_test === 1,
});

export class MeetingHistory {
  #db: DatabaseSync;
  #now: () => number;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** A new list of the meetings carried: new ones start, missing ones end, a returning one runs on. */
  carried(meetings: readonly MeetingRecord[], at = this.#now()): void {
    const now = Math.floor(at);
    const ids = new Set(meetings.map((m) => m.id));
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const m of meetings) {
        this.#db
          .prepare(
            `INSERT INTO meeting_history (id, kind, title, invited_sites, started_at, ended_at, load_test) VALUES (?, ?, ?, ?, ?, NULL, ?)
             ON CONFLICT (id) DO UPDATE SET ended_at = NULL, title = excluded.title, invited_sites = excluded.invited_sites`,
          )
          .run(m.id, m.kind, m.title, JSON.stringify(m.invitedSites), Math.min(now, Math.floor(m.createdAt) || now), m.loadTest ? 1 : 0);
      }
      const running = this.#db.prepare('SELECT id FROM meeting_history WHERE ended_at IS NULL').all() as { id: string }[];
      for (const { id } of running) if (!ids.has(id)) this.#db.prepare('UPDATE meeting_history SET ended_at = ? WHERE id = ?').run(now, id);
      this.#db.prepare('DELETE FROM meeting_history WHERE ended_at IS NOT NULL AND ended_at < ?').run(now - MEETING_HISTORY_RETENTION_MS);
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Records a meeting as carried from `startedAt` to `endedAt` (an import, or a test's past). */
  record(m: HeldMeeting): void {
    this.#db
      .prepare(
        `INSERT OR REPLACE INTO meeting_history (id, kind, title, invited_sites, started_at, ended_at, load_test) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(m.id, m.kind, m.title, JSON.stringify(m.invitedSites), m.startedAt, m.endedAt, m.loadTest ? 1 : 0);
  }

  /** Real (not capacity-test) meetings carried during [from, to), by start. */
  overlapping(from: number, to: number): HeldMeeting[] {
    const rows = this.#db
      .prepare(
        `SELECT * FROM meeting_history WHERE load_test = 0 AND started_at < ? AND (ended_at IS NULL OR ended_at > ?) ORDER BY started_at, id`,
      )
      .all(to, from) as unknown as Row[];
    return rows.map(fromRow);
  }

  get(id: string): HeldMeeting | null {
    const row = this.#db.prepare('SELECT * FROM meeting_history WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }
}
