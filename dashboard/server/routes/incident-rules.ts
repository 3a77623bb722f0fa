// The incident rules' settings: every signed-in page may read them (the pages
// show thresholds); only admins replace them. A bad version is refused naming
// the field and changes nothing.
import type { FastifyInstance } from 'fastify';
import { RulesError } from '@noc/shared/incident-rules';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';

export function incidentRulesRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { settings } = ctx.incidents;
  apiRoute(app, 'rules.get', () => ({ rules: settings.current, source: settings.source }));

  apiRoute(app, 'rules.replace', async ({ body }, req) => {
    try {
      return { rules: await ctx.incidents.replaceRules(body, sessionOf(req).user), source: settings.source };
    } catch (err) {
      if (err instanceof RulesError) throw new HttpError(400, `invalid rules: ${err.message}`, err.field || undefined);
      throw err;
    }
  });
}
