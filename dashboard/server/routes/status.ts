// The health report: public, a liveness probe for load tests and the start script. It
// names the components and how many sites report, never a site's data.
import type { FastifyInstance } from 'fastify';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';

export function statusRoutes(app: FastifyInstance, ctx: ServerContext): void {
  apiRoute(app, 'health', (_input, _req, reply) => {
    const report = ctx.health.report;
    reply.code(report.status === 'down' ? 503 : 200);
    return report;
  });
}
