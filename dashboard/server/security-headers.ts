// The security headers of every answer (@fastify/helmet): a Content-Security-Policy
// the built dashboard keeps (Vite's index.html loads its scripts and styles from
// files, no inline script), no framing, no referrer, no MIME sniffing, and HSTS
// on answers that went out over HTTPS (the server's own, or a trusted proxy's
// X-Forwarded-Proto: https).
import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';

/** HSTS: a year; not for subdomains, which the province may serve over plain HTTP. */
export const HSTS = 'max-age=31536000';

/** The WebSocket origin (`ws://host:port`, `wss://…`) of an SFU node's http(s) URL. */
export function signallingOrigin(sfuUrl: string): string {
  const url = new URL(sfuUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}

/**
 * The policy's directives. `connect-src`: the server itself (API, live feed; `'self'` covers its
 * ws:/wss:) and the SFU nodes' signalling, which the room and control pages reach by WebSocket.
 * Inline style attributes are allowed (`style-src-attr`): ECharts writes its tooltips as HTML with
 * `style="…"`; `<style>` elements and style sheets come from the server only. Videos play
 * MediaStreams (no URL); `blob:`/`data:` images cover charts saved as pictures and the date picker's icons.
 */
export function contentSecurityPolicy(sfuUrls: readonly string[]): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    styleSrcAttr: ["'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    mediaSrc: ["'self'", 'blob:'],
    connectSrc: ["'self'", ...new Set(sfuUrls.map(signallingOrigin))],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    // No upgrade-insecure-requests: a page over HTTPS reaches nothing over plain HTTP
    // anyway, and on plain loopback HTTP (`npm start`) upgrading would break every request.
  };
}

export async function installSecurityHeaders(app: FastifyInstance, sfuUrls: readonly string[]): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(sfuUrls) },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Set below, only on what went out over HTTPS.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
}
