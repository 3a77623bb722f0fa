// The registry and the health report.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';

export function statusRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/sites', async () => ({ sites: [...ctx.sites.values()] }));

  app.get('/api/health', async (_req, reply) => {
    const report = ctx.health.report;
    return reply.code(report.status === 'down' ? 503 : 200).send(report);
  });
}
