// The admin API for wall display tokens (admin only): list, create (the token
// is answered once), revoke (the screens signed in with it are signed out).
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';

export function adminDisplayTokenRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { displayTokens, sessions } = ctx.auth;

  apiRoute(app, 'displayTokens.list', () => ({ tokens: displayTokens.list() }));

  const { audit } = ctx.incidents;

  apiRoute(app, 'displayTokens.create', ({ body }, req) => {
    const answer = displayTokens.create(body.label);
    audit.record(sessionOf(req).user.username, 'displayToken.create', `displayToken:${answer.record.id}`, { label: body.label });
    return answer;
  });

  apiRoute(app, 'displayTokens.revoke', ({ params }, req) => {
    if (!displayTokens.revoke(params.id)) throw new HttpError(404, `no display token "${params.id}"`);
    sessions.endForDisplayToken(params.id);
    audit.record(sessionOf(req).user.username, 'displayToken.revoke', `displayToken:${params.id}`);
  });
}
