// Waiting inside a virtual user: until a moment, or until a signal, whichever first.
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves at `at` (ms since the epoch), or when `signal` aborts. */
export async function until(at: number, signal?: AbortSignal): Promise<void> {
  const ms = at - Date.now();
  if (ms <= 0 || signal?.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => {});
}

/** Waits `ms`, or less when `signal` aborts (at once when it already has). */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => {});
}
