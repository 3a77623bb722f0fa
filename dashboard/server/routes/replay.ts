// `GET /api/replay/state?at=<ms>[&site=<id>]`: the wall or a site's page at a
// past moment (replay/). Who may: REPLAY_VIEW (not the wall's display token);
// a technician must name its own site (403 otherwise). A moment in the
// future, older than 400 days or not a number is a 400 naming `at`.
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { replayState } from '../replay/replay-state.ts';
import { StoreUnavailableError } from '../store/store.ts';

export function replayRoutes(app: FastifyInstance, ctx: ServerContext): void {
  apiRoute(
    app,
    'replay.state',
    async ({ query }, req) => {
      if (query.site !== undefined && !ctx.sites.has(query.site))
        throw new HttpError(400, `invalid replay query: site: unknown site "${query.site}"`, 'site');
      try {
        return await replayState(
          { store: ctx.store, incidents: ctx.incidents.store, log: ctx.replayLog },
          query.at,
          query.site,
          sessionOf(req).user,
        );
      } catch (err) {
        if (err instanceof StoreUnavailableError) throw new HttpError(503, 'the sample store is unavailable; try again shortly');
        throw err;
      }
    },
    {
      site: (req, user) => {
        const { site } = req.query as { site?: unknown };
        if (typeof site === 'string' && site) return { site };
        return { everySite: `the replay names no site (add site=${user.site ?? '<site id>'})` };
      },
    },
  );
}
