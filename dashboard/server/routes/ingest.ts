// The ingest gateway: the one path by which samples reach the store and the
// live feed. The probe's token decides the site; the body cannot.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ingestBatchSchema, nodeBatchSchema, type Point } from '@noc/shared/metrics';
import { verifyAccessToken } from '@noc/shared/access-token';
import type { LiveSample } from '@noc/shared/live';
import { acceptProbeBatch } from '@noc/shared/sample-check';
import { verifyNodeToken } from '@noc/shared/probe-token';
import { ProbeTokenCheck } from '@noc/shared/probe-token-check';
import { apiRoute } from '../api-route.ts';
import { HttpError } from '../errors.ts';
import type { ServerContext } from '../context.ts';
import { SpoolDiskFullError } from '../ingest/spool.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { zodToHttpError } from '../validation.ts';

/** Largest ingest body accepted (a full batch of 500 samples fits well within). */
export const INGEST_BODY_LIMIT = 256 * 1024;

/**
 * Who may send: a site's probe (its site's samples), an SFU node (media per
 * site and its own load), or a site's room page with its access token (only
 * `media`: what the endpoint itself measured).
 */
type Sender = { kind: 'probe'; site: string } | { kind: 'node'; node: 'main' | 'backup' } | { kind: 'endpoint'; site: string };

function sender(req: FastifyRequest, ctx: ServerContext, probes: ProbeTokenCheck): Sender {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer ([^\s]+)$/.exec(header);
  if (!match) throw new HttpError(401, 'missing probe token: send "Authorization: Bearer <token>"');
  const remembered = probes.remembered(match[1]!);
  if (remembered !== null) return { kind: 'probe', site: remembered };
  const node = verifyNodeToken(ctx.secret, match[1]!);
  if (node) return { kind: 'node', node };
  const access = verifyAccessToken(ctx.secret, match[1]!);
  if (access.ok) {
    const { role, site } = access.claims;
    if (role !== 'site' || !site) throw new HttpError(403, `a ${role} token cannot send samples`);
    if (!ctx.sites.has(site)) throw new HttpError(403, `site "${site}" is not in the site registry`);
    return { kind: 'endpoint', site };
  }
  const probe = probes.check(match[1]!);
  if (!probe.ok) throw new HttpError(probe.status, probe.reason);
  return { kind: 'probe', site: probe.site };
}

/** A probe's samples get its site; an SFU node's name the site they are about and must carry its own node. */
function toPoints(from: Sender, body: unknown, ctx: ServerContext, now: number): Point[] {
  if (from.kind === 'probe' || from.kind === 'endpoint') {
    // The fast check accepts what the schema surely accepts; the schema answers the rest, with its error.
    let batch = acceptProbeBatch(body, now);
    if (!batch) {
      const parsed = ingestBatchSchema.safeParse(body);
      if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid sample');
      batch = parsed.data;
    }
    if (from.kind === 'endpoint') {
      const other = batch.samples.findIndex((s) => s.measurement !== 'media' || s.tags.node !== undefined);
      if (other >= 0) {
        throw new HttpError(
          422,
          `samples[${other}]: a room page sends only its own media figures (measurement media, no node tag)`,
          `samples[${other}].measurement`,
        );
      }
    }
    return batch.samples.map((s) => ({
      measurement: s.measurement,
      tags: { ...s.tags, site: from.site },
      fields: s.fields,
      time: s.time ?? now,
    }));
  }
  const parsed = nodeBatchSchema.safeParse(body);
  if (!parsed.success) throw zodToHttpError(parsed.error, 'invalid sample');
  return parsed.data.samples.map((s, i) => {
    if (s.tags.node !== from.node) {
      throw new HttpError(422, `samples[${i}].tags.node: this token belongs to node ${from.node}`, `samples[${i}].tags.node`);
    }
    if (s.measurement === 'media' && !ctx.sites.has(s.tags.site)) {
      throw new HttpError(400, `invalid sample: samples[${i}].tags.site: unknown site "${s.tags.site}"`, `samples[${i}].tags.site`);
    }
    return { measurement: s.measurement, tags: { ...s.tags }, fields: s.fields, time: s.time ?? now };
  });
}

/** Stored points as the live feed sends them. */
function liveSamples(points: Point[], receivedAt: number): LiveSample[] {
  return points.map(({ measurement, tags, fields, time }) => ({ site: tags.site ?? '', measurement, tags, fields, time, receivedAt }));
}

export function ingestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const probes = new ProbeTokenCheck(ctx.secret, ctx.sites);
  apiRoute(
    app,
    'ingest',
    async ({ body }, req) => {
      const from = sender(req, ctx, probes);
      const now = Date.now();
      const points = toPoints(from, body, ctx, now);
      // Resolves once the samples are in the store, or in the gateway's on-disk
      // buffer while the store is down; rejects only when neither can take them.
      const stored = ctx.store.write(points);
      // The live feed's message is made while the store writes (once the write is on its way), and sent once stored.
      const live = new Promise<() => void>((resolve) =>
        setImmediate(() => {
          try {
            resolve(ctx.live.prepareSamples(liveSamples(points, now)));
          } catch (err) {
            resolve(() => {
              throw err;
            });
          }
        }),
      );
      try {
        await stored;
      } catch (err) {
        if (err instanceof StoreUnavailableError) {
          req.log.warn(from, err.message);
          const why = err instanceof SpoolDiskFullError ? " (no space left on the ingest buffer's disk)" : '';
          throw new HttpError(
            503,
            `the sample store is unavailable and the ingest buffer cannot take more; keep the samples and retry${why}`,
          );
        }
        throw err;
      }
      if (from.kind === 'probe' && points.some((p) => p.measurement === 'probe')) ctx.heartbeats.beat(from.site, now);
      // On the feed before the answer: a sender that heard 202 finds its samples on the live feed.
      (await live)();
      // The incidents take the samples once the answer is on its way (in arrival order).
      setImmediate(() => {
        try {
          ctx.incidents.engine.onPoints(points);
        } catch (err) {
          req.log.error(err, 'the incident engine failed on accepted samples');
        }
      });
      return { accepted: points.length, ...(from.kind === 'node' ? { node: from.node } : { site: from.site }) };
    },
    { options: { bodyLimit: INGEST_BODY_LIMIT } },
  );
}
