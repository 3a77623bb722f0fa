// The site registry as the user may see it, and each site's profile: its
// equipment (shared/data/directory.json) and whom to call (its own contacts,
// then the control centre's technicians at the main and backup points), from
// the directory admins edit (the state database).
import type { FastifyInstance } from 'fastify';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';

export function siteRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // The registry is the network's public list of points (names and roles, no
  // data): every signed-in user and every token-link page (a room names the
  // other sites of its meeting) reads all of it. What is measured at a site is
  // what the other routes and the live feed keep to those who may see it.
  apiRoute(app, 'sites', () => ({ sites: [...ctx.sites.values()] }));

  apiRoute(
    app,
    'sites.profile',
    ({ params }) => {
      const site = ctx.sites.get(params.id);
      if (!site) throw new HttpError(404, `no site "${params.id}" in the site registry`);
      const { contacts, equipment } = ctx.directory;
      const centre = [...ctx.sites.values()].filter((s) => s.role === 'main' || s.role === 'backup').map((s) => s.id);
      return {
        site,
        equipment: equipment[site.id] ?? [],
        contacts: [
          ...contacts.filter((c) => c.site === site.id),
          ...centre.filter((id) => id !== site.id).flatMap((id) => contacts.filter((c) => c.site === id && c.kind === 'technician')),
        ],
      };
    },
    { site: (req) => ({ site: (req.params as { id: string }).id }) },
  );
}
