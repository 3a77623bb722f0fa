// The probe's store-and-forward spool: every sample is written here before it
// is sent, and leaves only once the gateway has accepted it (or it had to be
// dropped, which is counted and logged).
//
// Storage is the shared durable queue (`@noc/shared/durable-queue`), one entry
// per sample, in `<dir>/spool.sqlite`: each append() is one transaction, so
// the samples of one call are all kept or none. Durability `process`: what
// append() stored survives the agent being killed; a checkpoint at most every
// `fsyncIntervalMs` (and on close) bounds what a power cut can take to the
// newest samples of that interval. Ids increase by one per sample, also
// across restarts, and are never reused.
//
// Samples can be acknowledged out of order (live samples go out while an old
// backlog is replayed): an acknowledged sample is deleted at once, the rest
// keep their order. A restart takes up exactly the samples not acknowledged.
//
// - `lock`: the process id of the agent using the folder; a second agent on
//   the same folder is refused (a lock left by a process that is gone is taken over).
//
// Bounds: when more than `maxSamples` samples wait, or their JSON takes more
// than `maxBytes`, the oldest are dropped, counted in `dropped` and logged.
//
// A full disk: an append the disk cannot take is refused whole (DiskFullError,
// nothing of it stored) and the samples already spooled stay. An
// acknowledgement the disk cannot take is kept in memory: those samples are
// no longer handed out and are deleted at the next write that goes through
// (after a restart they would be sent again, which overwrites itself in the
// store: same series, same time). A checkpoint or a drop to fit the bounds that
// fails is logged and tried again later; it never fails the append it follows.
//
// A spool of the earlier format (`seg-*.jsonl` files and `head.json`) is taken
// up on open: its samples not done move into the queue (`jsonl-import.ts`).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DurableQueue, isDiskFull } from '@noc/shared/durable-queue';
import type { ProbeSample } from '@noc/shared/metrics';
import { lockDir } from './dir-lock.ts';
import { importJsonlSpool } from './jsonl-import.ts';

export interface SpoolOptions {
  dir: string;
  maxSamples?: number;
  maxBytes?: number;
  /** At most this long between checkpoints (what a power cut can lose); 0 checkpoints every change. */
  fsyncIntervalMs?: number;
  log?: { info(message: string): void; warn(message: string): void };
}

export interface SpoolRecord {
  readonly id: number;
  /** The sample as JSON, with its time set. */
  readonly json: string;
}

const QUEUE_FILE = 'spool.sqlite';
/** Oldest entries looked at per step when dropping to fit the bounds. */
const DROP_STEP = 1000;

export class Spool {
  readonly dir: string;
  #opts: Required<Omit<SpoolOptions, 'log'>> & Pick<SpoolOptions, 'log'>;
  #queue: DurableQueue;
  #unlock: () => void;
  #dropped = 0;
  #lastSync = Date.now();
  #closed = false;
  /** Ids acknowledged whose deletion the disk refused: not handed out again, deleted at the next chance. */
  #unremoved = new Set<number>();
  /** What each failing housekeeping step last said, so a lasting failure is logged once. */
  #housekeeping = new Map<string, string>();

  private constructor(opts: SpoolOptions, queue: DurableQueue, unlock: () => void) {
    this.dir = opts.dir;
    this.#opts = { maxSamples: 200_000, maxBytes: 32 * 1024 * 1024, fsyncIntervalMs: 1000, ...opts };
    this.#queue = queue;
    this.#unlock = unlock;
  }

  /** Opens the spool in `dir` (created if missing), taking up the samples an earlier run left. */
  static open(opts: SpoolOptions): Spool {
    mkdirSync(opts.dir, { recursive: true });
    const unlock = lockDir(opts.dir);
    let queue: DurableQueue;
    try {
      queue = DurableQueue.open({ file: join(opts.dir, QUEUE_FILE), durability: 'process' });
    } catch (err) {
      unlock();
      throw err;
    }
    const spool = new Spool(opts, queue, unlock);
    const imported = importJsonlSpool(opts.dir, queue);
    if (imported) {
      opts.log?.info(
        `took up ${imported.samples} samples from the spool's earlier format (JSONL segments, now removed)${imported.unreadable ? `; skipped ${imported.unreadable} unreadable lines` : ''}`,
      );
    }
    if (queue.count > 0) {
      opts.log?.info(`${queue.count} samples left from an earlier run (ids ${queue.read(1)[0]?.id}-${queue.nextId - 1})`);
    }
    spool.#housekeep('dropping the oldest samples to fit the limits', () => spool.#enforceBounds());
    return spool;
  }

  /** Samples waiting to be sent. */
  get depth(): number {
    return this.#queue.count - this.#unremoved.size;
  }

  /** Bytes of the waiting samples' JSON. */
  get bytes(): number {
    return this.#queue.bytes;
  }

  /** Samples dropped because the spool was full, since it was opened. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The id the next appended sample gets. */
  get nextId(): number {
    return this.#queue.nextId;
  }

  /**
   * Writes samples (time stamped `now` if unset) at the end, in one
   * transaction; drops the oldest if that overfills. Throws (DiskFullError when
   * the disk is full) with nothing of them stored.
   */
  append(samples: readonly ProbeSample[], now = Date.now()): void {
    if (this.#closed) throw new Error('the spool is closed');
    this.#queue.append(samples.map((s) => ({ text: JSON.stringify(s.time === undefined ? { ...s, time: now } : s) })));
    // The samples are stored: what follows is housekeeping, which may fail on a full disk without undoing that.
    this.#housekeep('deleting acknowledged samples', () => this.#removeUnremoved());
    this.#housekeep('dropping the oldest samples to fit the limits', () => this.#enforceBounds());
    this.#housekeep('checkpointing', () => this.#maybeSync());
  }

  /** The oldest waiting samples, at most `max`, with ids below `beforeId`. */
  oldest(max: number, beforeId = Infinity): SpoolRecord[] {
    return this.#records(this.#queue.read(max + this.#unremoved.size, 0, beforeId), max);
  }

  /** The oldest waiting samples with ids from `id` on, at most `max`. */
  from(id: number, max: number): SpoolRecord[] {
    return this.#records(this.#queue.read(max + this.#unremoved.size, id), max);
  }

  /**
   * Marks samples done (accepted by the gateway, or refused for good): they are
   * deleted. Unknown ids are ignored. Never throws: a deletion the disk refuses
   * is kept in memory and done at the next write that goes through.
   */
  ack(ids: Iterable<number>): void {
    for (const id of ids) this.#unremoved.add(id);
    this.#housekeep('deleting acknowledged samples', () => this.#removeUnremoved());
    this.#housekeep('checkpointing', () => this.#maybeSync());
  }

  /** Makes what is written survive a power cut too. */
  sync(): void {
    this.#queue.checkpoint();
    this.#lastSync = Date.now();
  }

  /** Checkpoints and closes the spool. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#housekeep('deleting acknowledged samples', () => this.#removeUnremoved());
    try {
      this.#queue.close();
    } catch (err) {
      this.#opts.log?.warn(`closing the spool: ${(err as Error).message}; what it holds is read again at the next start`);
    }
    this.#unlock();
  }

  #records(entries: readonly { id: number; text: string }[], max: number): SpoolRecord[] {
    const records: SpoolRecord[] = [];
    for (const e of entries) {
      if (records.length >= max) break;
      if (!this.#unremoved.has(e.id)) records.push({ id: e.id, json: e.text });
    }
    return records;
  }

  #removeUnremoved(): void {
    if (this.#unremoved.size === 0) return;
    this.#queue.remove(this.#unremoved);
    this.#unremoved.clear();
  }

  /** Runs a step after a write that must not fail the write: a failure is logged once, and the step is tried again next time. */
  #housekeep(what: string, step: () => void): void {
    try {
      step();
      if (this.#housekeeping.delete(what)) this.#opts.log?.info(`${what} in the spool works again`);
    } catch (err) {
      const message = `${what} in the spool failed${isDiskFull(err) ? ' (disk full)' : ''}, will retry: ${(err as Error).message}`;
      if (this.#housekeeping.get(what) !== message) this.#opts.log?.warn(message);
      this.#housekeeping.set(what, message);
    }
  }

  #enforceBounds(): void {
    const { maxSamples, maxBytes } = this.#opts;
    const q = this.#queue;
    let dropped = 0;
    while (q.count > maxSamples || q.bytes > maxBytes) {
      // The oldest entries that must go for both bounds to hold.
      let count = q.count;
      let bytes = q.bytes;
      let through = 0;
      for (const e of q.read(DROP_STEP)) {
        if (count <= maxSamples && bytes <= maxBytes) break;
        count -= e.count;
        bytes -= Buffer.byteLength(e.text);
        through = e.id;
      }
      if (through === 0) break;
      dropped += q.removeThrough(through).count;
    }
    if (dropped > 0) {
      this.#dropped += dropped;
      this.#opts.log?.warn(
        `spool full (limits ${maxSamples} samples, ${maxBytes} bytes): dropped the ${dropped} oldest samples, ${this.#dropped} since start; now from id ${q.read(1)[0]?.id ?? q.nextId}`,
      );
    }
  }

  #maybeSync(): void {
    if (Date.now() - this.#lastSync >= this.#opts.fsyncIntervalMs) this.sync();
  }
}
