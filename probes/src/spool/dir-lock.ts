// One process per spool folder: a `lock` file holding the owner's process id.
// A second owner is refused with the holder's id; a lock left by a process
// that is gone is taken over.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'lock';

/** Takes the folder's lock, or throws naming the live process that holds it. Returns the release. */
export function lockDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (Number.isSafeInteger(holder) && holder > 0 && alive(holder)) {
      throw new Error(`the spool ${dir} is in use by process ${holder} (another probe agent?); remove ${file} if that is wrong`);
    }
    unlinkSync(file); // left by a process that is gone
  }
  throw new Error(`cannot take the lock ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
