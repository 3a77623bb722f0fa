// The admin API for users (admin only): list, create, change, delete. The
// rules live in auth/user-admin.ts; bad input is a 400 naming the field. Each
// change goes to the audit log (a new password as "(changed)", never itself).
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

  const { audit } = ctx.incidents;

  apiRoute(app, 'users.create', async ({ body }, req) => {
    const user = await admin.create(body);
    audit.record(sessionOf(req).user.username, 'user.create', `user:${user.username}`, {
      displayName: user.displayName,
      role: user.role,
      site: user.site,
    });
    return { user };
  });

  apiRoute(app, 'users.update', async ({ params, body }, req) => {
    const user = await admin.update(actor(req), params.username, body);
    audit.record(sessionOf(req).user.username, 'user.update', `user:${user.username}`, {
      ...body,
      password: body.password === undefined ? undefined : '(changed)',
    });
    return { user };
  });

  apiRoute(app, 'users.delete', ({ params }, req) => {
    admin.delete(actor(req), params.username);
    audit.record(sessionOf(req).user.username, 'user.delete', `user:${params.username}`);
  });
}
