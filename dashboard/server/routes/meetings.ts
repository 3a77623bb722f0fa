// The meetings the SFU nodes carry now (meetings-watch.ts); a technician sees
// only those its site is invited to.
import type { FastifyInstance } from 'fastify';
import { SIGNED_IN, sessionOf } from '../auth/access-control.ts';
import type { ServerContext } from '../context.ts';
import { visibleMeetings } from '../meetings-watch.ts';

export function meetingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/meetings', { config: { access: { roles: SIGNED_IN } } }, async (req) => ({
    meetings: visibleMeetings(sessionOf(req).user, ctx.meetings.meetings),
  }));
}
