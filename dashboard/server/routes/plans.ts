// Meeting plans (Điều 7): every signed-in role reads them (a technician those
// that invite its site), operators and admins write them, admins set the
// calendar; the wall reads the next meeting.
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';

export function planRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { plans } = ctx;

  apiRoute(app, 'plans.list', (_input, req) => ({ plans: plans.visibleTo(sessionOf(req).user) }));

  apiRoute(app, 'plans.create', ({ body }, req) => ({ plan: plans.create(body, sessionOf(req).user) }));

  apiRoute(app, 'plans.update', ({ params, body }, req) => ({ plan: plans.update(params.id, body, sessionOf(req).user) }));

  apiRoute(app, 'plans.delete', ({ params }, req) => {
    plans.delete(params.id, sessionOf(req).user);
  });

  apiRoute(app, 'plans.occurrences', ({ query }, req) => {
    const { user } = sessionOf(req);
    const all = plans.occurrences(query.from, query.to);
    return { occurrences: user.role === 'technician' ? all.filter((o) => user.site !== null && o.invitedSites.includes(user.site)) : all };
  });

  apiRoute(app, 'plans.next', ({ query }, req) => {
    const { user } = sessionOf(req);
    return { occurrence: plans.next(query.after ?? Date.now(), user.role === 'technician' ? user.site : null) };
  });

  apiRoute(app, 'plans.calendar', () => ({ calendar: plans.calendar() }));

  apiRoute(app, 'plans.setCalendar', ({ body }, req) => ({ calendar: plans.setCalendar(body, sessionOf(req).user) }));
}
