// History of numeric fields for every site, for charts that open with the
// window already drawn, and the latest value per site. The window decides the
// resolution (store/queries.ts): raw points up to 15 minutes, means beyond.
// The queries' schemas are the API table's (@noc/shared/history-query).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionUser } from '@noc/shared/auth';
import { historyTagFilters } from '@noc/shared/history-query';
import type { SiteScope } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { SampleQueries } from '../store/queries.ts';
import { StoreUnavailableError } from '../store/store.ts';

/** A site filter must name a site of the registry. */
function checkSite(q: Record<string, unknown>, ctx: ServerContext): void {
  if (typeof q.site === 'string' && !ctx.sites.has(q.site)) {
    throw new HttpError(400, `invalid history query: site: unknown site "${q.site}"`, 'site');
  }
}

/** A store that is down answers 503, not 500: the wall retries. */
async function fromStore<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw new HttpError(503, 'the sample store is unavailable; try again shortly');
    throw err;
  }
}

/** A technician reads only its own site: it must name it, and gets nothing of the SFU nodes' own load. */
function historySite(req: FastifyRequest, user: SessionUser): SiteScope {
  const q = req.query as Record<string, unknown>;
  if (q.measurement === 'sfu') return { everySite: "measurement sfu is the SFU nodes' load, no site's data" };
  if (q.site === undefined) return { everySite: `the query names no site (add site=${user.site ?? '<site id>'})` };
  return { site: String(q.site) };
}

export function historyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const queries = new SampleQueries(ctx.store);

  apiRoute(
    app,
    'history',
    async ({ query }) => {
      checkSite(query, ctx);
      const { measurement, field, minutes } = query;
      const to = query.to ?? Date.now();
      const since = query.from ?? to - minutes * 60_000;
      if (since >= to)
        throw new HttpError(400, `invalid history query: from: must be before ${query.to === undefined ? 'now' : 'to'}`, 'from');
      const answer = await fromStore(() =>
        queries.window({ measurement, fields: [field], from: since, to, tags: historyTagFilters(query) }),
      );
      return {
        measurement,
        field,
        since,
        to,
        resolution: {
          source: answer.resolution.source,
          bucketSeconds: answer.resolution.bucketMs === null ? null : answer.resolution.bucketMs / 1000,
        },
        series: answer.series[field] ?? {},
      };
    },
    { site: historySite },
  );

  apiRoute(
    app,
    'history.last',
    async ({ query }) => {
      checkSite(query, ctx);
      const { measurement, field } = query;
      const values = await fromStore(() => queries.last({ measurement, field, tags: historyTagFilters(query) }));
      return { measurement, field, values };
    },
    { site: historySite },
  );
}
