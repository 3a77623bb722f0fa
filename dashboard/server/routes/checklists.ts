// The sites' checklists: read by whoever may see the site, ticked by the
// site's own technician or by an admin or operator acting for it (another
// site's technician gets 403 from the access rule, before the body is read).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';

const siteOfPath = (req: FastifyRequest) => ({ site: (req.params as { site: string }).site });

export function checklistRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { checklists } = ctx;
  const known = (site: string) => {
    if (!ctx.sites.has(site)) throw new HttpError(404, `no site "${site}" in the site registry`);
  };

  apiRoute(
    app,
    'checklists.get',
    ({ params }) => {
      known(params.site);
      const occurrence = checklists.occurrence(params.occurrence);
      return { occurrence, checklist: checklists.get(occurrence.key, params.site, params.kind) };
    },
    { site: siteOfPath },
  );

  apiRoute(
    app,
    'checklists.save',
    ({ params, body }, req) => {
      known(params.site);
      return { checklist: checklists.save(params.occurrence, params.site, params.kind, body, sessionOf(req).user) };
    },
    { site: siteOfPath },
  );

  apiRoute(
    app,
    'checklists.site',
    ({ params }) => {
      known(params.id);
      return checklists.forSite(params.id);
    },
    { site: (req) => ({ site: (req.params as { id: string }).id }) },
  );
}
