// The session cookie: httpOnly, SameSite=Strict, Path=/, Secure behind HTTPS
// (NOC_COOKIE_SECURE=1). It holds the random session id; the server keeps
// only its hash.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'noc_session';

export function sessionCookieId(req: FastifyRequest): string | null {
  const value = req.cookies[SESSION_COOKIE];
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
}

export function setSessionCookie(reply: FastifyReply, cookieId: string, maxAgeMs: number, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, cookieId, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure,
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure });
}
