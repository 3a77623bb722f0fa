// The site registry as the user may see it, and each site's profile: its
// equipment and whom to call (its own technicians, then the control centre's
// at the main and backup points), from shared/data/directory.json.
import type { FastifyInstance } from 'fastify';
import { canSeeSite } from '@noc/shared/auth';
import type { SiteProfile } from '@noc/shared/directory';
import { SIGNED_IN, sessionOf } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';

export function siteRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // Room and control pages opened by an SFU token link (no session) need the
  // names too: a site's token sees its own site, the control centre's every site.
  app.get('/api/sites', { config: { access: { roles: SIGNED_IN, accessToken: true } } }, async (req) => {
    const all = [...ctx.sites.values()];
    const p = req.principal;
    if (p?.kind === 'access-token') {
      const own = p.claims.role === 'site' || p.claims.role === 'seat';
      return { sites: own ? all.filter((s) => s.id === p.claims.site) : all };
    }
    const { user } = sessionOf(req);
    return { sites: all.filter((s) => canSeeSite(user, s.id)) };
  });

  app.get<{ Params: { id: string } }>(
    '/api/sites/:id/profile',
    { config: { access: { roles: SIGNED_IN, site: (req) => ({ site: (req.params as { id: string }).id }) } } },
    async (req): Promise<SiteProfile> => {
      const site = ctx.sites.get(req.params.id);
      if (!site) throw new HttpError(404, `no site "${req.params.id}" in the site registry`);
      const { contacts, equipment } = ctx.directory;
      const centre = [...ctx.sites.values()].filter((s) => s.role === 'main' || s.role === 'backup').map((s) => s.id);
      return {
        site,
        equipment: equipment[site.id] ?? [],
        contacts: [
          ...contacts.filter((c) => c.site === site.id),
          ...centre.filter((id) => id !== site.id).flatMap((id) => contacts.filter((c) => c.site === id)),
        ],
      };
    },
  );
}
