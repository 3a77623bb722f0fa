// Merges concurrent writes: while MAX_WRITES_IN_FLIGHT writes are out, the
// batches that arrive wait and go together in the next write (up to
// MAX_WRITE_POINTS), so a busy gateway makes few large writes and an idle one
// adds no delay. A merged write that is refused is tried again batch by batch,
// so each caller hears about its own points only; "unavailable" is told to all.
import { StoreUnavailableError } from './store.ts';

/** Writes out at once; batches arriving meanwhile are merged into the next one. */
export const MAX_WRITES_IN_FLIGHT = 2;
/** InfluxDB's own advice is 5,000–10,000 points per write. */
export const MAX_WRITE_POINTS = 5000;

interface QueuedWrite {
  lines: string[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export class WriteBatcher {
  #send: (lines: string[]) => Promise<void>;
  #queue: QueuedWrite[] = [];
  #inFlight = 0;

  /** `send` writes lines of line protocol in one request; it rejects with StoreUnavailableError for "not now". */
  constructor(send: (lines: string[]) => Promise<void>) {
    this.#send = send;
  }

  write(lines: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ lines, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < MAX_WRITES_IN_FLIGHT && this.#queue.length > 0) {
      let size = 0;
      let n = 0;
      while (n < this.#queue.length && (n === 0 || size + this.#queue[n]!.lines.length <= MAX_WRITE_POINTS)) {
        size += this.#queue[n]!.lines.length;
        n++;
      }
      const group = this.#queue.splice(0, n);
      this.#inFlight++;
      void this.#writeGroup(group).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #writeGroup(group: QueuedWrite[]): Promise<void> {
    try {
      await this.#send(group.length === 1 ? group[0]!.lines : group.flatMap((w) => w.lines));
      for (const w of group) w.resolve();
    } catch (err) {
      if (err instanceof StoreUnavailableError || group.length === 1) {
        for (const w of group) w.reject(err as Error);
        return;
      }
      // Refused: find out whose points InfluxDB will not take.
      for (const w of group) await this.#send(w.lines).then(w.resolve, w.reject);
    }
  }
}
