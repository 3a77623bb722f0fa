// Readiness before a meeting (Điều 8.2): an occurrence's readiness per invited
// site (every signed-in role; a technician only its own site's, 403 when the
// meeting does not invite it), a check started at once by an operator or
// admin, and the admin's settings (the size of a big meeting).
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';

export function readinessRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { readiness, plans } = ctx;

  apiRoute(app, 'readiness.get', ({ params }, req) => {
    const { user } = sessionOf(req);
    const occurrence = plans.occurrence(params.occurrence);
    if (!occurrence) throw new HttpError(404, `no planned meeting ${params.occurrence}`);
    let sites = readiness.forOccurrence(occurrence.key);
    if (user.role === 'technician') {
      if (user.site === null || !occurrence.invitedSites.includes(user.site))
        throw new HttpError(403, `the meeting ${occurrence.key} does not invite your site`);
      sites = sites.filter((s) => s.site === user.site);
    }
    return { occurrence, sites, run: readiness.lastRun(occurrence.key), running: readiness.pending(occurrence.key) };
  });

  apiRoute(app, 'readiness.run', ({ params }, req) => {
    const { user } = sessionOf(req);
    const run = readiness.runNow(params.occurrence, user.username);
    ctx.incidents.audit.record(user.username, 'readiness.run', `occurrence:${params.occurrence}`, { run: run.id });
    return { run };
  });

  apiRoute(app, 'readiness.settings', () => ({ settings: readiness.settings }));

  apiRoute(app, 'readiness.setSettings', ({ body }, req) => {
    const { user } = sessionOf(req);
    const settings = readiness.setSettings(body);
    ctx.incidents.audit.record(user.username, 'readiness.settings', 'readiness-settings', body);
    return { settings };
  });
}
