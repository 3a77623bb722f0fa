// The live-feed WebSocket endpoint.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';

export function liveRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/live', { websocket: true }, (socket) => {
    ctx.live.add(socket, { type: 'hello', serverTime: Date.now(), sites: [...ctx.sites.values()] });
  });
}
