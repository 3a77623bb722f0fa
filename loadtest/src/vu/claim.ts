// A number of one's own for a virtual user, unique across Artillery's worker
// threads and processes: the first free `<dir>/<kind>-<n>` it can create
// exclusively. A process goes on from its last claim, so the 480 seats of a
// 12 × 40 run do not each try every number below theirs.
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** Where this process looks next for each kind: numbers below were taken, by it or by another. */
const nextTry = new Map<string, number>();

export function claimNumber(dir: string, kind: string, limit = 100_000): number {
  const key = `${dir}\0${kind}`;
  for (let n = nextTry.get(key) ?? 0; n < limit; n++) {
    try {
      closeSync(openSync(join(dir, `${kind}-${n}`), 'wx'));
      nextTry.set(key, n + 1);
      return n;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`no free ${kind} number under ${dir} below ${limit}`);
}
