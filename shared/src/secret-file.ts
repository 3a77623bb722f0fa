// The server's signing secret (probe tokens), kept in the data folder, created
// on first start with owner-only permissions.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The secret in `file`; rejects when there is none (ENOENT) or it is not a 32-byte hex secret. */
export async function readSecret(file: string): Promise<Buffer> {
  const hex = (await readFile(file, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} does not hold a 32-byte hex secret`);
  return Buffer.from(hex, 'hex');
}

export async function loadOrCreateSecret(file: string): Promise<Buffer> {
  try {
    return await readSecret(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    await writeFile(file, secret.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSecret(file);
    throw err;
  }
}
