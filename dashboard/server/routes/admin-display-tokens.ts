// The admin API for wall display tokens (admin only): list, create (the token
// is answered once), revoke (the screens signed in with it are signed out).
import type { FastifyInstance } from 'fastify';
import { newDisplayTokenSchema, type NewDisplayTokenAnswer } from '@noc/shared/auth';
import { ADMIN } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { zodToHttpError } from '../validation.ts';

const access = { roles: ADMIN };

export function adminDisplayTokenRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { displayTokens, sessions } = ctx.auth;

  app.get('/api/admin/display-tokens', { config: { access } }, async () => ({ tokens: displayTokens.list() }));

  app.post('/api/admin/display-tokens', { config: { access } }, async (req, reply) => {
    const parsed = newDisplayTokenSchema.safeParse(req.body);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid display token');
    const answer: NewDisplayTokenAnswer = displayTokens.create(parsed.data.label);
    return reply.code(201).send(answer);
  });

  app.delete<{ Params: { id: string } }>('/api/admin/display-tokens/:id', { config: { access } }, async (req, reply) => {
    if (!displayTokens.revoke(req.params.id)) throw new HttpError(404, `no display token "${req.params.id}"`);
    sessions.endForDisplayToken(req.params.id);
    return reply.code(204).send();
  });
}
