// Who may call each route, declared on the route itself and checked in one
// place. Every route under /api/ must declare `config.access`: either public
// (with the reason), or the roles allowed and, for a route about one site,
// how to find that site. The routes of the API table (@noc/shared/http-api)
// get theirs from the table (api-route.ts). A route without a declaration
// stops the server at start-up, so none can be forgotten.
//
// The rule is checked before the route's input is validated (Fastify's
// preValidation step), so a caller who may not use a route learns nothing of
// what it takes.
//
// Answers: 401 without a session, 403 (with the reason) for a role the route
// is not for, a site the user may not see (canSeeSite), or a change sent with
// the session cookie by a page of another origin (a sibling host the cookie
// reaches, say): browsers name the page's origin on such requests.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { canSeeSite, type SessionUser, type UserRole } from '@noc/shared/auth';
import { verifyAccessToken, type AccessClaims } from '@noc/shared/access-token';
import { HttpError } from '../errors.ts';
import type { Auth } from './auth.ts';
import { sessionCookieId, setSessionCookie } from './session-cookie.ts';
import type { Session } from './session-store.ts';

/** The site a request is about, or that it spans every site (`everySite` says how, for the 403 message). */
export type SiteScope = { site: string } | { everySite: string };

export interface AccessRule {
  roles: readonly UserRole[];
  /** For routes about a site: which one. null: this request is not about a site. */
  site?: (req: FastifyRequest, user: SessionUser) => SiteScope | null;
  /** Also let in the holder of an SFU access token sent as `Authorization: Bearer <token>`. */
  accessToken?: boolean;
}

export type Access = AccessRule | { public: string };

export type Principal = { kind: 'session'; user: SessionUser; session: Session } | { kind: 'access-token'; claims: AccessClaims };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** Who is calling, once the route's access rule has let them in. */
    principal: Principal | null;
  }
}

/** The signed-in user of a request that passed a session rule. */
export function sessionOf(req: FastifyRequest): { user: SessionUser; session: Session } {
  const p = req.principal;
  if (p?.kind !== 'session') throw new HttpError(401, 'sign in first');
  return p;
}

/** The session behind the request's cookie, if any; slides its expiry and sends the cookie again when it moved. */
export function resumeSession(auth: Auth, req: FastifyRequest, reply: FastifyReply | null): Session | null {
  const cookieId = sessionCookieId(req);
  if (!cookieId) return null;
  const resumed = auth.sessions.resume(cookieId);
  if (!resumed) return null;
  if (resumed.slid && reply) setSessionCookie(reply, cookieId, resumed.session.idleMs, auth.cookieSecure);
  return resumed.session;
}

function bearer(req: FastifyRequest): string | null {
  const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
  return match ? match[1]! : null;
}

function checkSite(rule: AccessRule, req: FastifyRequest, user: SessionUser): void {
  const scope = rule.site?.(req, user);
  if (!scope) return;
  if ('everySite' in scope) {
    if (user.role === 'technician') throw new HttpError(403, `${scope.everySite}: a technician sees only its own site "${user.site}"`);
    return;
  }
  if (!canSeeSite(user, scope.site)) {
    throw new HttpError(403, `a technician of "${user.site}" sees only its own site, not "${scope.site}"`);
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A change under the session cookie must come from this server's own pages (or from a client that is no browser). */
function sameOriginChange(req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (READS.has(req.method) || origin === undefined) return;
  if (URL.parse(origin)?.host !== req.headers.host)
    throw new HttpError(403, `changes are taken from this server's own pages, not from ${origin}`);
}

function guard(auth: Auth, secret: Buffer, rule: AccessRule) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const session = resumeSession(auth, req, reply);
    if (!session) {
      const token = rule.accessToken ? bearer(req) : null;
      if (token) {
        const check = verifyAccessToken(secret, token);
        if (!check.ok) throw new HttpError(401, `the access token is not valid: ${check.reason}`);
        req.principal = { kind: 'access-token', claims: check.claims };
        return;
      }
      throw new HttpError(401, 'sign in first: no session, or it has ended');
    }
    sameOriginChange(req);
    const { user } = session;
    if (!rule.roles.includes(user.role)) {
      throw new HttpError(
        403,
        `a ${user.role} may not use ${req.method} ${req.routeOptions.url ?? req.url} (for: ${rule.roles.join(', ')})`,
      );
    }
    checkSite(rule, req, user);
    req.principal = { kind: 'session', user, session };
  };
}

/** A route as registered: its method and Fastify path. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Call before any route is added: every /api/ route then gets its access rule checked before its
 * input is validated and its own preValidation hooks run. Answers every route added, /api/ or not
 * (HEAD routes Fastify adds for GET ones left out), filled in as they are.
 */
export function installAccessControl(app: FastifyInstance, auth: Auth, secret: Buffer): readonly RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`${String(route.method)} ${route.url} declares no access rule (config.access)`);
    if ('public' in access) return;
    const existing = route.preValidation ? (Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation]) : [];
    route.preValidation = [guard(auth, secret, access), ...existing];
  });
  return routes;
}
