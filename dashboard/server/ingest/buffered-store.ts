// The gateway's durable path to the store. While the store takes writes and
// nothing is waiting, a batch goes straight to it. When the store is
// unavailable, the batch goes to the on-disk spool (`spool.ts`) instead and the
// caller gets its answer as soon as the batch is on disk; from then on every
// batch queues behind it, and a background drainer delivers the spool in
// order, backing off (`Backoff`) while the store stays away. The spool
// survives a restart, a kill and a power cut, and is drained on start. A batch
// delivered twice (a crash between delivery and its removal from the spool)
// overwrites itself: same series, same time.
//
// A full disk under the spool: a batch the spool cannot take goes straight to
// the store if it takes writes (the spool is only being drained); otherwise
// it is refused (SpoolDiskFullError: the gateway answers 503 and the sender
// keeps it). The refusal is logged once, shown in the store's health detail
// until a write goes through again, and the recovery is logged.
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Backoff } from '@noc/shared/backoff';
import type { Point } from '@noc/shared/metrics';
import { SampleSpool, SpoolDiskFullError, type SpoolBatch } from './spool.ts';
import {
  checkPoints,
  StoreUnavailableError,
  type AggregateByField,
  type AggregateQuery,
  type LastBySite,
  type LastQuery,
  type MinutesByWindow,
  type MinutesQuery,
  type SampleStore,
  type SeriesByField,
  type SeriesQuery,
} from '../store/store.ts';

export interface BufferedStoreOptions {
  /** The spool's folder (in the NOC data folder). */
  dir: string;
  /** Most bytes the spool may hold; past it the gateway answers 503 and probes keep their samples. */
  maxBytes?: number;
  /** Points per store write while draining. */
  drainBatch?: number;
  /** Back-off between attempts while the store stays unavailable. */
  retryMinMs?: number;
  retryMaxMs?: number;
  log?: (message: string) => void;
}

export class BufferedStore implements SampleStore {
  readonly kind: SampleStore['kind'];
  #inner: SampleStore;
  #spool: SampleSpool;
  #log: (message: string) => void;
  #drainBatch: number;
  #backoff: Backoff;
  #draining: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #closed = false;
  /** Why the store was last unavailable; null while it takes writes. */
  #down: string | null = null;
  #setAside = 0;
  #bufferedTotal = 0;
  /** Since when, and why, the spool refuses batches for want of disk space; null while it takes them. */
  #refusing: { since: number; why: string } | null = null;
  /** After a refused multi-batch write: deliver batch by batch up to here, to find the one refused. */
  #isolateUntil: number | null = null;

  private constructor(inner: SampleStore, spool: SampleSpool, opts: BufferedStoreOptions) {
    this.kind = inner.kind;
    this.#inner = inner;
    this.#spool = spool;
    this.#log = opts.log ?? ((m) => console.warn(`[ingest-buffer] ${m}`));
    this.#drainBatch = opts.drainBatch ?? 5000;
    this.#backoff = new Backoff({ firstMs: opts.retryMinMs ?? 250, maxMs: opts.retryMaxMs ?? 5000 });
  }

  /** Opens the spool and starts delivering whatever a previous run left in it. */
  static async open(inner: SampleStore, opts: BufferedStoreOptions): Promise<BufferedStore> {
    const spool = await SampleSpool.open({
      dir: opts.dir,
      ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    const store = new BufferedStore(inner, spool, opts);
    if (!spool.empty) {
      store.#log(`${spool.depth} samples left in ${spool.dir} by the last run: delivering them to the store`);
      store.#kick();
    }
    return store;
  }

  /** Samples accepted but not yet in the store. */
  get depth(): number {
    return this.#spool.depth;
  }

  /** Samples that went through the spool since it was opened, rather than straight to the store. */
  get bufferedTotal(): number {
    return this.#bufferedTotal;
  }

  /** Batches the store refused for good, kept in rejected.jsonl next to the spool. */
  get setAside(): number {
    return this.#setAside;
  }

  get location(): string {
    const waiting = this.#spool.depth;
    const at = waiting === 0 ? this.#inner.location : `${this.#inner.location}; delivering ${waiting} buffered samples`;
    return `${at}${this.#refusalNote()}`;
  }

  /** Whether the spool's disk is full and batches are being refused for it. */
  get refusing(): boolean {
    return this.#refusing !== null;
  }

  async write(points: Point[]): Promise<void> {
    if (points.length === 0) return;
    if (this.#spool.empty && !this.#draining) {
      try {
        // The store checks the points itself before it writes any.
        await this.#inner.write(points);
        this.#noteWritten();
        return;
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err;
        this.#noteDown(err);
      }
    }
    // Only points the store would take go in the buffer: a bad batch is refused now, not set aside later.
    checkPoints(points);
    try {
      // Throws StoreUnavailableError when the spool is full or cannot be written.
      await this.#spool.append(points);
    } catch (err) {
      if (!(err instanceof SpoolDiskFullError)) throw err;
      if (this.#down === null) {
        // The store takes writes (the spool is only being drained): the batch goes there, out of turn.
        try {
          await this.#inner.write(points);
          return;
        } catch (direct) {
          if (direct instanceof StoreUnavailableError) this.#noteDown(direct);
        }
      }
      this.#noteRefused(err);
      throw err;
    }
    this.#noteWritten();
    this.#bufferedTotal += points.length;
    this.#kick();
  }

  series(query: SeriesQuery): Promise<SeriesByField> {
    return this.#inner.series(query);
  }

  last(query: LastQuery): Promise<LastBySite> {
    return this.#inner.last(query);
  }

  aggregate(query: AggregateQuery): Promise<AggregateByField> {
    return this.#inner.aggregate(query);
  }

  minutes(query: MinutesQuery): Promise<MinutesByWindow> {
    return this.#inner.minutes(query);
  }

  /** Rejects while the store is unavailable, saying how many samples wait in the buffer (and whether it refuses more). */
  async ping(): Promise<void> {
    try {
      await this.#inner.ping();
    } catch (err) {
      const n = this.#spool.depth;
      throw new StoreUnavailableError(
        `${(err as Error).message}; ${n} sample${n === 1 ? '' : 's'} kept in the ingest buffer until it answers${this.#refusalNote()}`,
        { cause: err },
      );
    }
    // It answers: try the spool now instead of at the end of the back-off.
    this.#wake?.();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    await this.#draining;
    await this.#spool.close();
    await this.#inner.close();
  }

  #refusalNote(): string {
    if (!this.#refusing) return '';
    return `; the ingest buffer refuses samples (503) since ${new Date(this.#refusing.since).toISOString()}: ${this.#refusing.why}`;
  }

  #noteRefused(err: Error): void {
    if (this.#refusing === null) {
      this.#log(`${err.message}: refusing samples (503), senders keep them; ${this.#spool.depth} samples already buffered stay`);
      this.#refusing = { since: Date.now(), why: "no space left on the buffer's disk" };
    }
  }

  #noteWritten(): void {
    if (this.#refusing === null) return;
    const s = Math.round((Date.now() - this.#refusing.since) / 1000);
    this.#log(`samples are taken again after ${s} s of refusals for want of disk space under the ingest buffer`);
    this.#refusing = null;
  }

  #noteDown(err: Error): void {
    if (this.#down === null) this.#log(`the store is unavailable, keeping samples in ${this.#spool.dir}: ${err.message}`);
    this.#down = err.message;
  }

  #kick(): void {
    if (this.#closed || this.#draining) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
    });
  }

  async #drain(): Promise<void> {
    this.#backoff.reset();
    while (!this.#closed && !this.#spool.empty) {
      let batch: SpoolBatch | null;
      try {
        const size = this.#isolateUntil !== null ? 1 : this.#drainBatch;
        batch = await this.#spool.read(size);
        if (!batch) {
          // Only appends still on their way to disk: wait for them.
          await this.#spool.settled();
          batch = await this.#spool.read(size);
          if (!batch) return;
        }
        try {
          await this.#inner.write(batch.points);
        } catch (err) {
          if (err instanceof StoreUnavailableError) throw err;
          if (batch.lines > 1) {
            // Some accepted batch in here is refused: go through them one by one.
            this.#isolateUntil = batch.end;
            continue;
          }
          // The store will never take this batch: keep it aside rather than block the rest.
          await this.#putAside(batch, err as Error);
        }
        await this.#spool.ack(batch);
        if (this.#isolateUntil !== null && batch.end >= this.#isolateUntil) this.#isolateUntil = null;
        this.#backoff.reset();
        if (this.#down !== null) {
          this.#log(`the store takes writes again; ${this.#spool.depth} buffered samples still to deliver`);
          this.#down = null;
        }
      } catch (err) {
        if (err instanceof StoreUnavailableError) this.#noteDown(err);
        else this.#log(`delivering the buffer failed, will retry: ${(err as Error).message}`);
        await this.#pause(this.#backoff.next());
      }
    }
    if (this.#spool.empty && !this.#closed) this.#log('the ingest buffer is delivered');
  }

  #pause(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #putAside(batch: SpoolBatch, err: Error): Promise<void> {
    const file = join(this.#spool.dir, 'rejected.jsonl');
    await appendFile(file, JSON.stringify({ time: Date.now(), error: err.message, points: batch.points }) + '\n');
    this.#setAside += batch.points.length;
    this.#log(`the store refused ${batch.points.length} buffered samples for good (${err.message}); kept in ${file}`);
  }
}
