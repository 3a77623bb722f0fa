// The health report: public, a liveness probe for load tests and the start script. It
// names the components and how many sites report, never a site's data.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';

export function statusRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/health', { config: { access: { public: 'liveness probe without site data' } } }, async (_req, reply) => {
    const report = ctx.health.report;
    return reply.code(report.status === 'down' ? 503 : 200).send(report);
  });
}
