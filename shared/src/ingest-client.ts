// How an SFU node, a room page or the simulated rooms send samples: batches to
// the NOC's ingest gateway with a token. Samples wait in a bounded in-memory
// queue while the gateway is unreachable
// or the store is down, and are sent in order once it answers again.
import { MAX_SAMPLES_PER_BATCH, type IngestSample } from './metrics.ts';

export interface IngestClientOptions {
  url: string;
  token: string;
  /** Most samples kept while the gateway is unreachable; the oldest go first beyond it. */
  maxSpool?: number;
  timeoutMs?: number;
  onError?: (message: string) => void;
}

export class IngestRejectedError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'IngestRejectedError';
    this.status = status;
  }
}

export class IngestClient {
  #opts: Required<Omit<IngestClientOptions, 'onError'>> & Pick<IngestClientOptions, 'onError'>;
  #spool: IngestSample[] = [];
  #sending: Promise<void> | null = null;
  #dropped = 0;

  constructor(opts: IngestClientOptions) {
    this.#opts = { maxSpool: 50_000, timeoutMs: 5000, ...opts };
  }

  /** Samples waiting to be sent. */
  get spoolDepth(): number {
    return this.#spool.length;
  }

  /** Samples lost because the spool overflowed. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues samples (stamping their time now) and tries to send everything queued. */
  async send(samples: IngestSample[]): Promise<void> {
    const now = Date.now();
    for (const s of samples) this.#spool.push({ ...s, time: s.time ?? now } as IngestSample);
    const overflow = this.#spool.length - this.#opts.maxSpool;
    if (overflow > 0) {
      this.#spool.splice(0, overflow);
      this.#dropped += overflow;
    }
    await this.flush();
  }

  /** Sends what is spooled; one flush at a time. */
  flush(): Promise<void> {
    this.#sending ??= this.#drain().finally(() => {
      this.#sending = null;
    });
    return this.#sending;
  }

  async #drain(): Promise<void> {
    while (this.#spool.length > 0) {
      const batch = this.#spool.slice(0, MAX_SAMPLES_PER_BATCH);
      let res: Response;
      try {
        res = await fetch(this.#opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#opts.token}` },
          body: JSON.stringify({ samples: batch }),
          signal: AbortSignal.timeout(this.#opts.timeoutMs),
        });
      } catch (err) {
        this.#opts.onError?.(`gateway unreachable, ${this.#spool.length} samples spooled: ${(err as Error).message}`);
        return;
      }
      const text = await res.text();
      if (res.status === 202) {
        this.#spool.splice(0, batch.length);
        continue;
      }
      if (res.status >= 500 || res.status === 429) {
        this.#opts.onError?.(`gateway answered ${res.status}, ${this.#spool.length} samples spooled: ${text}`);
        return;
      }
      // A 4xx means this batch will never be accepted: drop it so it does not block the rest.
      this.#spool.splice(0, batch.length);
      this.#dropped += batch.length;
      throw new IngestRejectedError(res.status, `gateway refused ${batch.length} samples (${res.status}): ${text}`);
    }
  }
}
