// The incident rules' settings: every signed-in page may read them (the pages
// show thresholds); only admins replace them. A bad version is refused naming
// the field and changes nothing.
import type { FastifyInstance } from 'fastify';
import { RulesError } from '@noc/shared/incident-rules';
import { ADMIN, SIGNED_IN, sessionOf } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';

export function incidentRulesRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { settings } = ctx.incidents;
  app.get('/api/incident-rules', { config: { access: { roles: SIGNED_IN } } }, async () => ({
    rules: settings.current,
    source: settings.source,
  }));

  app.put('/api/incident-rules', { config: { access: { roles: ADMIN } } }, async (req) => {
    try {
      return { rules: await ctx.incidents.replaceRules(req.body, sessionOf(req).user), source: settings.source };
    } catch (err) {
      if (err instanceof RulesError) throw new HttpError(400, `invalid rules: ${err.message}`, err.field || undefined);
      throw err;
    }
  });
}
