// Reports (Điều 11.4): the yearly report of each centre, the meetings of a
// year, the report of one meeting, and each as a CSV or PDF download. Admins,
// operators and the chair (REPORT_VIEW).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { apiRoute } from '../api-route.ts';
import type { ServerContext } from '../context.ts';
import type { ReportFile } from '../reports/reports.ts';

function download(reply: FastifyReply, file: ReportFile): string {
  reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(file.body);
  // The answer is sent; the route's handler returns nothing more.
  return '';
}

export function reportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { reports } = ctx;

  apiRoute(app, 'reports.yearly', async ({ query }) => ({ report: await reports.yearly(query.year) }));

  apiRoute(app, 'reports.yearlyExport', async ({ query }, _req, reply) =>
    download(reply, await reports.yearlyFile(query.year, query.format)),
  );

  apiRoute(app, 'reports.meetings', ({ query }) => ({ meetings: reports.meetings(query.year) }));

  apiRoute(app, 'reports.meeting', async ({ query }) => ({ report: await reports.meeting(query) }));

  apiRoute(app, 'reports.meetingExport', async ({ query }, _req, reply) => download(reply, await reports.meetingFile(query, query.format)));
}
