// Probe credentials. A probe holds a token bound to its site; the ingest gateway
// derives the site from the token and stamps it on every sample, so one site's
// probe can never write another site's data.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'noc-probe-v1';

function mac(secret: Buffer, siteId: string): string {
  return createHmac('sha256', secret).update(`${PURPOSE}:${siteId}`).digest('base64url');
}

/** The token issued to the probe of `siteId`: `<siteId>.<mac>`. */
export function issueProbeToken(secret: Buffer, siteId: string): string {
  return `${siteId}.${mac(secret, siteId)}`;
}

/** The site a token belongs to, or null when the token is not one we issued. */
export function verifyProbeToken(secret: Buffer, token: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length > 200) return null;
  const siteId = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, siteId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? siteId : null;
}
