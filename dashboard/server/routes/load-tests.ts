// Capacity tests (kiểm tra tải): the runs, one with its figures, start and
// stop. Admins and operators only (LOAD_TEST_RUN); the rules of a start are in
// load-tests/load-tests.ts.
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';

export function loadTestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { loadTests } = ctx;

  apiRoute(app, 'loadTests.list', () => ({ runs: loadTests.list() }));

  apiRoute(app, 'loadTests.get', ({ params }) => loadTests.get(params.id));

  apiRoute(app, 'loadTests.start', async ({ body }, req) => {
    const { user } = sessionOf(req);
    const run = await loadTests.start(body, user.username);
    ctx.incidents.audit.record(user.username, 'loadTest.start', `loadTest:${run.id}`, body);
    return { run };
  });

  apiRoute(app, 'loadTests.stop', async ({ params }, req) => {
    const { user } = sessionOf(req);
    const run = await loadTests.stop(params.id, `stopped by ${user.username}`);
    ctx.incidents.audit.record(user.username, 'loadTest.stop', `loadTest:${params.id}`, null);
    return { run };
  });
}
