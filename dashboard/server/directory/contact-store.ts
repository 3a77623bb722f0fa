// The directory's contacts (Điều 10.3) in the state database: the directory
// file seeds them the first time the server opens the database, and from then
// on the database is the source (admins add, edit and remove contacts on the
// directory page). Each contact names a site of the registry.
import type { DatabaseSync } from 'node:sqlite';
import type { Contact, ContactKind, Directory, DirectoryContact } from '@noc/shared/directory';
import { transaction } from '../auth/state-db.ts';
import { HttpError } from '../errors.ts';

interface ContactRow {
  id: number;
  name: string;
  unit: string;
  duty: string;
  phone: string;
  email: string;
  site: string;
  kind: string;
  updated_at: number;
}

const contactOf = (r: ContactRow): DirectoryContact => ({
  id: r.id,
  name: r.name,
  unit: r.unit,
  duty: r.duty,
  phone: r.phone,
  email: r.email,
  site: r.site,
  kind: r.kind as ContactKind,
  updatedAt: r.updated_at,
});

/** The mark that says the file has seeded the table (a directory emptied by hand stays empty). */
const SEEDED = 'directory.seeded';

export class ContactStore {
  #db: DatabaseSync;
  #siteIds: ReadonlySet<string>;

  /** Opens the contacts; the first time, copies `seed` (the directory file's contacts) in. */
  constructor(db: DatabaseSync, siteIds: ReadonlySet<string>, seed: readonly Contact[], now = Date.now()) {
    this.#db = db;
    this.#siteIds = siteIds;
    transaction(db, () => {
      if (db.prepare('SELECT 1 FROM marks WHERE key = ?').get(SEEDED)) return;
      for (const c of seed) this.#insert(c, now);
      db.prepare('INSERT INTO marks (key, value) VALUES (?, ?)').run(SEEDED, now);
    });
  }

  list(): DirectoryContact[] {
    return (this.#db.prepare('SELECT * FROM directory_contacts ORDER BY site, id').all() as unknown as ContactRow[]).map(contactOf);
  }

  get(id: number): DirectoryContact | null {
    const row = this.#db.prepare('SELECT * FROM directory_contacts WHERE id = ?').get(id) as ContactRow | undefined;
    return row ? contactOf(row) : null;
  }

  /** The contacts of these sites, of one kind. */
  of(kind: ContactKind, sites: readonly string[]): DirectoryContact[] {
    return this.list().filter((c) => c.kind === kind && sites.includes(c.site));
  }

  create(input: Contact, now = Date.now()): DirectoryContact {
    this.#check(input);
    return this.get(this.#insert(input, now))!;
  }

  update(id: number, input: Contact, now = Date.now()): DirectoryContact {
    this.#check(input);
    const { changes } = this.#db
      .prepare(
        'UPDATE directory_contacts SET name = ?, unit = ?, duty = ?, phone = ?, email = ?, site = ?, kind = ?, updated_at = ? WHERE id = ?',
      )
      .run(input.name, input.unit, input.duty, input.phone, input.email, input.site, input.kind, now, id);
    if (Number(changes) === 0) throw new HttpError(404, `no contact #${id}`);
    return this.get(id)!;
  }

  remove(id: number): DirectoryContact {
    const contact = this.get(id);
    if (!contact) throw new HttpError(404, `no contact #${id}`);
    this.#db.prepare('DELETE FROM directory_contacts WHERE id = ?').run(id);
    return contact;
  }

  /** The directory as the site page reads it: these contacts (read afresh each time) with the file's equipment. */
  view(equipment: Directory['equipment']): Directory {
    const list = () => this.list();
    return {
      get contacts() {
        return list();
      },
      equipment,
    };
  }

  #check(input: Contact): void {
    if (!this.#siteIds.has(input.site)) throw new HttpError(400, `invalid contact: site: unknown site "${input.site}"`, 'site');
  }

  #insert(c: Contact, now: number): number {
    const { lastInsertRowid } = this.#db
      .prepare('INSERT INTO directory_contacts (name, unit, duty, phone, email, site, kind, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.name, c.unit, c.duty, c.phone, c.email, c.site, c.kind, now);
    return Number(lastInsertRowid);
  }
}
