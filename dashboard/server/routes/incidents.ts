// The incident API (the same rules as the pages): list and read, acknowledge,
// comment, resolve, the ISP ticket and "chair informed" of a lost link. A
// technician sees and acts on its own site's incidents only (403 otherwise);
// the chair reads, comments and confirms being told; the wall only reads.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRole } from '@noc/shared/auth';
import { ackSchema, chairInformedSchema, commentSchema, incidentQuerySchema, ispTicketSchema, resolveSchema } from '@noc/shared/incidents';
import { SIGNED_IN, sessionOf, type SiteScope } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { idParam, parseBody, zodToHttpError } from '../validation.ts';

/** Who works on an incident: the control centre, admins and the site's own technician. */
const ACT: readonly UserRole[] = ['admin', 'operator', 'technician'];
/** Who may add to its record: those, and the chair. */
const NOTE: readonly UserRole[] = ['admin', 'operator', 'technician', 'chair'];

const incidentId = (req: FastifyRequest): number => idParam(req, 'incident');

export function incidentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { incidents } = ctx;
  /** The site an incident route is about, for the access rule (404 for an unknown incident). */
  const siteOfIncident = (req: FastifyRequest): SiteScope => ({ site: incidents.get(incidentId(req)).site });

  app.get(
    '/api/incidents',
    {
      config: {
        access: {
          roles: SIGNED_IN,
          site: (req) => ((req.query as { site?: string }).site ? { site: (req.query as { site: string }).site } : null),
        },
      },
    },
    async (req) => {
      const parsed = incidentQuerySchema.safeParse(req.query);
      if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid query');
      const q = parsed.data;
      if (q.site && !ctx.sites.has(q.site)) throw new HttpError(400, `site: unknown site "${q.site}"`, 'site');
      const { user } = sessionOf(req);
      return { incidents: incidents.list(q, user.role === 'technician' ? [user.site!] : null) };
    },
  );

  app.get('/api/incidents/:id', { config: { access: { roles: SIGNED_IN, site: siteOfIncident } } }, async (req) =>
    incidents.detail(incidentId(req)),
  );

  app.post('/api/incidents/:id/ack', { config: { access: { roles: ACT, site: siteOfIncident } } }, async (req) => {
    const { comment } = parseBody(ackSchema, req, 'invalid acknowledgement');
    return { incident: incidents.acknowledge(incidentId(req), sessionOf(req).user, comment) };
  });

  app.post('/api/incidents/:id/comments', { config: { access: { roles: NOTE, site: siteOfIncident } } }, async (req, reply) => {
    const { text } = parseBody(commentSchema, req, 'invalid comment');
    return reply.code(201).send({ incident: incidents.comment(incidentId(req), sessionOf(req).user, text) });
  });

  app.post('/api/incidents/:id/resolve', { config: { access: { roles: ACT, site: siteOfIncident } } }, async (req) => {
    const { cause } = parseBody(resolveSchema, req, 'invalid resolution');
    return { incident: incidents.resolve(incidentId(req), sessionOf(req).user, cause) };
  });

  app.put('/api/incidents/:id/isp', { config: { access: { roles: ACT, site: siteOfIncident } } }, async (req) => {
    const ticket = parseBody(ispTicketSchema, req, 'invalid ISP ticket');
    return { incident: incidents.setIspTicket(incidentId(req), sessionOf(req).user, ticket) };
  });

  app.post('/api/incidents/:id/chair-informed', { config: { access: { roles: NOTE, site: siteOfIncident } } }, async (req) => {
    const { comment } = parseBody(chairInformedSchema, req, 'invalid note');
    return { incident: incidents.chairInformed(incidentId(req), sessionOf(req).user, comment) };
  });
}
