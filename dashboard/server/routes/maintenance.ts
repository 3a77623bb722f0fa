// Maintenance windows: alarms inside one are recorded but not notified. The
// control centre and admins set them for any site or the whole network; a
// technician for its own site only, and sees its own site's and the network's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRole } from '@noc/shared/auth';
import { maintenanceInputSchema, type MaintenanceInput } from '@noc/shared/incidents';
import { SIGNED_IN, sessionOf, type SiteScope } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { zodToHttpError } from '../validation.ts';

const SET: readonly UserRole[] = ['admin', 'operator', 'technician'];

const scopeOf = (site: string | null): SiteScope => (site === null ? { everySite: 'a window for the whole network' } : { site });

export function maintenanceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { incidents } = ctx;
  const parse = (req: FastifyRequest): MaintenanceInput => {
    const parsed = maintenanceInputSchema.safeParse(req.body);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid maintenance window');
    if (parsed.data.site !== null && !ctx.sites.has(parsed.data.site)) throw new HttpError(400, `site: unknown site "${parsed.data.site}"`, 'site');
    return parsed.data;
  };
  const windowId = (req: FastifyRequest): number => {
    const raw = (req.params as { id: string }).id;
    if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw new HttpError(400, `id: "${raw}" is not a window number`, 'id');
    return Number(raw);
  };

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
            const w = incidents.windows.get(windowId(req));
            if (!w) throw new HttpError(404, `no maintenance window #${windowId(req)}`);
            return scopeOf(w.site);
          },
        },
      },
    },
    async (req) => ({ window: incidents.endWindow(windowId(req), sessionOf(req).user) }),
  );
}
