// How an SFU node, a room page or the simulated rooms send samples: batches to
// the NOC's ingest gateway with a token. Samples wait in a bounded in-memory
// queue while the gateway is unreachable, the store is down or the token is
// refused, and are sent in order once it answers again (the rule for each
// answer is `ingest-answer.ts`). After a failure, send() only queues until the
// back-off has passed; flush() tries at once.
import { Backoff, type BackoffOptions } from './backoff.ts';
import { gatewayMessage, ingestVerdict } from './ingest-answer.ts';
import { MAX_SAMPLES_PER_BATCH, type IngestSample } from './metrics.ts';

export interface IngestClientOptions {
  url: string;
  token: string;
  /** Most samples kept while they cannot be sent; the oldest go first beyond it. */
  maxSpool?: number;
  timeoutMs?: number;
  /** Waits between tries after a failure (default 1 s doubling up to 30 s, with jitter). */
  retry?: BackoffOptions;
  onError?: (message: string) => void;
}

/** A batch the gateway refused for good (its samples, not the token): it was dropped. */
export class IngestRejectedError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'IngestRejectedError';
    this.status = status;
  }
}

export class IngestClient {
  #opts: Required<Omit<IngestClientOptions, 'onError' | 'retry'>> & Pick<IngestClientOptions, 'onError'>;
  #spool: IngestSample[] = [];
  #sending: Promise<void> | null = null;
  #dropped = 0;
  #backoff: Backoff;
  #refusedWith: number | null = null;

  constructor(opts: IngestClientOptions) {
    this.#opts = { maxSpool: 50_000, timeoutMs: 5000, ...opts };
    this.#backoff = new Backoff(opts.retry ?? { firstMs: 1000, maxMs: 30_000, jitter: true });
  }

  /** Samples waiting to be sent. */
  get spoolDepth(): number {
    return this.#spool.length;
  }

  /** Samples lost: the queue overflowed, or the gateway refused their batch for good. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The status (401, 403) with which the gateway last refused the token, until it accepts a batch again. */
  get tokenRefused(): number | null {
    return this.#refusedWith;
  }

  /** Queues samples (stamping their time now) and sends what is queued, unless a retry is not due yet. */
  async send(samples: IngestSample[]): Promise<void> {
    const now = Date.now();
    for (const s of samples) this.#spool.push({ ...s, time: s.time ?? now } as IngestSample);
    const overflow = this.#spool.length - this.#opts.maxSpool;
    if (overflow > 0) {
      this.#spool.splice(0, overflow);
      this.#dropped += overflow;
    }
    if (this.#backoff.ready(now)) await this.flush();
  }

  /** Sends what is queued now, whatever the back-off; one flush at a time. */
  flush(): Promise<void> {
    this.#sending ??= this.#drain().finally(() => {
      this.#sending = null;
    });
    return this.#sending;
  }

  async #drain(): Promise<void> {
    while (this.#spool.length > 0) {
      const batch = this.#spool.slice(0, MAX_SAMPLES_PER_BATCH);
      let status: number | null = null;
      let text: string;
      try {
        const res = await fetch(this.#opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#opts.token}` },
          body: JSON.stringify({ samples: batch }),
          signal: AbortSignal.timeout(this.#opts.timeoutMs),
        });
        text = await res.text();
        status = res.status;
      } catch (err) {
        text = (err as Error).message;
      }
      const verdict = ingestVerdict(status);
      if (verdict === 'accepted') {
        this.#spool.splice(0, batch.length);
        this.#backoff.reset();
        this.#refusedWith = null;
        continue;
      }
      if (verdict === 'malformed') {
        // This batch would be refused on every try: drop it so it does not block the rest.
        this.#spool.splice(0, batch.length);
        this.#dropped += batch.length;
        throw new IngestRejectedError(status ?? 0, `gateway refused ${batch.length} samples (${status}): ${gatewayMessage(text)}`);
      }
      const retryMs = this.#backoff.failed(Date.now());
      const kept = `${this.#spool.length} samples kept, next try in ${(retryMs / 1000).toFixed(1)} s`;
      if (verdict === 'credentials') {
        this.#refusedWith = status;
        this.#opts.onError?.(`gateway refused the token (${status}): ${gatewayMessage(text)}; ${kept}`);
      } else if (status === null) {
        this.#opts.onError?.(`gateway unreachable, ${kept}: ${text}`);
      } else {
        this.#opts.onError?.(`gateway answered ${status}, ${kept}: ${gatewayMessage(text)}`);
      }
      return;
    }
  }
}
