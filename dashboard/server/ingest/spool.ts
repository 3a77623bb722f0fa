// The gateway's on-disk buffer: accepted samples wait here, in arrival order,
// while the store cannot take them. A folder of numbered JSONL segments (one
// line per accepted batch, a JSON array of points) and a cursor file saying how
// far the store has taken them. Appends are group-committed: one write and one
// fdatasync for every batch that arrived meanwhile, and an append resolves only
// once its line is on disk. Bounded in bytes: a full spool refuses appends.
import { mkdir, open, readdir, readFile, rename, rm, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Point } from '@noc/shared/metrics';
import { StoreUnavailableError } from '../store/store.ts';

export interface SpoolOptions {
  dir: string;
  /** Most bytes on disk; appends beyond it are refused with SpoolFullError. */
  maxBytes?: number;
  /** A segment this large is closed and the next one started. */
  segmentBytes?: number;
  log?: (message: string) => void;
}

/** Where the store has got to: a byte offset in a segment. */
export interface Cursor {
  segment: number;
  offset: number;
}

export interface SpoolBatch {
  points: Point[];
  /** How many accepted batches (lines) these points came in. */
  lines: number;
  /** The cursor once these points are in the store. */
  end: Cursor;
}

export class SpoolFullError extends StoreUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'SpoolFullError';
  }
}

interface Pending {
  line: string;
  count: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

const SEGMENT = /^(\d{12})\.jsonl$/;
const segmentName = (id: number) => `${String(id).padStart(12, '0')}.jsonl`;
/** A drain read takes at most this many bytes of a segment at a time. */
const READ_CHUNK = 4 * 1024 * 1024;

export class SampleSpool {
  readonly dir: string;
  #maxBytes: number;
  #segmentBytes: number;
  #log: (message: string) => void;
  /** Segment id → bytes on disk that are committed (whole lines, synced). */
  #segments = new Map<number, number>();
  #cursor: Cursor;
  /** Points on disk after the cursor. */
  #depth = 0;
  #pending: Pending[] = [];
  #pendingBytes = 0;
  #pendingPoints = 0;
  #writer: { id: number; handle: FileHandle } | null = null;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(opts: SpoolOptions, cursor: Cursor) {
    this.dir = opts.dir;
    this.#maxBytes = opts.maxBytes ?? 512 * 1024 * 1024;
    this.#segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024;
    this.#log = opts.log ?? ((m) => console.warn(`[ingest-buffer] ${m}`));
    this.#cursor = cursor;
  }

  /** Opens the folder, repairs a line torn by a crash, and counts what is still to deliver. */
  static async open(opts: SpoolOptions): Promise<SampleSpool> {
    await mkdir(opts.dir, { recursive: true });
    const cursor = await readCursor(join(opts.dir, 'cursor.json'));
    const spool = new SampleSpool(opts, cursor);
    const ids = (await readdir(opts.dir))
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const id of ids) {
      const file = join(opts.dir, segmentName(id));
      if (id < cursor.segment) {
        await rm(file, { force: true }); // delivered before the last stop
        continue;
      }
      spool.#segments.set(id, await repairTail(file, spool.#log));
    }
    if (!spool.#segments.has(cursor.segment)) {
      // The cursor's segment is gone (delivered and removed): start at the next one there is.
      const next = [...spool.#segments.keys()][0];
      spool.#cursor = { segment: next ?? cursor.segment, offset: 0 };
    }
    for (const [id, size] of spool.#segments) {
      const from = id === spool.#cursor.segment ? spool.#cursor.offset : 0;
      spool.#depth += await countPoints(join(opts.dir, segmentName(id)), from, size);
    }
    return spool;
  }

  /** Points waiting for the store, including those still being written. */
  get depth(): number {
    return this.#depth + this.#pendingPoints;
  }

  /** Bytes on disk, including delivered lines of segments not yet removed. */
  get bytes(): number {
    let total = this.#pendingBytes;
    for (const size of this.#segments.values()) total += size;
    return total;
  }

  get empty(): boolean {
    return this.depth === 0;
  }

  /** Resolves once the points are on disk (fdatasync'd). */
  append(points: Point[]): Promise<void> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError('the ingest buffer is closed'));
    const line = JSON.stringify(points) + '\n';
    const size = Buffer.byteLength(line);
    if (this.bytes + size > this.#maxBytes) {
      return Promise.reject(
        new SpoolFullError(`the ingest buffer is full (${this.bytes} of ${this.#maxBytes} bytes, ${this.depth} samples waiting)`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ line, count: points.length, resolve, reject });
      this.#pendingBytes += size;
      this.#pendingPoints += points.length;
      // The first append of a group schedules the commit; the others ride along.
      if (this.#pending.length === 1) void this.#exclusive(() => this.#commit());
    });
  }

  /** Waits for the appends and clean-ups under way. */
  settled(): Promise<void> {
    return this.#exclusive(async () => {});
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task);
    this.#chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #commit(): Promise<void> {
    const group = this.#pending.splice(0);
    if (group.length === 0) return;
    const bytes = group.reduce((n, p) => n + Buffer.byteLength(p.line), 0);
    const points = group.reduce((n, p) => n + p.count, 0);
    // The group counts as pending until it is on disk, so the spool never looks empty meanwhile.
    let failure: StoreUnavailableError | null = null;
    try {
      const writer = await this.#writerFor(bytes);
      const before = this.#segments.get(writer.id) ?? 0;
      try {
        await writer.handle.write(group.map((p) => p.line).join(''), before);
        await writer.handle.datasync();
      } catch (err) {
        // Cut off whatever part of the group reached the file, so the next line starts clean.
        await writer.handle.truncate(before).catch(() => {});
        throw err;
      }
      this.#segments.set(writer.id, before + bytes);
      this.#depth += points;
    } catch (err) {
      failure = new StoreUnavailableError(`the ingest buffer could not be written: ${(err as Error).message}`, { cause: err });
    } finally {
      this.#pendingBytes -= bytes;
      this.#pendingPoints -= points;
    }
    for (const p of group) {
      if (failure) p.reject(failure);
      else p.resolve();
    }
  }

  /** The segment to append to: the open one, or a new one once it is full. */
  async #writerFor(bytes: number): Promise<{ id: number; handle: FileHandle }> {
    if (this.#writer) {
      const size = this.#segments.get(this.#writer.id) ?? 0;
      if (size === 0 || size + bytes <= this.#segmentBytes) return this.#writer;
      await this.#writer.handle.close();
      this.#writer = null;
    }
    const last = Math.max(this.#cursor.segment - 1, ...this.#segments.keys());
    const id = last + 1;
    const handle = await open(join(this.dir, segmentName(id)), 'w');
    // The new file's name must survive a power cut as well as its lines.
    const dir = await open(this.dir, 'r');
    await dir.sync().finally(() => dir.close());
    this.#writer = { id, handle };
    this.#segments.set(id, 0);
    return this.#writer;
  }

  /**
   * The oldest points not yet delivered, up to `maxPoints` (whole batches; a
   * single larger batch comes alone). Null when nothing is on disk yet.
   * Nothing moves until `ack`.
   */
  async read(maxPoints: number): Promise<SpoolBatch | null> {
    for (;;) {
      const { segment, offset } = this.#cursor;
      const size = this.#segments.get(segment);
      if (size === undefined) return null;
      if (offset < size) break;
      const later = [...this.#segments.keys()].find((id) => id > segment);
      if (later === undefined) return null;
      // This segment is delivered and will get no more lines.
      await this.#moveCursor({ segment: later, offset: 0 });
    }
    const { segment, offset } = this.#cursor;
    const size = this.#segments.get(segment)!;
    const text = await readRange(join(this.dir, segmentName(segment)), offset, Math.min(size - offset, READ_CHUNK));
    const points: Point[] = [];
    let used = 0;
    let lines = 0;
    for (;;) {
      const nl = text.indexOf('\n', used);
      if (nl < 0) break;
      const line = text.subarray(used, nl);
      let batch: Point[];
      try {
        batch = JSON.parse(line.toString('utf8')) as Point[];
        if (!Array.isArray(batch)) throw new Error('not an array');
      } catch (err) {
        this.#log(`skipping a damaged line at ${segmentName(segment)}:${offset + used}: ${(err as Error).message}`);
        batch = [];
      }
      if (points.length > 0 && points.length + batch.length > maxPoints) break;
      points.push(...batch);
      lines += 1;
      used = nl + 1;
      if (points.length >= maxPoints) break;
    }
    if (used === 0) {
      throw new Error(`${segmentName(segment)}: a line at ${offset} is longer than ${READ_CHUNK} bytes`);
    }
    return { points, lines, end: { segment, offset: offset + used } };
  }

  /** The store has the batch: move past it, and remove segments that are all delivered. */
  async ack(batch: SpoolBatch): Promise<void> {
    this.#depth -= batch.points.length;
    await this.#moveCursor(batch.end);
    if (this.empty) {
      // Everything is delivered: close the open segment and remove it, so the next outage starts afresh.
      await this.#exclusive(async () => {
        if (!this.empty || !this.#writer) return;
        const { id, handle } = this.#writer;
        if (id !== this.#cursor.segment || this.#cursor.offset !== this.#segments.get(id)) return;
        await handle.close();
        this.#writer = null;
        await this.#moveCursor({ segment: id + 1, offset: 0 });
      });
    }
  }

  async #moveCursor(to: Cursor): Promise<void> {
    this.#cursor = to;
    // Saved without fsync: after a crash the cursor may be a little behind, and
    // the store gets a few batches again, which overwrite themselves.
    const file = join(this.dir, 'cursor.json');
    await writeFile(`${file}.tmp`, JSON.stringify(to));
    await rename(`${file}.tmp`, file);
    for (const id of [...this.#segments.keys()]) {
      if (id >= to.segment) continue;
      this.#segments.delete(id);
      await rm(join(this.dir, segmentName(id)), { force: true });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
    await this.#writer?.handle.close();
    this.#writer = null;
  }
}

/** Whether cursor `a` is at or past `b`. */
export function reached(a: Cursor, b: Cursor): boolean {
  return a.segment > b.segment || (a.segment === b.segment && a.offset >= b.offset);
}

async function readCursor(file: string): Promise<Cursor> {
  try {
    const c = JSON.parse(await readFile(file, 'utf8')) as Partial<Cursor>;
    if (Number.isInteger(c.segment) && Number.isInteger(c.offset) && c.segment! >= 0 && c.offset! >= 0) {
      return { segment: c.segment!, offset: c.offset! };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
  return { segment: 0, offset: 0 };
}

/** A segment's size after cutting off a last line that a crash left without its newline. */
async function repairTail(file: string, log: (m: string) => void): Promise<number> {
  const { size } = await stat(file);
  if (size === 0) return 0;
  const tail = await readRange(file, Math.max(0, size - READ_CHUNK), Math.min(size, READ_CHUNK));
  if (tail[tail.length - 1] === 0x0a) return size;
  const keep = size - tail.length + tail.lastIndexOf(0x0a) + 1;
  log(`${file}: cutting ${size - keep} bytes of a line that was never acknowledged`);
  await truncate(file, keep);
  return keep;
}

async function countPoints(file: string, from: number, size: number): Promise<number> {
  let count = 0;
  let at = from;
  while (at < size) {
    const text = await readRange(file, at, Math.min(size - at, READ_CHUNK));
    let used = 0;
    for (;;) {
      const nl = text.indexOf('\n', used);
      if (nl < 0) break;
      try {
        const batch = JSON.parse(text.subarray(used, nl).toString('utf8')) as unknown;
        if (Array.isArray(batch)) count += batch.length;
      } catch {
        // A damaged line counts for nothing; read() skips it too.
      }
      used = nl + 1;
    }
    if (used === 0) break;
    at += used;
  }
  return count;
}

async function readRange(file: string, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const handle = await open(file, 'r');
  try {
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}
