// The meetings the SFU nodes carry now (meetings-watch.ts); a technician sees
// only those its site is invited to.
import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../auth/access-control.ts';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import { visibleMeetings } from '../meetings-watch.ts';

export function meetingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  apiRoute(app, 'meetings', (_input, req) => ({ meetings: visibleMeetings(sessionOf(req).user, ctx.meetings.meetings) }));
}
