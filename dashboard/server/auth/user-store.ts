// The users table: who may sign in, with which role and site. Rows only; the
// rules (last admin, own account, known site) are in user-admin.ts.
import type { DatabaseSync } from 'node:sqlite';
import type { SessionUser, UserRecord, UserRole } from '@noc/shared/auth';

interface Row {
  username: string;
  display_name: string;
  role: UserRole;
  site: string | null;
  password_hash: string;
  disabled: number;
  demo: number;
  created_at: number;
  last_login_at: number | null;
}

export interface StoredUser extends UserRecord {
  passwordHash: string;
  demo: boolean;
}

export interface UserFields {
  displayName: string;
  role: UserRole;
  site: string | null;
  passwordHash: string;
  disabled: boolean;
}

const fromRow = (r: Row): StoredUser => ({
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  site: r.site,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
  passwordHash: r.password_hash,
  demo: r.demo === 1,
});

/** What the pages see of a user: never the hash. */
export function userRecord(u: StoredUser): UserRecord {
  return {
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    site: u.site,
    disabled: u.disabled,
    createdAt: u.createdAt,
    lastLoginAt: u.lastLoginAt,
  };
}

export function sessionUser(u: Pick<SessionUser, 'username' | 'displayName' | 'role' | 'site'>): SessionUser {
  return { username: u.username, displayName: u.displayName, role: u.role, site: u.site };
}

export class UserStore {
  #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  get(username: string): StoredUser | null {
    const row = this.#db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  list(): StoredUser[] {
    return (this.#db.prepare('SELECT * FROM users ORDER BY role, username').all() as unknown as Row[]).map(fromRow);
  }

  /** False when the username is taken. */
  insert(username: string, fields: UserFields, demo = false, now = Date.now()): boolean {
    const result = this.#db
      .prepare(
        `INSERT INTO users (username, display_name, role, site, password_hash, disabled, demo, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
      )
      .run(username, fields.displayName, fields.role, fields.site, fields.passwordHash, fields.disabled ? 1 : 0, demo ? 1 : 0, now);
    return result.changes === 1;
  }

  update(username: string, fields: UserFields): void {
    this.#db
      .prepare('UPDATE users SET display_name = ?, role = ?, site = ?, password_hash = ?, disabled = ? WHERE username = ?')
      .run(fields.displayName, fields.role, fields.site, fields.passwordHash, fields.disabled ? 1 : 0, username);
  }

  delete(username: string): boolean {
    return this.#db.prepare('DELETE FROM users WHERE username = ?').run(username).changes === 1;
  }

  enabledAdmins(): string[] {
    const rows = this.#db.prepare(`SELECT username FROM users WHERE role = 'admin' AND disabled = 0`).all() as { username: string }[];
    return rows.map((r) => r.username);
  }

  signedIn(username: string, at = Date.now()): void {
    this.#db.prepare('UPDATE users SET last_login_at = ? WHERE username = ?').run(at, username);
  }
}
