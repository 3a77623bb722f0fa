// Random bearer secrets (session ids, display tokens) and the hash that is
// stored in their place: a stolen database does not hand out sessions.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a secret. The secrets are random, so a fast hash is enough. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
