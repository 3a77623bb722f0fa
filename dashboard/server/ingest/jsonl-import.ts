// Takes up an ingest buffer of the earlier format on upgrade: numbered
// `<12 digits>.jsonl` segments of one JSON array of points per accepted batch,
// and `cursor.json` (`{"segment":n,"offset":bytes}`, how far the store had
// taken them). The batches after the cursor are appended to the new queue, in
// order, in one transaction; then the old files are removed. A line a crash
// cut short (never acknowledged) and damaged lines are skipped and counted.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DurableQueue } from '@noc/shared/durable-queue';

const SEGMENT = /^(\d{12})\.jsonl$/;
const CURSOR_FILE = 'cursor.json';

export interface JsonlImport {
  batches: number;
  points: number;
  unreadable: number;
}

/** Moves what an old-format buffer in `dir` still held into `queue`; null when there is none. */
export function importJsonlBuffer(dir: string, queue: DurableQueue): JsonlImport | null {
  const names = readdirSync(dir);
  const segments = names
    .map((name) => ({ name, id: Number(SEGMENT.exec(name)?.[1] ?? NaN) }))
    .filter((s) => Number.isInteger(s.id))
    .sort((a, b) => a.id - b.id);
  if (segments.length === 0 && !names.includes(CURSOR_FILE)) return null;
  let cursor = { segment: 0, offset: 0 };
  try {
    const c = JSON.parse(readFileSync(join(dir, CURSOR_FILE), 'utf8')) as { segment?: unknown; offset?: unknown };
    if (Number.isSafeInteger(c.segment) && Number.isSafeInteger(c.offset))
      cursor = { segment: c.segment as number, offset: c.offset as number };
  } catch {
    // No cursor (or a damaged one): every batch in the segments is taken up; a repeat overwrites itself.
  }
  const batches: { text: string; count: number }[] = [];
  let unreadable = 0;
  for (const { name, id } of segments) {
    if (id < cursor.segment) continue;
    const content = readFileSync(join(dir, name)).subarray(id === cursor.segment ? cursor.offset : 0);
    const lines = content.toString('utf8').split('\n');
    if (lines.at(-1) !== '') unreadable++; // a line without its newline was never acknowledged
    for (const line of lines.slice(0, -1)) {
      try {
        const points = JSON.parse(line) as unknown;
        if (!Array.isArray(points)) throw new Error('not an array');
        batches.push({ text: line, count: points.length });
      } catch {
        unreadable++;
      }
    }
  }
  queue.append(batches);
  for (const { name } of segments) rmSync(join(dir, name), { force: true });
  rmSync(join(dir, CURSOR_FILE), { force: true });
  return { batches: batches.length, points: batches.reduce((n, b) => n + b.count, 0), unreadable };
}
