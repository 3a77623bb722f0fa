// The sites' checklists in noc.db (table `checklists`): one row per
// occurrence, site and kind, replaced by each save.
import type { DatabaseSync } from 'node:sqlite';
import type { SavedChecklist } from '@noc/shared/checklists';
import type { ChecklistKind } from '@noc/shared/readiness';

interface Row {
  occurrence: string;
  site: string;
  kind: ChecklistKind;
  items: string;
  by: string;
  by_name: string;
  by_role: SavedChecklist['byRole'];
  at: number;
}

const fromRow = (r: Row): SavedChecklist => ({
  occurrence: r.occurrence,
  site: r.site,
  kind: r.kind,
  items: JSON.parse(r.items) as SavedChecklist['items'],
  by: r.by,
  byName: r.by_name,
  byRole: r.by_role,
  at: r.at,
});

export class ChecklistStore {
  #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(occurrence: string, site: string, kind: ChecklistKind): SavedChecklist | null {
    const row = this.#db.prepare('SELECT * FROM checklists WHERE occurrence = ? AND site = ? AND kind = ?').get(occurrence, site, kind) as
      Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Every checklist of an occurrence, of every site and kind. */
  forOccurrence(occurrence: string): SavedChecklist[] {
    return (this.#db.prepare('SELECT * FROM checklists WHERE occurrence = ?').all(occurrence) as unknown as Row[]).map(fromRow);
  }

  save(c: SavedChecklist): SavedChecklist {
    this.#db
      .prepare(
        `INSERT INTO checklists (occurrence, site, kind, items, by, by_name, by_role, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (occurrence, site, kind) DO UPDATE SET
           items = excluded.items, by = excluded.by, by_name = excluded.by_name, by_role = excluded.by_role, at = excluded.at`,
      )
      .run(c.occurrence, c.site, c.kind, JSON.stringify(c.items), c.by, c.byName, c.byRole, c.at);
    return c;
  }
}
