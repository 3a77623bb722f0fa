// E-mail (admin only): whether it is set up, the outbox (recipient, subject,
// attempts, last error, state) and from which severity the control centre's
// contacts get every site's incidents.
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';

export function adminMailRoutes(app: FastifyInstance, ctx: ServerContext): void {
  apiRoute(app, 'mail.status', () => ctx.mail.status());

  apiRoute(app, 'mail.settings', ({ body }, req) => {
    const before = ctx.mail.settings();
    ctx.mail.setSettings(body);
    ctx.incidents.audit.record(sessionOf(req).user.username, 'mail.settings', 'mail', { from: before, to: body });
    return ctx.mail.status();
  });
}
