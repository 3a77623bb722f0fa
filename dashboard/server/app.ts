// The HTTP application: the routes of the API table (@noc/shared/http-api), who may call them, error answers, the live
// feed and the built dashboard. The dashboard's files and client-side routes
// are public: the page itself asks to sign in.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { installAccessControl, type RegisteredRoute } from './auth/access-control.ts';
import type { ServerContext } from './context.ts';
import { HttpError, type ErrorBody } from './errors.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { adminDisplayTokenRoutes } from './routes/admin-display-tokens.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { adminWebhookRoutes } from './routes/admin-webhooks.ts';
import { incidentRulesRoutes } from './routes/incident-rules.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { maintenanceRoutes } from './routes/maintenance.ts';
import { authRoutes } from './routes/auth.ts';
import { configRoutes } from './routes/config.ts';
import { historyRoutes } from './routes/history.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { liveRoutes } from './routes/live.ts';
import { loadTestRoutes } from './routes/load-tests.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { replayRoutes } from './routes/replay.ts';
import { siteRoutes } from './routes/sites.ts';
import { statusRoutes } from './routes/status.ts';
import { adminAuditRoutes } from './routes/admin-audit.ts';
import { adminDirectoryRoutes } from './routes/admin-directory.ts';
import { adminMailRoutes } from './routes/admin-mail.ts';
// ---- Meeting plans (Điều 7) ----
import { planRoutes } from './routes/plans.ts';
// ---- Readiness before a meeting (Điều 8.2) ----
import { readinessRoutes } from './routes/readiness.ts';
// --- checklists
import { checklistRoutes } from './routes/checklists.ts';
import { readinessBoardRoutes } from './routes/readiness-board.ts';
import { reportRoutes } from './routes/reports.ts';

export async function buildApp(
  ctx: ServerContext,
  opts: {
    staticDir: string;
    sfuUrl: string;
    sfuBackupUrl: string | null;
    logger: boolean;
    /** HTTPS with this certificate and key; null: plain HTTP. */
    tls?: { cert: Buffer; key: Buffer } | null;
    /** The proxies whose X-Forwarded-* headers count (NOC_TRUST_PROXY); null: none. */
    trustProxy?: string | null;
  },
): Promise<{ app: FastifyInstance; routes: readonly RegisteredRoute[] }> {
  const app = Fastify({
    logger: opts.logger ? { level: 'warn' } : false,
    bodyLimit: 64 * 1024,
    // Answer a proxy's X-Forwarded-* only when one is configured in front.
    trustProxy: opts.trustProxy ?? false,
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
  });

  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    const status = err instanceof HttpError ? err.status : (err.statusCode ?? 500);
    if (status >= 500 && !(err instanceof HttpError)) {
      req.log.error(err);
      return reply.code(500).send({ error: 'internal error; the server log has the details' } satisfies ErrorBody);
    }
    const body: ErrorBody = { error: err.message };
    if (err instanceof HttpError && err.field) body.field = err.field;
    return reply.code(status).send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      return reply.code(404).send({ error: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` } satisfies ErrorBody);
    }
    // Client-side routes of the dashboard all load the same page.
    if (existsSync(join(opts.staticDir, 'index.html'))) return reply.sendFile('index.html');
    return reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The dashboard has not been built yet: run "npm run build" (npm start does it for you).');
  });

  await installSecurityHeaders(app, [opts.sfuUrl, ...(opts.sfuBackupUrl ? [opts.sfuBackupUrl] : [])]);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  // Before any route: every /api/ route must declare who may call it.
  const routes = installAccessControl(app, ctx.auth, ctx.secret);
  if (existsSync(opts.staticDir)) {
    await app.register(fastifyStatic, { root: opts.staticDir, wildcard: false });
  }

  ingestRoutes(app, ctx);
  authRoutes(app, ctx);
  adminUserRoutes(app, ctx);
  adminDisplayTokenRoutes(app, ctx);
  siteRoutes(app, ctx);
  historyRoutes(app, ctx);
  meetingRoutes(app, ctx);
  replayRoutes(app, ctx);
  incidentRoutes(app, ctx);
  maintenanceRoutes(app, ctx);
  incidentRulesRoutes(app, ctx);
  adminWebhookRoutes(app, ctx);
  statusRoutes(app, ctx);
  loadTestRoutes(app, ctx);
  // --- checklists
  checklistRoutes(app, ctx);
  readinessBoardRoutes(app, ctx);
  // ---- reports ----
  reportRoutes(app, ctx);
  liveRoutes(app, ctx);
  configRoutes(app, opts);
  // ---- E-mail, the editable directory, the audit log ----
  adminAuditRoutes(app, ctx);
  adminMailRoutes(app, ctx);
  adminDirectoryRoutes(app, ctx);
  // ---- Meeting plans (Điều 7) ----
  planRoutes(app, ctx);
  // ---- Readiness before a meeting (Điều 8.2) ----
  readinessRoutes(app, ctx);
  return { app, routes };
}
