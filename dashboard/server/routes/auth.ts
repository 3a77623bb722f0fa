// Signing in and out: people with a username and password, wall screens with a
// display token; who is signed in; and an SFU access token for the signed-in
// user, so desk pages need no token in their address.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SessionUser } from '@noc/shared/auth';
import { issueAccessToken, type AccessClaims } from '@noc/shared/access-token';
import { sessionOf, resumeSession } from '../auth/access-control.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { clearSessionCookie, sessionCookieId, setSessionCookie } from '../auth/session-cookie.ts';
import { secretHash } from '../auth/secret-token.ts';
import { sessionUser } from '../auth/user-store.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { visibleMeetings } from '../meetings-watch.ts';

const SIGNALLING_TOKEN_MS = 12 * 3600_000;

const clock = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });

/** 429 with Retry-After, and a message that says when to try again. */
function tooMany(reply: FastifyReply, waitMs: number, what: string): HttpError {
  const seconds = Math.ceil(waitMs / 1000);
  reply.header('retry-after', String(seconds));
  const minutes = Math.ceil(seconds / 60);
  const at = clock.format(new Date(Date.now() + waitMs));
  return new HttpError(429, `${what}; try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${at}, Vietnam time)`);
}

/** What a signed-in user may do on the SFU. */
function claimsFor(user: SessionUser, meeting: string | undefined, exp: number): AccessClaims {
  const base = { name: user.displayName, exp, ...(meeting ? { meeting } : {}) };
  switch (user.role) {
    case 'admin':
    case 'operator':
      return { ...base, role: 'operator' };
    case 'chair':
      return { ...base, role: 'chair' };
    case 'technician':
      return { ...base, role: 'site', site: user.site ?? undefined };
    case 'wall':
      return { ...base, role: 'wall' };
  }
}

export function authRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { auth } = ctx;

  /** A new session replaces the one the browser held. */
  const startSession = (reply: FastifyReply, owner: { username: string } | { displayTokenId: string }, previous: string | null) => {
    if (previous) auth.sessions.end(secretHash(previous));
    const { cookieId, idleMs } = auth.sessions.start(owner);
    setSessionCookie(reply, cookieId, idleMs, auth.cookieSecure);
  };

  apiRoute(app, 'auth.login', async ({ body }, req, reply) => {
    const username = body.username.trim().toLowerCase();
    const { password } = body;
    const keys = { user: username, address: req.ip };
    const wait = await auth.loginLimiter.attempt(keys);
    if (wait > 0) throw tooMany(reply, wait, 'too many failed sign-ins');
    const user = auth.users.get(username);
    // The same work and the same answer whether the user is unknown or the password wrong.
    const ok = await verifyPassword(password, user?.passwordHash ?? null);
    if (!ok || !user || user.disabled) {
      // A disabled account's attempt counts too: it is no way to try passwords unlimited.
      await auth.loginLimiter.failed(keys);
      throw user && ok ? new HttpError(403, 'this account is disabled; ask an admin') : new HttpError(401, 'wrong username or password');
    }
    await auth.loginLimiter.succeeded(keys, ['user']);
    auth.users.signedIn(user.username);
    startSession(reply, { username: user.username }, sessionCookieId(req));
    return { user: sessionUser(user) };
  });

  apiRoute(app, 'auth.display', async ({ body }, req, reply) => {
    const keys = { address: req.ip };
    const wait = await auth.displayLimiter.attempt(keys);
    if (wait > 0) throw tooMany(reply, wait, 'too many failed display sign-ins from this address');
    const token = auth.displayTokens.use(body.token);
    if (!token) {
      await auth.displayLimiter.failed(keys);
      throw new HttpError(401, 'the display token is not valid or has been revoked');
    }
    await auth.displayLimiter.succeeded(keys);
    startSession(reply, { displayTokenId: token.id }, sessionCookieId(req));
    return { user: { username: `display:${token.id}`, displayName: token.label, role: 'wall', site: null } satisfies SessionUser };
  });

  apiRoute(app, 'auth.logout', (_input, req, reply) => {
    const session = resumeSession(auth, req, null);
    if (session) auth.sessions.end(session.id);
    clearSessionCookie(reply, auth.cookieSecure);
  });

  apiRoute(app, 'auth.me', (_input, req) => ({ user: sessionOf(req).user }));

  apiRoute(app, 'auth.signallingToken', async ({ query }, req) => {
    const { user } = sessionOf(req);
    const { meeting } = query;
    if (meeting !== undefined) {
      // A token for one meeting only for a meeting the SFU carries, and a technician's only for its site's
      // (the meetings it may see): the same answer either way, so the 404 tells a technician nothing of the others.
      const found = await ctx.meetings.find(meeting);
      if (!found || visibleMeetings(user, [found]).length === 0) {
        throw new HttpError(
          404,
          user.role === 'technician'
            ? `no meeting "${meeting}" of site "${user.site}" on the SFU: it is not carried now, or the site is not invited to it`
            : `no meeting "${meeting}" on the SFU: it is not carried now`,
          'meeting',
        );
      }
    }
    const expiresAt = Date.now() + SIGNALLING_TOKEN_MS;
    return { token: issueAccessToken(ctx.secret, claimsFor(user, meeting, expiresAt)), expiresAt };
  });
}
