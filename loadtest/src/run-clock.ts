// When a run's load starts and ends. Artillery takes seconds to start (more
// on a busy machine), and each of a run's Artillery processes at its own pace,
// so the runner sets the clock only once every one of them is up: it writes
// the clock file, and the virtual users wait for it before they act.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunClock {
  /** ms since the epoch. */
  startedAt: number;
  endsAt: number;
}

export async function writeClock(file: string, clock: RunClock): Promise<void> {
  // Written whole, then renamed, so a reader never sees half of it.
  await writeFile(`${file}.tmp`, JSON.stringify(clock));
  await rename(`${file}.tmp`, file);
}

let known: Promise<RunClock> | null = null;

/** The clock, once the runner has written it (read once per process). */
export function waitForClock(file: string, timeoutMs = 120_000): Promise<RunClock> {
  known ??= (async () => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return JSON.parse(await readFile(file, 'utf8')) as RunClock;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (Date.now() > deadline) throw new Error(`the run's clock (${file}) was not written within ${timeoutMs} ms`);
      await sleep(100);
    }
  })();
  return known;
}
