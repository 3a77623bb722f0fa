// Password hashing with scrypt (node:crypto). A stored hash names its own
// parameters, so they can be raised later without breaking older hashes:
// `scrypt$<N>$<r>$<p>$<salt base64url>$<key base64url>`.
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** N = 2^15, r = 8, p = 3: one of OWASP's equivalent scrypt settings (about 0.2 s on one core here). */
const PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { N: number; r: number; p: number; salt: Buffer; key: Buffer } | null {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((x) => Number.isInteger(x) && x > 0)) return null;
  return { ...params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/** A hash of nothing anyone knows: checked against when the user does not exist, so both answers take as long. */
let decoy: Promise<string> | null = null;

/** Makes the decoy hash ahead of the first sign-in, so that one takes no longer either. */
export function prepareDecoy(): void {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
}

/**
 * Whether `password` matches `stored`. With `stored` null (no such user) it
 * still does the same work and answers false, so the time taken does not tell
 * whether the username exists.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  prepareDecoy();
  const parsed = parse(stored ?? (await decoy!));
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key) && stored !== null;
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A random password that reads well aloud and on paper: four groups of four, e.g. `k7mq-2xrp-9tda-hw4e` (about 80 bits). */
export function randomPassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
