// Retry timing after a failure: 1 s, doubling to a cap, back to 1 s after a success.
export class Backoff {
  #delayMs: number;
  #retryAt = 0;
  readonly #firstMs: number;
  readonly #maxMs: number;

  constructor(firstMs = 1000, maxMs = 30_000) {
    this.#firstMs = firstMs;
    this.#maxMs = maxMs;
    this.#delayMs = firstMs;
  }

  /** Whether a new attempt may be made at `now`. */
  ready(now: number): boolean {
    return now >= this.#retryAt;
  }

  /** Records a failure at `now`; returns the delay before the next attempt. */
  failed(now: number): number {
    const delay = this.#delayMs;
    this.#retryAt = now + delay;
    this.#delayMs = Math.min(this.#maxMs, delay * 2);
    return delay;
  }

  succeeded(): void {
    this.#delayMs = this.#firstMs;
    this.#retryAt = 0;
  }
}
