// Wall display tokens: a screen signs in with one (role `wall`, read-only).
// Only a hash is kept; the token is shown once, when it is made. Revoked
// tokens stay listed, marked revoked.
import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { DisplayTokenRecord } from '@noc/shared/auth';
import { newSecret, secretHash } from './secret-token.ts';

interface Row {
  id: string;
  label: string;
  demo: number;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const fromRow = (r: Row): DisplayTokenRecord => ({
  id: r.id,
  label: r.label,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revoked: r.revoked_at !== null,
});

export class DisplayTokenStore {
  #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  list(): DisplayTokenRecord[] {
    return (this.#db.prepare('SELECT * FROM display_tokens ORDER BY created_at DESC, id').all() as unknown as Row[]).map(fromRow);
  }

  get(id: string): DisplayTokenRecord | null {
    const row = this.#db.prepare('SELECT * FROM display_tokens WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  create(label: string, demo = false, now = Date.now()): { record: DisplayTokenRecord; token: string } {
    const id = randomBytes(6).toString('hex');
    const token = newSecret();
    this.#db
      .prepare('INSERT INTO display_tokens (id, label, token_hash, demo, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, label, secretHash(token), demo ? 1 : 0, now);
    return { record: this.get(id)!, token };
  }

  /** The live (not revoked) token this secret is, marked as used now; null otherwise. */
  use(token: string, now = Date.now()): DisplayTokenRecord | null {
    const row = this.#db.prepare('SELECT * FROM display_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(secretHash(token)) as
      Row | undefined;
    if (!row) return null;
    this.#db.prepare('UPDATE display_tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
    return fromRow({ ...row, last_used_at: now });
  }

  /** False when there is no such token; revoking a revoked token changes nothing. */
  revoke(id: string, now = Date.now()): boolean {
    if (!this.get(id)) return false;
    this.#db.prepare('UPDATE display_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
    return true;
  }

  /** The ids of the demo tokens not yet revoked. */
  liveDemoTokens(): string[] {
    const rows = this.#db.prepare('SELECT id FROM display_tokens WHERE demo = 1 AND revoked_at IS NULL').all() as { id: string }[];
    return rows.map((r) => r.id);
  }
}
