// A number of one's own for a virtual user, unique across Artillery's worker
// threads and processes: the first free `<dir>/<kind>-<n>` it can create
// exclusively.
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export function claimNumber(dir: string, kind: string, limit = 100_000): number {
  for (let n = 0; n < limit; n++) {
    try {
      closeSync(openSync(join(dir, `${kind}-${n}`), 'wx'));
      return n;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`no free ${kind} number under ${dir} below ${limit}`);
}
