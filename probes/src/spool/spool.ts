// The probe's store-and-forward spool: every sample is written here before it
// is sent, and leaves only once the gateway has accepted it (or it had to be
// dropped, which is counted and logged).
//
// On disk, in the spool folder:
// - `seg-<first id, 16 digits>.jsonl`: segment files of one line per sample,
//   `{"id":<n>,"sample":{...}}`, ids increasing by one across segments and
//   across restarts. A new segment starts every `segmentSamples` samples and
//   at every start of the agent (a segment cut short by a crash is never
//   appended to). A segment is deleted once every sample in it is done.
// - `head.json`: `{"head":<id>}`, every sample below that id is done. Written
//   (atomically, by rename) at the fsync cadence and on close; it may lag, so
//   a restart can resend a few samples it already sent, never lose one.
//
// Writes are synchronous and the segment is fsync'd at most every
// `fsyncIntervalMs` (and when a segment is closed, and on close()), so a power
// cut loses at most that much of the newest samples.
//
// Samples can be acknowledged out of order (live samples go out while an old
// backlog is replayed): the head only moves past samples that are done; those
// after it that are already acknowledged are kept on disk until it passes, and
// after a restart they are sent again (the gateway takes duplicates).
//
// - `lock`: the process id of the agent using the folder; a second agent on
//   the same folder is refused (a lock left by a process that is gone is taken over).
//
// Bounds: when more than `maxSamples` samples wait, or the samples from the
// head to the newest take more than `maxBytes`, the oldest are dropped, counted
// in `dropped` and logged.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ProbeSample } from '@noc/shared/metrics';

export interface SpoolOptions {
  dir: string;
  maxSamples?: number;
  maxBytes?: number;
  segmentSamples?: number;
  /** 0 syncs every append. */
  fsyncIntervalMs?: number;
  log?: { info(message: string): void; warn(message: string): void };
}

export interface SpoolRecord {
  readonly id: number;
  /** The sample as JSON, with its time set. */
  readonly json: string;
}

interface Entry {
  id: number;
  json: string;
  /** Bytes of its line on disk. */
  bytes: number;
  done: boolean;
}

interface Segment {
  file: string;
  lastId: number;
}

interface OpenSegment {
  segment: Segment;
  fd: number;
  count: number;
}

const SEGMENT_NAME = /^seg-(\d{16})\.jsonl$/;
const HEAD_FILE = 'head.json';
const LOCK_FILE = 'lock';

export class Spool {
  readonly dir: string;
  #opts: Required<Omit<SpoolOptions, 'log'>> & Pick<SpoolOptions, 'log'>;
  /** Entries from the head (index #first) to the newest, in id order. */
  #entries: Entry[] = [];
  #first = 0;
  #pending = 0;
  #bytes = 0;
  #dropped = 0;
  #nextId = 1;
  /** Closed segments still holding samples that are not done, oldest first. */
  #segments: Segment[] = [];
  #open: OpenSegment | null = null;
  #dirty = false;
  #lastSync = 0;
  #savedHead = 0;
  #closed = false;

  private constructor(opts: SpoolOptions) {
    this.dir = opts.dir;
    this.#opts = { maxSamples: 200_000, maxBytes: 32 * 1024 * 1024, segmentSamples: 2000, fsyncIntervalMs: 1000, ...opts };
  }

  /** Opens the spool in `dir` (created if missing), taking up the samples an earlier run left. */
  static open(opts: SpoolOptions): Spool {
    const spool = new Spool(opts);
    mkdirSync(opts.dir, { recursive: true });
    lock(opts.dir);
    try {
      spool.#load();
    } catch (err) {
      unlinkSync(join(opts.dir, LOCK_FILE));
      throw err;
    }
    return spool;
  }

  /** Samples waiting to be sent. */
  get depth(): number {
    return this.#pending;
  }

  /** Bytes on disk from the head to the newest sample. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Samples dropped because the spool was full, since it was opened. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The id the next appended sample gets. */
  get nextId(): number {
    return this.#nextId;
  }

  /** Writes samples (time stamped `now` if unset) at the end; drops the oldest if that overfills. */
  append(samples: readonly ProbeSample[], now = Date.now()): void {
    if (this.#closed) throw new Error('the spool is closed');
    for (const sample of samples) {
      if (!this.#open || this.#open.count >= this.#opts.segmentSamples) this.#roll();
      const open = this.#open as OpenSegment;
      const id = this.#nextId++;
      const json = JSON.stringify(sample.time === undefined ? { ...sample, time: now } : sample);
      const line = `{"id":${id},"sample":${json}}\n`;
      const bytes = Buffer.byteLength(line);
      writeSync(open.fd, line);
      open.count++;
      open.segment.lastId = id;
      this.#entries.push({ id, json, bytes, done: false });
      this.#pending++;
      this.#bytes += bytes;
    }
    this.#dirty ||= samples.length > 0;
    this.#enforceBounds();
    this.#maybeSync();
  }

  /** The oldest waiting samples, at most `max`, with ids below `beforeId`. */
  oldest(max: number, beforeId = Infinity): SpoolRecord[] {
    return this.#collect(this.#first, max, beforeId);
  }

  /** The oldest waiting samples with ids from `id` on, at most `max`. */
  from(id: number, max: number): SpoolRecord[] {
    return this.#collect(this.#indexOf(id), max, Infinity);
  }

  /** Marks samples done (accepted by the gateway, or refused for good). Unknown ids are ignored. */
  ack(ids: Iterable<number>): void {
    for (const id of ids) {
      const entry = this.#entries[this.#indexOf(id)];
      if (entry && entry.id === id && !entry.done) {
        entry.done = true;
        this.#pending--;
      }
    }
    this.#trim();
    this.#maybeSync();
  }

  /** Flushes written samples to the disk and saves the head. */
  sync(): void {
    if (this.#open && this.#dirty) fsyncSync(this.#open.fd);
    this.#dirty = false;
    this.#lastSync = Date.now();
    const head = this.#headId();
    if (head !== this.#savedHead) {
      const tmp = join(this.dir, `${HEAD_FILE}.tmp`);
      writeFileSync(tmp, JSON.stringify({ head }) + '\n');
      renameSync(tmp, join(this.dir, HEAD_FILE));
      this.#savedHead = head;
    }
  }

  /** Syncs and closes the open segment (deleting it if everything in it is done). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.sync();
    this.#closeOpenSegment();
    this.#closed = true;
    unlinkSync(join(this.dir, LOCK_FILE));
  }

  #collect(start: number, max: number, beforeId: number): SpoolRecord[] {
    const out: SpoolRecord[] = [];
    for (let i = start; i < this.#entries.length && out.length < max; i++) {
      const e = this.#entries[i] as Entry;
      if (e.id >= beforeId) break;
      if (!e.done) out.push({ id: e.id, json: e.json });
    }
    return out;
  }

  /** Index of the first entry (from the head) whose id is >= `id`. */
  #indexOf(id: number): number {
    let lo = this.#first;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#entries[mid] as Entry).id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #headId(): number {
    return this.#entries[this.#first]?.id ?? this.#nextId;
  }

  /** Moves the head past done entries and deletes the segments behind it. */
  #trim(): void {
    while (this.#first < this.#entries.length && (this.#entries[this.#first] as Entry).done) {
      this.#bytes -= (this.#entries[this.#first] as Entry).bytes;
      this.#first++;
    }
    if (this.#first > 4096 && this.#first * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#first);
      this.#first = 0;
    }
    const head = this.#headId();
    let removed = false;
    while (this.#segments.length > 0 && (this.#segments[0] as Segment).lastId < head) {
      unlinkSync((this.#segments.shift() as Segment).file);
      removed = true;
    }
    if (removed) syncDir(this.dir);
  }

  #enforceBounds(): void {
    const { maxSamples, maxBytes } = this.#opts;
    let dropped = 0;
    while (this.#first < this.#entries.length && (this.#pending > maxSamples || this.#bytes > maxBytes)) {
      const head = this.#entries[this.#first] as Entry; // never done: #trim keeps the head waiting
      head.done = true;
      this.#pending--;
      dropped++;
      this.#trim();
    }
    if (dropped > 0) {
      this.#dropped += dropped;
      this.#opts.log?.warn(
        `spool full (limits ${maxSamples} samples, ${maxBytes} bytes): dropped the ${dropped} oldest samples, ${this.#dropped} since start; now from id ${this.#headId()}`,
      );
    }
  }

  #maybeSync(): void {
    if (Date.now() - this.#lastSync >= this.#opts.fsyncIntervalMs) this.sync();
  }

  #roll(): void {
    this.#closeOpenSegment();
    const file = join(this.dir, `seg-${String(this.#nextId).padStart(16, '0')}.jsonl`);
    const fd = openSync(file, 'a', 0o600);
    this.#open = { segment: { file, lastId: this.#nextId - 1 }, fd, count: 0 };
    syncDir(this.dir);
  }

  #closeOpenSegment(): void {
    const open = this.#open;
    if (!open) return;
    this.#open = null;
    if (this.#dirty) fsyncSync(open.fd);
    this.#dirty = false;
    closeSync(open.fd);
    if (open.segment.lastId < this.#headId()) {
      unlinkSync(open.segment.file);
      syncDir(this.dir);
    } else {
      this.#segments.push(open.segment);
    }
  }

  #load(): void {
    let head = 1;
    try {
      const saved = (JSON.parse(readFileSync(join(this.dir, HEAD_FILE), 'utf8')) as { head?: unknown }).head;
      if (typeof saved === 'number' && Number.isSafeInteger(saved) && saved >= 1) head = saved;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.#opts.log?.warn(`ignoring an unreadable ${HEAD_FILE}: ${(err as Error).message}`);
    }
    const files = readdirSync(this.dir)
      .filter((f) => SEGMENT_NAME.test(f))
      .sort();
    let lastId = head - 1;
    let unreadable = 0;
    for (const name of files) {
      const file = join(this.dir, name);
      const segment: Segment = { file, lastId: 0 };
      let kept = 0;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line === '') continue;
        let record: { id?: unknown; sample?: unknown };
        try {
          record = JSON.parse(line) as typeof record;
        } catch {
          unreadable++; // a line cut short by a crash
          continue;
        }
        const { id, sample } = record;
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof sample !== 'object' || sample === null) {
          unreadable++;
          continue;
        }
        segment.lastId = Math.max(segment.lastId, id);
        if (id <= lastId) continue; // done before the restart (or out of order)
        lastId = id;
        const bytes = Buffer.byteLength(line) + 1;
        this.#entries.push({ id, json: JSON.stringify(sample), bytes, done: false });
        this.#pending++;
        this.#bytes += bytes;
        kept++;
      }
      if (kept > 0) this.#segments.push(segment);
      else unlinkSync(file);
    }
    this.#nextId = lastId + 1;
    this.#savedHead = head;
    if (this.#pending > 0 || unreadable > 0) {
      this.#opts.log?.info(
        `${this.#pending} samples left from an earlier run (ids ${this.#headId()}-${lastId})${unreadable ? `; skipped ${unreadable} unreadable lines` : ''}`,
      );
    }
    this.#enforceBounds();
    this.#lastSync = Date.now();
  }
}

/** Makes file creations, renames and deletions in `dir` durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Takes the folder's lock file, or throws naming the live process that holds it. */
function lock(dir: string): void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (Number.isSafeInteger(holder) && holder > 0 && alive(holder)) {
      throw new Error(`the spool ${dir} is in use by process ${holder} (another probe agent?); remove ${file} if that is wrong`);
    }
    unlinkSync(file); // left by a process that is gone
  }
  throw new Error(`cannot take the lock ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
