// Takes up a spool of the earlier format on upgrade: `seg-<id>.jsonl` files of
// `{"id":n,"sample":{…}}` lines and `head.json` (`{"head":n}`, every sample
// below it done). The samples not done are appended to the new queue, oldest
// first, in one transaction; then the old files are removed. Lines a crash cut
// short are skipped and counted.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DurableQueue } from '@noc/shared/durable-queue';

const SEGMENT = /^seg-\d{16}\.jsonl$/;
const HEAD_FILE = 'head.json';

export interface JsonlImport {
  samples: number;
  unreadable: number;
}

/** Moves what an old-format spool in `dir` still held into `queue`; null when there is none. */
export function importJsonlSpool(dir: string, queue: DurableQueue): JsonlImport | null {
  const files = readdirSync(dir)
    .filter((f) => SEGMENT.test(f))
    .sort();
  const hasHead = readdirSync(dir).includes(HEAD_FILE);
  if (files.length === 0 && !hasHead) return null;
  let head = 1;
  try {
    const saved = (JSON.parse(readFileSync(join(dir, HEAD_FILE), 'utf8')) as { head?: unknown }).head;
    if (typeof saved === 'number' && Number.isSafeInteger(saved) && saved >= 1) head = saved;
  } catch {
    // No head (or a damaged one): every sample in the segments is taken up; the gateway takes duplicates.
  }
  const texts: string[] = [];
  let lastId = head - 1;
  let unreadable = 0;
  for (const name of files) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        const { id, sample } = JSON.parse(line) as { id?: unknown; sample?: unknown };
        if (typeof id !== 'number' || typeof sample !== 'object' || sample === null) throw new Error('not a spool line');
        if (id <= lastId) continue; // done before the upgrade
        lastId = id;
        texts.push(JSON.stringify(sample));
      } catch {
        unreadable++;
      }
    }
  }
  queue.append(texts.map((text) => ({ text })));
  for (const name of [...files, HEAD_FILE]) rmSync(join(dir, name), { force: true });
  return { samples: texts.length, unreadable };
}
