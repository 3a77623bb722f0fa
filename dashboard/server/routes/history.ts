// History of numeric fields for every site, for charts that open with the
// window already drawn, and the latest value per site. The window decides the
// resolution (store/queries.ts): raw points up to 15 minutes, means beyond.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionUser } from '@noc/shared/auth';
import { z } from 'zod';
import { MEASUREMENTS, NUMERIC_FIELDS, tagSchemas, type Measurement } from '@noc/shared/metrics';
import { queryEpochMs } from '@noc/shared/query-number';
import { SIGNED_IN, type AccessRule, type SiteScope } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { SampleQueries, YEAR_RETENTION_MS } from '../store/queries.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { zodToHttpError } from '../validation.ts';

const MAX_MINUTES = YEAR_RETENTION_MS / 60_000;
const OWN_PARAMS = ['measurement', 'field', 'minutes', 'from', 'to'];

const baseSchema = z
  .object({
    measurement: z.enum(MEASUREMENTS as [Measurement, ...Measurement[]]),
    field: z.string().max(40),
  })
  .catchall(z.string().max(64));

type Base = z.infer<typeof baseSchema>;

/** The field must be a numeric one of the measurement; other parameters are tag filters. */
function checkFieldAndTags(q: Base, ctx: z.RefinementCtx): void {
  if (!NUMERIC_FIELDS[q.measurement].includes(q.field)) {
    ctx.addIssue({
      code: 'custom',
      path: ['field'],
      message: `"${q.field}" is not a numeric field of ${q.measurement} (one of: ${NUMERIC_FIELDS[q.measurement].join(', ')})`,
    });
  }
  // Every measurement but the SFU nodes' own load belongs to a site.
  const allowedTags = [...Object.keys(tagSchemas[q.measurement].shape), ...(q.measurement === 'sfu' ? [] : ['site'])];
  for (const key of Object.keys(q)) {
    if (OWN_PARAMS.includes(key)) continue;
    if (!allowedTags.includes(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown filter for ${q.measurement}` });
    }
  }
}

const historySchema = baseSchema
  .extend({
    /** The window's length back from `to` (default now); up to the 400 days of 1-minute means. */
    minutes: z.coerce.number().int().min(1).max(MAX_MINUTES).default(15),
    /** Optional explicit window (ms since the epoch); `from` wins over `minutes`. */
    from: queryEpochMs.optional(),
    to: queryEpochMs.optional(),
  })
  .superRefine((q, ctx) => {
    checkFieldAndTags(q, ctx);
    if (q.from !== undefined && q.to !== undefined && q.to <= q.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }
  });

const lastSchema = baseSchema.extend({}).superRefine(checkFieldAndTags);

/** A site filter must name a site of the registry. */
function checkSite(q: Record<string, unknown>, ctx: ServerContext): void {
  if (typeof q.site === 'string' && !ctx.sites.has(q.site)) {
    throw new HttpError(400, `invalid history query: site: unknown site "${q.site}"`, 'site');
  }
}

function tagFilters(q: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (!OWN_PARAMS.includes(k) && typeof v === 'string') tags[k] = v;
  return tags;
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

const access: AccessRule = { roles: SIGNED_IN, site: historySite };

export function historyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const queries = new SampleQueries(ctx.store);

  app.get('/api/history', { config: { access } }, async (req) => {
    const parsed = historySchema.safeParse(req.query);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid history query');
    checkSite(parsed.data, ctx);
    const { measurement, field, minutes } = parsed.data;
    const to = parsed.data.to ?? Date.now();
    const since = parsed.data.from ?? to - minutes * 60_000;
    if (since >= to)
      throw new HttpError(400, `invalid history query: from: must be before ${parsed.data.to === undefined ? 'now' : 'to'}`, 'from');
    const answer = await fromStore(() => queries.window({ measurement, fields: [field], from: since, to, tags: tagFilters(parsed.data) }));
    return {
      measurement,
      field,
      since,
      to,
      /** raw points, or means over buckets of bucketSeconds, from the raw or the 400-day policy. */
      resolution: {
        source: answer.resolution.source,
        bucketSeconds: answer.resolution.bucketMs === null ? null : answer.resolution.bucketMs / 1000,
      },
      series: answer.series[field] ?? {},
    };
  });

  app.get('/api/history/last', { config: { access } }, async (req) => {
    const parsed = lastSchema.safeParse(req.query);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid history query');
    checkSite(parsed.data, ctx);
    const { measurement, field } = parsed.data;
    const values = await fromStore(() => queries.last({ measurement, field, tags: tagFilters(parsed.data) }));
    return { measurement, field, values };
  });
}
