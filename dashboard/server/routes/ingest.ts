// The ingest gateway: the one path by which samples reach the store and the
// live feed. The probe's token decides the site; the body cannot.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ingestBatchSchema, type Point } from '@noc/shared/metrics';
import { verifyProbeToken } from '@noc/shared/probe-token';
import { HttpError } from '../errors.ts';
import type { ServerContext } from '../context.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { zodToHttpError } from '../validation.ts';

/** Largest ingest body accepted (a full batch of 500 samples fits well within). */
export const INGEST_BODY_LIMIT = 256 * 1024;

function probeSite(req: FastifyRequest, ctx: ServerContext): string {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer ([^\s]+)$/.exec(header);
  if (!match) throw new HttpError(401, 'missing probe token: send "Authorization: Bearer <token>"');
  const site = verifyProbeToken(ctx.secret, match[1]!);
  if (!site) throw new HttpError(401, 'the probe token is not valid');
  if (!ctx.sites.has(site)) throw new HttpError(403, `site "${site}" is not in the site registry`);
  return site;
}

export function ingestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/ingest', { bodyLimit: INGEST_BODY_LIMIT }, async (req, reply) => {
    const site = probeSite(req, ctx);
    const parsed = ingestBatchSchema.safeParse(req.body);
    if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid sample');
    const now = Date.now();
    const points: Point[] = parsed.data.samples.map((s) => ({
      measurement: s.measurement,
      tags: { ...s.tags, site },
      fields: s.fields,
      time: s.time ?? now,
    }));
    try {
      await ctx.store.write(points);
    } catch (err) {
      if (err instanceof StoreUnavailableError) {
        req.log.warn({ site }, err.message);
        throw new HttpError(503, 'the sample store is unavailable; keep the samples and retry');
      }
      throw err;
    }
    if (points.some((p) => p.measurement === 'probe')) ctx.heartbeats.beat(site, now);
    ctx.live.publish({
      type: 'samples',
      samples: points.map(({ measurement, tags, fields, time }) => ({ site, measurement, tags, fields, time })),
    });
    return reply.code(202).send({ accepted: points.length, site });
  });
}
