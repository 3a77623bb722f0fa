// Maintenance windows in the state database, with the list kept in memory for
// the engine (it asks on every check). One-off windows that are over stay in
// the table as the record of what was silenced; the list shows them for a day.
import type { DatabaseSync } from 'node:sqlite';
import type { MaintenanceInput, MaintenanceWindow } from '@noc/shared/incidents';
import { windowOver } from '@noc/shared/maintenance';

interface Row {
  id: number;
  site: string | null;
  reason: string;
  starts_at: number | null;
  ends_at: number | null;
  weekly: string | null;
  created_by: string;
  created_at: number;
}

function fromRow(r: Row): MaintenanceWindow {
  const w: MaintenanceWindow = { id: r.id, site: r.site, reason: r.reason, createdBy: r.created_by, createdAt: r.created_at };
  if (r.weekly !== null) w.weekly = JSON.parse(r.weekly) as NonNullable<MaintenanceInput['weekly']>;
  if (r.starts_at !== null) w.startsAt = r.starts_at;
  if (r.ends_at !== null) w.endsAt = r.ends_at;
  return w;
}

export class MaintenanceStore {
  #db: DatabaseSync;
  #all: MaintenanceWindow[];

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#all = this.#read();
  }

  #read(): MaintenanceWindow[] {
    return (this.#db.prepare('SELECT * FROM maintenance_windows ORDER BY id').all() as unknown as Row[]).map(fromRow);
  }

  /** Every window not over (weekly ones never are). */
  current(now = Date.now()): MaintenanceWindow[] {
    return this.#all.filter((w) => !windowOver(w, now));
  }

  /** For the page: windows not over, and those that ended in the last day. */
  list(now = Date.now()): MaintenanceWindow[] {
    return this.#all.filter((w) => !windowOver(w, now - 24 * 3600_000)).reverse();
  }

  get(id: number): MaintenanceWindow | null {
    return this.#all.find((w) => w.id === id) ?? null;
  }

  create(input: MaintenanceInput, by: string, now = Date.now()): MaintenanceWindow {
    const { lastInsertRowid } = this.#db
      .prepare(
        'INSERT INTO maintenance_windows (site, reason, starts_at, ends_at, weekly, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        input.site,
        input.reason,
        input.startsAt ?? null,
        input.endsAt ?? null,
        input.weekly ? JSON.stringify(input.weekly) : null,
        by,
        now,
      );
    this.#all = this.#read();
    return this.get(Number(lastInsertRowid))!;
  }

  /** Ends a window now (a one-off one keeps its record, cut short); a weekly one is removed. */
  end(id: number, now = Date.now()): MaintenanceWindow | null {
    const w = this.get(id);
    if (!w) return null;
    if (w.weekly) this.#db.prepare('DELETE FROM maintenance_windows WHERE id = ?').run(id);
    else this.#db.prepare('UPDATE maintenance_windows SET ends_at = ? WHERE id = ?').run(Math.min(w.endsAt ?? now, now), id);
    this.#all = this.#read();
    return w;
  }
}
