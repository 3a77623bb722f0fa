// A consistent copy of a node:sqlite database that another process may be writing: SQLite's
// online backup (node:sqlite `backup()`), page by page under its own read transaction, so the
// copy is the database at one moment, committed WAL content included; then the copy is checked.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatabaseSync, backup } from 'node:sqlite';

export async function copySqlite(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(source, { timeout: 10_000 });
  try {
    await backup(db, target, { rate: 1000 });
  } finally {
    db.close();
  }
  const copy = new DatabaseSync(target, { readOnly: true });
  try {
    const row = copy.prepare('PRAGMA quick_check').get() as { quick_check: string } | undefined;
    if (row?.quick_check !== 'ok') throw new Error(`the copy of ${source} fails SQLite's check: ${row?.quick_check ?? 'no answer'}`);
  } finally {
    copy.close();
  }
}
