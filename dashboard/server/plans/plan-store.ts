// The meeting plans in the state database (noc.db): the plans themselves (the
// plan's input as JSON), the admin's calendar (shift rule and holidays), the
// mark that the regular-meetings file has been taken up once, and the SFU
// meetings opened for occurrences (so each opens once, across restarts).
import type { DatabaseSync } from 'node:sqlite';
import { DEFAULT_PLAN_SHIFT, planInputSchema, planCalendarSchema, type MeetingPlan, type PlanInput } from '@noc/shared/meeting-plans';
import { transaction } from '../auth/state-db.ts';

interface PlanRow {
  id: number;
  body: string;
  seeded: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface StoredCalendar {
  shift: 'earlier' | 'later';
  holidays: { date: string; name: string }[];
}

export interface OpeningRecord {
  occurrence: string;
  plan: number;
  meetingId: string | null;
  openedAt: number | null;
  attempts: number;
  lastError: string | null;
}

function planOf(row: PlanRow): MeetingPlan {
  // Written by this store from a validated input; read back through the schema so a hand-edited row fails loudly.
  const input = planInputSchema.parse(JSON.parse(row.body));
  return {
    ...input,
    id: row.id,
    seeded: row.seeded === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class PlanStore {
  #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  list(): MeetingPlan[] {
    return (this.#db.prepare('SELECT * FROM meeting_plans ORDER BY id').all() as unknown as PlanRow[]).map(planOf);
  }

  get(id: number): MeetingPlan | null {
    const row = this.#db.prepare('SELECT * FROM meeting_plans WHERE id = ?').get(id) as unknown as PlanRow | undefined;
    return row ? planOf(row) : null;
  }

  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM meeting_plans').get() as { n: number }).n;
  }

  insert(input: PlanInput, by: string, seeded = false, at = Date.now()): MeetingPlan {
    const { lastInsertRowid } = this.#db
      .prepare('INSERT INTO meeting_plans (body, seeded, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(JSON.stringify(input), seeded ? 1 : 0, by, at, at);
    return this.get(Number(lastInsertRowid))!;
  }

  update(id: number, input: PlanInput, at = Date.now()): MeetingPlan | null {
    const { changes } = this.#db
      .prepare('UPDATE meeting_plans SET body = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(input), at, id);
    return changes === 0 ? null : this.get(id);
  }

  delete(id: number): boolean {
    return this.#db.prepare('DELETE FROM meeting_plans WHERE id = ?').run(id).changes > 0;
  }

  calendar(): StoredCalendar {
    const row = this.#db.prepare('SELECT shift, holidays FROM plan_calendar WHERE id = 1').get() as
      { shift: string; holidays: string } | undefined;
    if (!row) return { shift: DEFAULT_PLAN_SHIFT, holidays: [] };
    return planCalendarSchema.parse({ shift: row.shift, holidays: JSON.parse(row.holidays) });
  }

  setCalendar(calendar: StoredCalendar): void {
    this.#db
      .prepare(
        `INSERT INTO plan_calendar (id, shift, holidays) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET shift = excluded.shift, holidays = excluded.holidays`,
      )
      .run(calendar.shift, JSON.stringify(calendar.holidays));
  }

  /** Whether the regular-meetings file has been taken up (it is, once, on the first start). */
  seeded(): boolean {
    return this.#db.prepare('SELECT 1 FROM plan_seed WHERE id = 1').get() !== undefined;
  }

  /** Takes up `plans` as the seed, unless a seed was taken or a plan exists already; the plans made, or null. */
  seed(file: string, plans: readonly PlanInput[], at = Date.now()): MeetingPlan[] | null {
    return transaction(this.#db, () => {
      if (this.seeded() || this.count() > 0) return null;
      const made = plans.map((p) => this.insert(p, 'seed', true, at));
      this.#db.prepare('INSERT INTO plan_seed (id, file, plans, at) VALUES (1, ?, ?, ?)').run(file, made.length, at);
      return made;
    });
  }

  opening(occurrence: string): OpeningRecord | null {
    const row = this.#db.prepare('SELECT * FROM plan_openings WHERE occurrence = ?').get(occurrence) as
      | {
          occurrence: string;
          plan: number;
          meeting_id: string | null;
          opened_at: number | null;
          attempts: number;
          last_error: string | null;
        }
      | undefined;
    if (!row) return null;
    return {
      occurrence: row.occurrence,
      plan: row.plan,
      meetingId: row.meeting_id,
      openedAt: row.opened_at,
      attempts: row.attempts,
      lastError: row.last_error,
    };
  }

  /** Records that the occurrence's meeting is open on the SFU. */
  opened(occurrence: string, plan: number, meetingId: string, at = Date.now()): void {
    this.#db
      .prepare(
        `INSERT INTO plan_openings (occurrence, plan, meeting_id, opened_at, attempts) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (occurrence) DO UPDATE SET meeting_id = excluded.meeting_id, opened_at = excluded.opened_at,
           attempts = attempts + 1, last_error = NULL`,
      )
      .run(occurrence, plan, meetingId, at);
  }

  /** Records a failed attempt to open the occurrence's meeting. */
  openFailed(occurrence: string, plan: number, error: string): void {
    this.#db
      .prepare(
        `INSERT INTO plan_openings (occurrence, plan, attempts, last_error) VALUES (?, ?, 1, ?)
         ON CONFLICT (occurrence) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error`,
      )
      .run(occurrence, plan, error);
  }
}
