// Maintenance windows: alarms inside one are recorded but not notified. The
// control centre and admins set them for any site or the whole network; a
// technician for its own site only, and sees its own site's and the network's.
import type { FastifyInstance } from 'fastify';
import { sessionOf, type SiteScope } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { idParam } from '../validation.ts';

const scopeOf = (site: string | null): SiteScope => (site === null ? { everySite: 'a window for the whole network' } : { site });

export function maintenanceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { incidents } = ctx;

  apiRoute(app, 'maintenance.list', (_input, req) => {
    const { user } = sessionOf(req);
    const all = incidents.windows.list();
    return { windows: user.role === 'technician' ? all.filter((w) => w.site === null || w.site === user.site) : all };
  });

  apiRoute(
    app,
    'maintenance.create',
    ({ body }, req) => {
      if (body.site !== null && !ctx.sites.has(body.site)) throw new HttpError(400, `site: unknown site "${body.site}"`, 'site');
      return { window: incidents.createWindow(body, sessionOf(req).user) };
    },
    {
      // Checked before the body is validated: a body without a site is refused with its field by the validation.
      site: (req) => {
        const site = (req.body as { site?: unknown } | null)?.site;
        return typeof site === 'string' || site === null ? scopeOf(site) : null;
      },
    },
  );

  apiRoute(app, 'maintenance.end', ({ params }, req) => ({ window: incidents.endWindow(params.id, sessionOf(req).user) }), {
    site: (req) => {
      const id = idParam(req, 'window');
      const w = incidents.windows.get(id);
      if (!w) throw new HttpError(404, `no maintenance window #${id}`);
      return scopeOf(w.site);
    },
  });
}
