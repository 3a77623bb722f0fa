// The admin API for users (admin only): list, create, change, delete. The
// rules live in auth/user-admin.ts; bad input is a 400 naming the field.
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import type { Actor } from '../auth/user-admin.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';

export function adminUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const admin = ctx.auth.userAdmin;
  const actor = (req: Parameters<typeof sessionOf>[0]): Actor => {
    const { user, session } = sessionOf(req);
    return { user, sessionId: session.id };
  };

  apiRoute(app, 'users.list', () => ({ users: admin.list() }));

  apiRoute(app, 'users.create', async ({ body }) => ({ user: await admin.create(body) }));

  apiRoute(app, 'users.update', async ({ params, body }, req) => ({ user: await admin.update(actor(req), params.username, body) }));

  apiRoute(app, 'users.delete', ({ params }, req) => {
    admin.delete(actor(req), params.username);
  });
}
