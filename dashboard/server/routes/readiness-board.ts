// The readiness board of an occurrence and the timeline of its meeting, for
// the control centre, the chair and the wall.
import type { FastifyInstance } from 'fastify';
import { apiRoute } from '../api-route.ts';
import { meetingTimeline } from '../checklists/meeting-timeline.ts';
import { readinessBoard } from '../checklists/readiness-board.ts';
import type { ServerContext } from '../context.ts';

export function readinessBoardRoutes(app: FastifyInstance, ctx: ServerContext): void {
  apiRoute(app, 'readiness.board', ({ query }) =>
    readinessBoard({ checklists: ctx.checklists, readiness: ctx.readiness }, query.occurrence, Date.now()),
  );

  apiRoute(app, 'timeline', ({ query }) =>
    meetingTimeline(
      {
        events: ctx.meetingEvents,
        plannedMeeting: (key) => ctx.plans.store.opening(key)?.meetingId ?? null,
        incidents: (from, to, sites) => ctx.incidents.store.list({ from, to, limit: 500 }, sites),
      },
      ctx.checklists.occurrence(query.occurrence),
      Date.now(),
    ),
  );
}
