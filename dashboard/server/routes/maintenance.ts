// Maintenance windows: alarms inside one are recorded but not notified. The
// control centre and admins set them for any site or the whole network; a
// technician for its own site only, and sees its own site's and the network's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRole } from '@noc/shared/auth';
import { maintenanceInputSchema, type MaintenanceInput } from '@noc/shared/incidents';
import { SIGNED_IN, sessionOf, type SiteScope } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { idParam, parseBody } from '../validation.ts';

const SET: readonly UserRole[] = ['admin', 'operator', 'technician'];

const scopeOf = (site: string | null): SiteScope => (site === null ? { everySite: 'a window for the whole network' } : { site });

export function maintenanceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { incidents } = ctx;
  const parse = (req: FastifyRequest): MaintenanceInput => {
    const input = parseBody(maintenanceInputSchema, req, 'invalid maintenance window');
    if (input.site !== null && !ctx.sites.has(input.site)) throw new HttpError(400, `site: unknown site "${input.site}"`, 'site');
    return input;
  };
  const windowId = (req: FastifyRequest): number => idParam(req, 'window');

  app.get('/api/maintenance-windows', { config: { access: { roles: SIGNED_IN } } }, async (req) => {
    const { user } = sessionOf(req);
    const all = incidents.windows.list();
    return { windows: user.role === 'technician' ? all.filter((w) => w.site === null || w.site === user.site) : all };
  });

  app.post(
    '/api/maintenance-windows',
    {
      config: {
        access: {
          roles: SET,
          // Checked after the body is read: a body without a site is refused with its field by the handler.
          site: (req) => {
            const site = (req.body as { site?: unknown } | null)?.site;
            return typeof site === 'string' || site === null ? scopeOf(site) : null;
          },
        },
      },
    },
    async (req, reply) => reply.code(201).send({ window: incidents.createWindow(parse(req), sessionOf(req).user) }),
  );

  app.delete(
    '/api/maintenance-windows/:id',
    {
      config: {
        access: {
          roles: SET,
          site: (req) => {
            const id = windowId(req);
            const w = incidents.windows.get(id);
            if (!w) throw new HttpError(404, `no maintenance window #${id}`);
            return scopeOf(w.site);
          },
        },
      },
    },
    async (req) => ({ window: incidents.endWindow(windowId(req), sessionOf(req).user) }),
  );
}
