// The admin API for users (admin only): list, create, change, delete. The
// rules live in auth/user-admin.ts; bad input is a 400 naming the field.
import type { FastifyInstance } from 'fastify';
import { newUserSchema, userPatchSchema } from '@noc/shared/auth';
import { ADMIN, sessionOf } from '../auth/access-control.ts';
import type { Actor } from '../auth/user-admin.ts';
import type { ServerContext } from '../context.ts';
import { zodToHttpError } from '../validation.ts';

const access = { roles: ADMIN };

export function adminUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const admin = ctx.auth.userAdmin;
  const actor = (req: Parameters<typeof sessionOf>[0]): Actor => {
    const { user, session } = sessionOf(req);
    return { user, sessionId: session.id };
  };

  app.get('/api/admin/users', { config: { access } }, async () => ({ users: admin.list() }));

  app.post('/api/admin/users', { config: { access } }, async (req, reply) => {
    const parsed = newUserSchema.safeParse(req.body);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid user');
    return reply.code(201).send({ user: await admin.create(parsed.data) });
  });

  app.patch<{ Params: { username: string } }>('/api/admin/users/:username', { config: { access } }, async (req) => {
    const parsed = userPatchSchema.safeParse(req.body);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid change');
    return { user: await admin.update(actor(req), req.params.username, parsed.data) };
  });

  app.delete<{ Params: { username: string } }>('/api/admin/users/:username', { config: { access } }, async (req, reply) => {
    admin.delete(actor(req), req.params.username);
    return reply.code(204).send();
  });
}
