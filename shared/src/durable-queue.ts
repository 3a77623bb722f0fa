// A durable first-in first-out queue of text entries in one node:sqlite file:
// the storage under the probe's spool and the NOC gateway's outage buffer.
// Each entry has an id (increasing, never reused, also across restarts), its
// text, and how many samples it holds; the queue keeps the totals of samples
// and of text bytes, which is what each side's size limit is measured in.
//
// Durability. The file is in WAL mode and every append or removal is one
// transaction, so a batch is all there or not there at all, never torn.
// - `durability: 'power-cut'` (synchronous = FULL): the WAL is fsync'd at every
//   commit, so once append() returns, the entries survive a process kill
//   (SIGKILL) and a power cut. The gateway uses this: it answers 202 only after.
// - `durability: 'process'` (synchronous = NORMAL): a commit is in the
//   operating system's hands when append() returns, so it survives a process
//   kill, but a power cut may lose the commits since the last checkpoint();
//   the probe calls that on a cadence, which bounds what a power cut can take.
// What each side does when full, and which ids it hands out, is its own policy
// on top of this (probes/src/spool/spool.ts, dashboard/server/ingest/spool.ts).
//
// A full disk. A write the file system cannot take (SQLITE_FULL, ENOSPC) is
// rolled back whole and thrown as DiskFullError; the entries already stored and
// the totals stay as they were, and the queue takes writes again once there
// is space. A checkpoint that cannot grow the file throws the same error and
// loses nothing: the commits stay in the WAL. A queue opens on a full disk
// (after a crash too): opening writes nothing.
import { chmodSync, existsSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** A write refused because the file system under the queue has no space left; nothing of it was stored. */
export class DiskFullError extends Error {
  readonly file: string;
  constructor(file: string, cause: unknown) {
    super(`no space left on the disk of ${file} (${(cause as Error).message})`, { cause });
    this.name = 'DiskFullError';
    this.file = file;
  }
}

/** SQLite's "database or disk is full" (SQLITE_FULL, 13) or the system's ENOSPC. */
export function isDiskFull(err: unknown): boolean {
  const e = err as { errcode?: unknown; code?: unknown } | null;
  return e !== null && typeof e === 'object' && ((typeof e.errcode === 'number' && (e.errcode & 0xff) === 13) || e.code === 'ENOSPC');
}

export type QueueDurability = 'process' | 'power-cut';

export interface DurableQueueOptions {
  /** The SQLite file; created (mode 0600) if missing. */
  file: string;
  durability: QueueDurability;
}

export interface QueueEntry {
  readonly id: number;
  readonly text: string;
  /** Samples in the entry. */
  readonly count: number;
}

export interface QueueInput {
  text: string;
  /** Samples in the entry (1 if unset). */
  count?: number;
}

/** What a removal took away. */
export interface QueueRemoval {
  entries: number;
  count: number;
  bytes: number;
}

interface Totals {
  entries: number;
  count: number;
  bytes: number;
}

export class DurableQueue {
  readonly file: string;
  #db: DatabaseSync;
  #totals: Totals;
  #nextId: number;
  #insert: StatementSync;
  #range: StatementSync;
  #removeOne: StatementSync;
  #removeThrough: StatementSync;
  #closed = false;

  private constructor(file: string, db: DatabaseSync) {
    this.file = file;
    this.#db = db;
    this.#insert = db.prepare('INSERT INTO entries (text, count, bytes) VALUES (?, ?, ?)');
    this.#range = db.prepare('SELECT id, text, count FROM entries WHERE id >= ? AND id < ? ORDER BY id LIMIT ?');
    this.#removeOne = db.prepare('DELETE FROM entries WHERE id = ? RETURNING count, bytes');
    this.#removeThrough = db.prepare('DELETE FROM entries WHERE id <= ? RETURNING count, bytes');
    const totals = db.prepare('SELECT count(*) AS entries, total(count) AS count, total(bytes) AS bytes FROM entries').get() as {
      entries: number;
      count: number;
      bytes: number;
    };
    this.#totals = { entries: totals.entries, count: totals.count, bytes: totals.bytes };
    const seq = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'entries'`).get() as { seq: number } | undefined;
    this.#nextId = (seq?.seq ?? 0) + 1;
  }

  /** Opens (or creates) the queue file. Throws naming the file when it is not a queue this module wrote. */
  static open(opts: DurableQueueOptions): DurableQueue {
    const fresh = !existsSync(opts.file);
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(opts.file, { timeout: 1000 });
    } catch (err) {
      throw new Error(`cannot open the queue ${opts.file}: ${(err as Error).message}`, { cause: err });
    }
    try {
      if (fresh) chmodSync(opts.file, 0o600);
      // Set before the first table, so deleted pages can be handed back to the file system. Only when
      // not set yet: setting it again writes, which a full disk refuses, and the queue must open there.
      if ((db.prepare('PRAGMA auto_vacuum').get() as { auto_vacuum: number }).auto_vacuum !== 2)
        db.exec('PRAGMA auto_vacuum = INCREMENTAL');
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`PRAGMA synchronous = ${opts.durability === 'power-cut' ? 'FULL' : 'NORMAL'}`);
      db.exec(`CREATE TABLE IF NOT EXISTS entries (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 text TEXT NOT NULL,
                 count INTEGER NOT NULL,
                 bytes INTEGER NOT NULL
               )`);
      return new DurableQueue(opts.file, db);
    } catch (err) {
      db.close();
      throw new Error(`cannot use ${opts.file} as a queue: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Entries waiting. */
  get entries(): number {
    return this.#totals.entries;
  }

  /** Samples waiting (the sum of the entries' counts). */
  get count(): number {
    return this.#totals.count;
  }

  /** UTF-8 bytes of the waiting entries' text. */
  get bytes(): number {
    return this.#totals.bytes;
  }

  /** The id the next appended entry gets. */
  get nextId(): number {
    return this.#nextId;
  }

  /** Appends the entries in one transaction and returns their ids; all are stored or none. */
  append(inputs: readonly QueueInput[]): number[] {
    this.#open();
    if (inputs.length === 0) return [];
    const rows = inputs.map((input) => {
      const count = input.count ?? 1;
      if (!Number.isSafeInteger(count) || count < 0) throw new Error(`a queue entry's count must be a whole number ≥ 0, got ${count}`);
      return { text: input.text, count, bytes: Buffer.byteLength(input.text) };
    });
    const ids: number[] = [];
    this.#transaction(() => {
      for (const row of rows) ids.push(Number(this.#insert.run(row.text, row.count, row.bytes).lastInsertRowid));
    });
    for (const row of rows) {
      this.#totals.entries++;
      this.#totals.count += row.count;
      this.#totals.bytes += row.bytes;
    }
    this.#nextId = (ids.at(-1) as number) + 1;
    return ids;
  }

  /** Up to `limit` entries with ids from `fromId` up to (not including) `beforeId`, oldest first. */
  read(limit: number, fromId = 0, beforeId = Number.MAX_SAFE_INTEGER): QueueEntry[] {
    this.#open();
    if (limit <= 0) return [];
    // LIMIT -1 is no limit.
    const rows = this.#range.all(fromId, Math.min(beforeId, Number.MAX_SAFE_INTEGER), Number.isFinite(limit) ? Math.floor(limit) : -1) as {
      id: number;
      text: string;
      count: number;
    }[];
    return rows.map((r) => ({ id: r.id, text: r.text, count: r.count }));
  }

  /** Removes the entries with these ids, in one transaction; unknown ids are ignored. */
  remove(ids: Iterable<number>): QueueRemoval {
    this.#open();
    const removed: QueueRemoval = { entries: 0, count: 0, bytes: 0 };
    this.#transaction(() => {
      for (const id of ids) {
        const row = this.#removeOne.get(id) as { count: number; bytes: number } | undefined;
        if (!row) continue;
        removed.entries++;
        removed.count += row.count;
        removed.bytes += row.bytes;
      }
    });
    return this.#removed(removed);
  }

  /** Removes every entry with an id up to and including `id`, in one transaction. */
  removeThrough(id: number): QueueRemoval {
    this.#open();
    const removed: QueueRemoval = { entries: 0, count: 0, bytes: 0 };
    this.#transaction(() => {
      for (const row of this.#removeThrough.all(id) as { count: number; bytes: number }[]) {
        removed.entries++;
        removed.count += row.count;
        removed.bytes += row.bytes;
      }
    });
    return this.#removed(removed);
  }

  /**
   * Makes every commit so far survive a power cut (a WAL checkpoint: the log is
   * fsync'd and copied into the file), and, when the queue is empty, gives the
   * file's free pages back to the file system.
   */
  checkpoint(): void {
    this.#open();
    try {
      if (this.#totals.entries === 0) this.#db.exec('PRAGMA incremental_vacuum');
      this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch (err) {
      throw this.#diskFull(err);
    }
  }

  /** Checkpoints and closes the file. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    try {
      this.checkpoint();
    } finally {
      // Closing on a full disk still closes: the commits stay in the WAL and are read on the next open.
      this.#closed = true;
      this.#db.close();
    }
  }

  #removed(removed: QueueRemoval): QueueRemoval {
    this.#totals.entries -= removed.entries;
    this.#totals.count -= removed.count;
    this.#totals.bytes -= removed.bytes;
    return removed;
  }

  #transaction(work: () => void): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.#db.exec('COMMIT');
    } catch (err) {
      try {
        // SQLite may have rolled back by itself (as on SQLITE_FULL).
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      } catch {
        // The first error is the one to report; the transaction is gone either way.
      }
      throw this.#diskFull(err);
    }
  }

  #diskFull(err: unknown): unknown {
    return isDiskFull(err) ? new DiskFullError(this.file, err) : err;
  }

  #open(): void {
    if (this.#closed) throw new Error(`the queue ${this.file} is closed`);
  }
}
