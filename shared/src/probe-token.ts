// Ingest credentials. A probe holds a token bound to its site; the ingest
// gateway derives the site from the token and stamps it on every sample, so one
// site's probe can never write another site's data. An SFU node holds a node
// token that lets it report media per site and its own load, nothing else.
// The NOC server holds a token of its own that the SFU nodes ask for on their
// status endpoints (`GET /meetings`, `/events`, ...). Every token here is the
// secret's HMAC of `<purpose>:<id>`: anyone with the secret file can issue and
// check them, nothing is stored.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'noc-probe-v1';
const NODE_PURPOSE = 'noc-sfu-node-v1';
const NOC_PURPOSE = 'noc-server-v1';
const NOC_ID = 'noc';

function mac(secret: Buffer, siteId: string, purpose = PURPOSE): string {
  return createHmac('sha256', secret).update(`${purpose}:${siteId}`).digest('base64url');
}

/** The token issued to the probe of `siteId`: `<siteId>.<mac>`. */
export function issueProbeToken(secret: Buffer, siteId: string): string {
  return `${siteId}.${mac(secret, siteId)}`;
}

/** The site a token belongs to, or null when the token is not one we issued. */
export function verifyProbeToken(secret: Buffer, token: string, purpose = PURPOSE): string | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length > 200) return null;
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, id, purpose));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/** The token an SFU node sends its media and load figures with: `sfu-<node>.<mac>`. */
export function issueNodeToken(secret: Buffer, node: 'main' | 'backup'): string {
  return `sfu-${node}.${mac(secret, `sfu-${node}`, NODE_PURPOSE)}`;
}

/** The SFU node a token belongs to, or null. */
export function verifyNodeToken(secret: Buffer, token: string): 'main' | 'backup' | null {
  const id = verifyProbeToken(secret, token, NODE_PURPOSE);
  return id === 'sfu-main' ? 'main' : id === 'sfu-backup' ? 'backup' : null;
}

/** The token the NOC server reads the SFU nodes' status endpoints with: `noc.<mac>`. */
export function issueNocToken(secret: Buffer): string {
  return `${NOC_ID}.${mac(secret, NOC_ID, NOC_PURPOSE)}`;
}

/** Whether `token` is the NOC server's. */
export function verifyNocToken(secret: Buffer, token: string): boolean {
  return verifyProbeToken(secret, token, NOC_PURPOSE) === NOC_ID;
}
