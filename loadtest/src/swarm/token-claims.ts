// Reads what an access token says about its holder, without checking its
// signature (the SFU does that): the swarm needs the role and site a token was
// issued for, to act as that endpoint and to say clearly when it cannot.
import { accessClaimsSchema, type AccessClaims } from '@noc/shared/access-claims';

export function readTokenClaims(token: string): AccessClaims {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) throw new Error('the access token is malformed (no payload.signature)');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
  } catch {
    throw new Error('the access token payload is not base64url JSON');
  }
  const parsed = accessClaimsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the access token payload is not valid: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** The claims of a token for `role` of a site with the load-test claim, or an error naming what is wrong. */
export function requireLoadTestClaims(token: string, role: 'site' | 'seat'): AccessClaims & { site: string } {
  const claims = readTokenClaims(token);
  if (claims.role !== role) throw new Error(`this token is for a ${claims.role}, not a ${role}`);
  if (!claims.site) throw new Error(`this ${role} token names no site`);
  if (claims.loadTest !== true) throw new Error(`this ${role} token has no loadTest claim; plain RTP transports need it`);
  return claims as AccessClaims & { site: string };
}
