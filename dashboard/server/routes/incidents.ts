// The incident API (the same rules as the pages): list and read, acknowledge,
// comment, resolve, the ISP ticket and "chair informed" of a lost link. A
// technician sees and acts on its own site's incidents only (403 otherwise);
// the chair reads, comments and confirms being told; the wall only reads.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionOf, type SiteScope } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { idParam } from '../validation.ts';

const incidentId = (req: FastifyRequest): number => idParam(req, 'incident');

export function incidentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { incidents } = ctx;
  /** The site an incident route is about, for the access rule (404 for an unknown incident). */
  const siteOfIncident = (req: FastifyRequest): SiteScope => ({ site: incidents.get(incidentId(req)).site });
  const about = { site: siteOfIncident };

  apiRoute(
    app,
    'incidents',
    ({ query }, req) => {
      if (query.site && !ctx.sites.has(query.site)) throw new HttpError(400, `site: unknown site "${query.site}"`, 'site');
      const { user } = sessionOf(req);
      return { incidents: incidents.list(query, user.role === 'technician' ? [user.site!] : null) };
    },
    {
      site: (req) => {
        const { site } = req.query as { site?: unknown };
        return typeof site === 'string' && site ? { site } : null;
      },
    },
  );

  apiRoute(app, 'incidents.detail', ({ params }) => incidents.detail(params.id), about);

  apiRoute(
    app,
    'incidents.ack',
    ({ params, body }, req) => ({ incident: incidents.acknowledge(params.id, sessionOf(req).user, body.comment) }),
    about,
  );

  apiRoute(
    app,
    'incidents.comment',
    ({ params, body }, req) => ({ incident: incidents.comment(params.id, sessionOf(req).user, body.text) }),
    about,
  );

  apiRoute(
    app,
    'incidents.resolve',
    ({ params, body }, req) => ({ incident: incidents.resolve(params.id, sessionOf(req).user, body.cause) }),
    about,
  );

  apiRoute(
    app,
    'incidents.isp',
    ({ params, body }, req) => ({ incident: incidents.setIspTicket(params.id, sessionOf(req).user, body) }),
    about,
  );

  apiRoute(
    app,
    'incidents.chairInformed',
    ({ params, body }, req) => ({ incident: incidents.chairInformed(params.id, sessionOf(req).user, body.comment) }),
    about,
  );
}
