// Retry timing after failures: the first delay, doubling up to a ceiling, back
// to the first after a success. With `jitter`, each delay is drawn from the
// upper half of its step, so many clients cut off together do not come back in
// step. Every retry loop of the system (live feed, ingest senders, webhooks,
// meeting reconnection, the simulator's lines) takes its timing from here.

export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
  jitter?: boolean;
  random?: () => number;
}

/** The delay before retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, o: BackoffOptions): number {
  const ceiling = Math.min(o.maxMs, o.firstMs * 2 ** Math.max(0, attempt));
  if (!o.jitter) return ceiling;
  const random = o.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class Backoff {
  readonly #o: BackoffOptions;
  #attempt = 0;
  #retryAt = 0;

  constructor(o: BackoffOptions) {
    this.#o = o;
  }

  /** Failures since the last success. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt after one more failure. */
  next(): number {
    return backoffDelay(this.#attempt++, this.#o);
  }

  /** A success: the next failure waits the first delay again. */
  reset(): void {
    this.#attempt = 0;
    this.#retryAt = 0;
  }

  /** For loops that poll: records a failure at `now` and returns the delay before the next attempt. */
  failed(now: number): number {
    const delay = this.next();
    this.#retryAt = now + delay;
    return delay;
  }

  /** For loops that poll: whether a new attempt may be made at `now`. */
  ready(now: number): boolean {
    return now >= this.#retryAt;
  }
}
