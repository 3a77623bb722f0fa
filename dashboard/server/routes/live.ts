// The live-feed WebSocket endpoint: the session is checked on the upgrade
// request (401 before any upgrade without one), and a browser's page must come
// from this server (a page of another origin, even one the cookie would reach,
// gets 403); the feed filters per user.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { nocApi } from '@noc/shared/http-api';
import { sessionOf } from '../auth/access-control.ts';
import { accessOf } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';

/** Browsers send Origin on a WebSocket handshake; other clients (probes, tests, benchmarks) send none. */
async function sameOrigin(req: FastifyRequest): Promise<void> {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (URL.parse(origin)?.host !== req.headers.host) throw new HttpError(403, `the live feed serves this server's own pages, not ${origin}`);
}

export function liveRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const spec = nocApi.live;
  // The origin is checked on the request, before the access rule.
  app.get(spec.path, { websocket: true, onRequest: sameOrigin, config: { access: accessOf(spec) } }, (socket, req) => {
    const { user, session } = sessionOf(req);
    ctx.live.add(socket, user, session.id);
  });
}
