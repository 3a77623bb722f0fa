// The audit log (admin only): who did what to which target, filtered by who,
// action, target and time, a page at a time, newest first.
import type { FastifyInstance } from 'fastify';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';

export function adminAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  apiRoute(app, 'audit', ({ query }) => ctx.incidents.audit.query(query));
}
