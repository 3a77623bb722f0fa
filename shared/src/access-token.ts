// Access tokens for signalling, and for the token-link room and control pages
// (their /api/config and /api/sites reads and their media samples to
// /api/ingest). The NOC server issues them;
// the SFU checks them with the same secret. A token names who holds it (role),
// the site it acts for (site endpoints, seats, technicians) and the meeting it
// may join, and it expires.
import { createHmac, timingSafeEqual } from 'node:crypto';

export { ACCESS_ROLES, accessClaimsSchema, type AccessClaims, type AccessRole } from './access-claims.ts';
import { accessClaimsSchema, type AccessClaims } from './access-claims.ts';

const PURPOSE = 'noc-access-v1';

function mac(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(`${PURPOSE}.${payload}`).digest('base64url');
}

export function issueAccessToken(secret: Buffer, claims: AccessClaims): string {
  const parsed = accessClaimsSchema.parse(claims);
  if ((parsed.role === 'site' || parsed.role === 'seat') && !parsed.site) {
    throw new Error(`a ${parsed.role} token must name its site`);
  }
  const payload = Buffer.from(JSON.stringify(parsed)).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

export type TokenCheck = { ok: true; claims: AccessClaims } | { ok: false; reason: string };

export function verifyAccessToken(secret: Buffer, token: string, now = Date.now()): TokenCheck {
  if (token.length > 2048) return { ok: false, reason: 'the token is too long' };
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return { ok: false, reason: 'the token is malformed' };
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'the token signature is not valid' };
  }
  let claims: AccessClaims;
  try {
    claims = accessClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'the token payload is not valid' };
  }
  if (claims.exp <= now) return { ok: false, reason: 'the token has expired' };
  return { ok: true, claims };
}
