// Sessions: a random 32-byte id in the browser's cookie, only its hash here.
// A session expires after a stretch of not being used (sliding): 12 hours for
// people, 30 days for wall screens. Ending a session (sign-out, a disabled or
// deleted user, a revoked display token, expiry) tells `onEnded`, so the live
// feed can close that session's connections.
import type { DatabaseSync } from 'node:sqlite';
import type { SessionUser, UserRole } from '@noc/shared/auth';
import { newSecret, secretHash } from './secret-token.ts';

export const PERSON_IDLE_MS = 12 * 3600_000;
export const WALL_IDLE_MS = 30 * 24 * 3600_000;
/** A session's expiry moves forward at most this often (one write per minute of use, not per request). */
const SLIDE_STEP_MS = 60_000;
const SWEEP_EVERY_MS = 60_000;

export interface Session {
  /** The hash of the cookie's id: what the server names a session by. */
  id: string;
  user: SessionUser;
  displayTokenId: string | null;
  expiresAt: number;
  idleMs: number;
}

interface Row {
  id_hash: string;
  username: string | null;
  display_token_id: string | null;
  expires_at: number;
  idle_ms: number;
  display_name: string | null;
  role: UserRole | null;
  site: string | null;
  disabled: number | null;
  label: string | null;
  revoked_at: number | null;
}

const LOOKUP = `
  SELECT s.id_hash, s.username, s.display_token_id, s.expires_at, s.idle_ms,
         u.display_name, u.role, u.site, u.disabled, t.label, t.revoked_at
  FROM sessions s
  LEFT JOIN users u ON u.username = s.username
  LEFT JOIN display_tokens t ON t.id = s.display_token_id
  WHERE s.id_hash = ?`;

/** The user a session row stands for, or null when its user is disabled or its display token revoked. */
function userOf(r: Row): SessionUser | null {
  if (r.username !== null) {
    if (r.role === null || r.disabled !== 0) return null;
    return { username: r.username, displayName: r.display_name ?? r.username, role: r.role, site: r.site };
  }
  if (r.display_token_id === null || r.revoked_at !== null) return null;
  return { username: `display:${r.display_token_id}`, displayName: r.label ?? 'wall', role: 'wall', site: null };
}

export class SessionStore {
  #db: DatabaseSync;
  #onEnded: (ids: string[]) => void;
  #sweeper: NodeJS.Timeout;

  constructor(db: DatabaseSync, onEnded: (ids: string[]) => void = () => {}) {
    this.#db = db;
    this.#onEnded = onEnded;
    this.#sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
  }

  /** Starts a session; answers the id for the cookie (never stored) and the session. */
  start(owner: { username: string } | { displayTokenId: string }, now = Date.now()): { cookieId: string; idleMs: number } {
    const cookieId = newSecret();
    const isWall = 'displayTokenId' in owner;
    const idleMs = isWall ? WALL_IDLE_MS : PERSON_IDLE_MS;
    this.#db
      .prepare('INSERT INTO sessions (id_hash, username, display_token_id, created_at, expires_at, idle_ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(secretHash(cookieId), isWall ? null : owner.username, isWall ? owner.displayTokenId : null, now, now + idleMs, idleMs);
    return { cookieId, idleMs };
  }

  /**
   * The live session for a cookie id, its expiry moved forward (`slid` says
   * whether it moved, so the cookie can be sent again); null when there is none.
   */
  resume(cookieId: string, now = Date.now()): { session: Session; slid: boolean } | null {
    if (cookieId.length > 100) return null;
    const id = secretHash(cookieId);
    const row = this.#db.prepare(LOOKUP).get(id) as Row | undefined;
    if (!row) return null;
    const user = userOf(row);
    if (!user || row.expires_at <= now) {
      this.#delete([id]);
      return null;
    }
    let expiresAt = row.expires_at;
    const slid = now + row.idle_ms - expiresAt >= SLIDE_STEP_MS;
    if (slid) {
      expiresAt = now + row.idle_ms;
      this.#db.prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?').run(expiresAt, id);
      // A wall screen's token counts as used while its screen is (to the minute).
      if (row.display_token_id) this.#db.prepare('UPDATE display_tokens SET last_used_at = ? WHERE id = ?').run(now, row.display_token_id);
    }
    return { session: { id, user, displayTokenId: row.display_token_id, expiresAt, idleMs: row.idle_ms }, slid };
  }

  /** Sign-out. */
  end(id: string): void {
    this.#delete([id]);
  }

  /** Ends every session of a user (disabled, deleted, new password), except `keep`. */
  endForUser(username: string, keep?: string): void {
    const rows = this.#db.prepare('SELECT id_hash FROM sessions WHERE username = ?').all(username) as { id_hash: string }[];
    this.#delete(rows.map((r) => r.id_hash).filter((id) => id !== keep));
  }

  endForDisplayToken(tokenId: string): void {
    const rows = this.#db.prepare('SELECT id_hash FROM sessions WHERE display_token_id = ?').all(tokenId) as { id_hash: string }[];
    this.#delete(rows.map((r) => r.id_hash));
  }

  /** Removes expired sessions. */
  sweep(now = Date.now()): void {
    const rows = this.#db.prepare('SELECT id_hash FROM sessions WHERE expires_at <= ?').all(now) as { id_hash: string }[];
    this.#delete(rows.map((r) => r.id_hash));
  }

  close(): void {
    clearInterval(this.#sweeper);
  }

  #delete(ids: string[]): void {
    if (ids.length === 0) return;
    const del = this.#db.prepare('DELETE FROM sessions WHERE id_hash = ?');
    for (const id of ids) del.run(id);
    try {
      this.#onEnded(ids);
    } catch (err) {
      console.error('[noc] ending the connections of ended sessions failed:', err);
    }
  }
}
