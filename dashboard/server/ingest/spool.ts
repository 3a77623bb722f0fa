// The gateway's outage buffer: accepted samples wait here, in arrival order,
// while the store cannot take them. Storage is the shared durable queue
// (`@noc/shared/durable-queue`) in `<dir>/buffer.sqlite`, one entry per
// accepted batch (a JSON array of points), durability `power-cut`: append()
// resolves once the batch's transaction is fsync'd, so a batch the gateway
// answered 202 for survives the server being killed and a power cut.
//
// Policy: bounded in bytes of the batches' JSON; a full buffer refuses appends
// (SpoolFullError, a StoreUnavailableError: the gateway answers 503 and the
// sender keeps its samples). Delivered batches are deleted in one transaction
// when acknowledged, so a batch is never handed out again once acknowledged;
// a crash between the store's write and the acknowledgement delivers it again,
// which overwrites itself (same series, same time).
//
// A full disk under the buffer (SQLITE_FULL) refuses the append whole
// (SpoolDiskFullError, also a StoreUnavailableError: 503, the sender keeps its
// samples); what the buffer holds stays, and appends go through again once
// there is space. An acknowledgement the disk refuses throws: the batch is
// delivered again later, which overwrites itself.
//
// A buffer of the earlier format (`<12 digits>.jsonl` segments, `cursor.json`)
// is taken up on open: its batches not delivered move into the queue
// (`jsonl-import.ts`).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DiskFullError, DurableQueue } from '@noc/shared/durable-queue';
import type { Point } from '@noc/shared/metrics';
import { StoreUnavailableError } from '../store/store.ts';
import { importJsonlBuffer } from './jsonl-import.ts';

export interface SpoolOptions {
  dir: string;
  /** Most bytes of buffered JSON; appends beyond it are refused with SpoolFullError. */
  maxBytes?: number;
  log?: (message: string) => void;
}

export interface SpoolBatch {
  points: Point[];
  /** How many accepted batches these points came in. */
  lines: number;
  /** The id of the last accepted batch in here: acknowledging removes everything up to it. */
  end: number;
}

export class SpoolFullError extends StoreUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'SpoolFullError';
  }
}

/** The disk under the buffer has no space left: the batch was not stored. */
export class SpoolDiskFullError extends StoreUnavailableError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SpoolDiskFullError';
  }
}

const QUEUE_FILE = 'buffer.sqlite';
/** Accepted batches looked at per read. */
const READ_ENTRIES = 1000;

export class SampleSpool {
  readonly dir: string;
  #maxBytes: number;
  #log: (message: string) => void;
  #queue: DurableQueue;

  private constructor(opts: SpoolOptions, queue: DurableQueue) {
    this.dir = opts.dir;
    this.#maxBytes = opts.maxBytes ?? 512 * 1024 * 1024;
    this.#log = opts.log ?? ((m) => console.warn(`[ingest-buffer] ${m}`));
    this.#queue = queue;
  }

  /** Opens (or creates) the buffer in `dir` with what an earlier run left in it. */
  static async open(opts: SpoolOptions): Promise<SampleSpool> {
    await mkdir(opts.dir, { recursive: true });
    const spool = new SampleSpool(opts, DurableQueue.open({ file: join(opts.dir, QUEUE_FILE), durability: 'power-cut' }));
    const imported = importJsonlBuffer(opts.dir, spool.#queue);
    if (imported) {
      spool.#log(
        `took up ${imported.points} samples in ${imported.batches} batches from the buffer's earlier format (JSONL segments, now removed)${imported.unreadable ? `; skipped ${imported.unreadable} unreadable lines` : ''}`,
      );
    }
    return spool;
  }

  /** Points waiting for the store. */
  get depth(): number {
    return this.#queue.count;
  }

  /** Bytes of the waiting batches' JSON. */
  get bytes(): number {
    return this.#queue.bytes;
  }

  get empty(): boolean {
    return this.#queue.entries === 0;
  }

  /** Resolves once the points are on disk (one fsync'd transaction). */
  append(points: Point[]): Promise<void> {
    try {
      const text = JSON.stringify(points);
      const size = Buffer.byteLength(text);
      if (this.bytes + size > this.#maxBytes) {
        throw new SpoolFullError(`the ingest buffer is full (${this.bytes} of ${this.#maxBytes} bytes, ${this.depth} samples waiting)`);
      }
      this.#queue.append([{ text, count: points.length }]);
      return Promise.resolve();
    } catch (err) {
      if (err instanceof StoreUnavailableError) return Promise.reject(err);
      if (err instanceof DiskFullError) {
        return Promise.reject(new SpoolDiskFullError(`the ingest buffer's disk is full: ${err.message}`, { cause: err }));
      }
      return Promise.reject(new StoreUnavailableError(`the ingest buffer could not be written: ${(err as Error).message}`, { cause: err }));
    }
  }

  /** Appends are done when append() resolves; kept for callers that wait for writes under way. */
  settled(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * The oldest points not yet delivered, up to `maxPoints` (whole batches; a
   * single larger batch comes alone). Null when nothing waits. Nothing moves
   * until `ack`.
   */
  read(maxPoints: number): Promise<SpoolBatch | null> {
    const points: Point[] = [];
    let lines = 0;
    let end = 0;
    for (const entry of this.#queue.read(READ_ENTRIES)) {
      if (lines > 0 && points.length + entry.count > maxPoints) break;
      let batch: Point[];
      try {
        batch = JSON.parse(entry.text) as Point[];
        if (!Array.isArray(batch)) throw new Error('not an array');
      } catch (err) {
        this.#log(`skipping damaged buffered batch ${entry.id}: ${(err as Error).message}`);
        batch = [];
      }
      points.push(...batch);
      lines += 1;
      end = entry.id;
      if (points.length >= maxPoints) break;
    }
    return Promise.resolve(lines === 0 ? null : { points, lines, end });
  }

  /** The store has the batch: remove it (and everything before it) in one transaction. */
  ack(batch: SpoolBatch): Promise<void> {
    try {
      this.#queue.removeThrough(batch.end);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    try {
      if (this.empty) this.#queue.checkpoint();
    } catch (err) {
      // The removal is committed (in the WAL); the file is checkpointed at a later chance.
      this.#log(`checkpointing the emptied buffer failed: ${(err as Error).message}`);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    try {
      this.#queue.close();
    } catch (err) {
      this.#log(`closing the buffer: ${(err as Error).message}; what it holds is read again at the next start`);
    }
    return Promise.resolve();
  }
}
