// Recent history of one numeric field for every site, for charts that open
// with the last minutes already drawn.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MEASUREMENTS, NUMERIC_FIELDS, tagSchemas, type Measurement } from '@noc/shared/metrics';
import type { ServerContext } from '../context.ts';
import { zodToHttpError } from '../validation.ts';

const querySchema = z
  .object({
    measurement: z.enum(MEASUREMENTS as [Measurement, ...Measurement[]]),
    field: z.string().max(40),
    minutes: z.coerce.number().int().min(1).max(24 * 60).default(15),
  })
  .catchall(z.string().max(64))
  .superRefine((q, ctx) => {
    if (!NUMERIC_FIELDS[q.measurement].includes(q.field)) {
      ctx.addIssue({
        code: 'custom',
        path: ['field'],
        message: `"${q.field}" is not a numeric field of ${q.measurement} (one of: ${NUMERIC_FIELDS[q.measurement].join(', ')})`,
      });
    }
    const allowedTags = Object.keys(tagSchemas[q.measurement].shape);
    for (const key of Object.keys(q)) {
      if (['measurement', 'field', 'minutes'].includes(key)) continue;
      if (!allowedTags.includes(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `unknown filter for ${q.measurement}` });
      }
    }
  });

export function historyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/history', async (req) => {
    const parsed = querySchema.safeParse(req.query);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid history query');
    const { measurement, field, minutes, ...tags } = parsed.data;
    const since = Date.now() - minutes * 60_000;
    const series = await ctx.store.series({ measurement, field, since, tags: tags as Record<string, string> });
    return { measurement, field, since, series };
  });
}
