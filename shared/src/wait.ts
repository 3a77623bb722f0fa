// Polling with a deadline: the way the project waits for a process or a
// condition, instead of fixed sleeps.
import { setTimeout as sleep } from 'node:timers/promises';

export class TimeoutError extends Error {
  constructor(what: string, ms: number, last: unknown) {
    const why = last instanceof Error ? `: ${last.message}` : '';
    super(`timed out after ${ms} ms waiting for ${what}${why}`);
    this.name = 'TimeoutError';
  }
}

/**
 * Calls `probe` until it returns a value other than undefined/false, or throws
 * TimeoutError after `timeoutMs`. Other errors thrown by `probe` count as "not
 * yet" (a server that does not answer yet, a file not written yet), except a
 * failed node:assert assertion (code 'ERR_ASSERTION'): an assertion in a probe
 * states what must hold at every poll, so the wait ends at once and the
 * assertion is thrown as it is. A condition that may still come true belongs
 * in the returned value, not in an assertion.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 10_000, intervalMs = 100, signal }: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      if (isFailedAssertion(err)) throw err;
      last = err;
    }
    if (Date.now() >= deadline) throw new TimeoutError(what, timeoutMs, last);
    await sleep(intervalMs);
  }
}

function isFailedAssertion(err: unknown): boolean {
  return err instanceof Error && (err as Error & { code?: unknown }).code === 'ERR_ASSERTION';
}
