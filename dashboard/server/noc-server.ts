// The NOC server: ingest gateway, sign-in, API, live feed and the dashboard's files.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { startLoadTestRun as loadTestRunner } from '@noc/loadtest/runner/load-test-run';
import type { StartLoadTestRun } from '@noc/loadtest/runner/run-contract';
import { loadDirectory } from '@noc/shared/directory-loader';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import { issueNocToken } from '@noc/shared/probe-token';
import { loadRegistry } from '@noc/shared/sites-loader';
import { buildApp } from './app.ts';
import type { RegisteredRoute } from './auth/access-control.ts';
import { Auth } from './auth/auth.ts';
import { bootstrapAccounts } from './auth/bootstrap.ts';
import type { ServerConfig } from './config.ts';
import type { ServerContext } from './context.ts';
import { HealthMonitor } from './health-monitor.ts';
import { startHttpRedirect, type HttpRedirect } from './http-redirect.ts';
import { Heartbeats } from './heartbeats.ts';
import { LiveFeed } from './live-feed.ts';
import { MeetingsWatch } from './meetings-watch.ts';
import { ReplayLog } from './replay/replay-log.ts';
import { MeetingHistory } from './reports/meeting-history.ts';
import { planSourceOf } from './reports/report-sources.ts';
import { Reports } from './reports/reports.ts';
import { openStore } from './store/open-store.ts';
import { Incidents } from './incidents/incidents.ts';
import { isLoadTestMeeting, LoadTests } from './load-tests/load-tests.ts';
import { LoadTestStore } from './load-tests/load-test-store.ts';
import { loadTestEnvironment } from './load-tests/load-test-environment.ts';
import { ContactStore } from './directory/contact-store.ts';
import { Mail } from './mail/mail.ts';
// ---- Meeting plans (Điều 7) ----
import { AuditLog } from './incidents/audit-log.ts';
import { PlanMeetingOpener } from './plans/meeting-opener.ts';
import { loadSchedule } from './plans/plan-seed.ts';
import { Plans } from './plans/plans.ts';
// ---- Readiness before a meeting (Điều 8.2) ----
import { isTestCallMeeting } from '@noc/shared/readiness-check';
import { Readiness } from './readiness/readiness.ts';
import { ReadinessStore } from './readiness/readiness-store.ts';
// --- checklists
import { Checklists } from './checklists/checklists.ts';
import { MeetingEvents } from './checklists/meeting-events.ts';

export interface NocServerOptions {
  config: ServerConfig;
  simulatorExpected?: boolean;
  logger?: boolean;
  /** The capacity-test runner (default: @noc/loadtest's); null: this server refuses to start capacity tests. */
  startLoadTestRun?: StartLoadTestRun | null;
}

export class NocServer {
  readonly ctx: ServerContext;
  readonly url: string;
  /** Every route the server registered: the API's and the built dashboard's files. */
  readonly routes: readonly RegisteredRoute[];
  /** With HTTPS and NOC_HTTP_REDIRECT_PORT: the plain-HTTP server that redirects to `url`; null otherwise. */
  readonly redirectUrl: string | null;
  /** The /api/ routes the server registered (each with its access rule). */
  get apiRoutes(): readonly RegisteredRoute[] {
    return this.routes.filter((r) => r.url.startsWith('/api/'));
  }
  #app: FastifyInstance;
  #planOpener: PlanMeetingOpener | null = null;
  #redirect: HttpRedirect | null;

  private constructor(
    ctx: ServerContext,
    app: FastifyInstance,
    url: string,
    routes: readonly RegisteredRoute[],
    redirect: HttpRedirect | null,
  ) {
    this.ctx = ctx;
    this.#app = app;
    this.url = url;
    this.routes = routes;
    this.#redirect = redirect;
    this.redirectUrl = redirect?.url ?? null;
  }

  static async create({
    config,
    simulatorExpected = false,
    logger = true,
    startLoadTestRun = loadTestRunner,
  }: NocServerOptions): Promise<NocServer> {
    const registry = await loadRegistry(config.sitesFile);
    const sites = new Map(registry.sites.map((s) => [s.id, s]));
    const directory = await loadDirectory(config.directoryFile, new Set(sites.keys()));
    const secret = await loadOrCreateSecret(config.secretFile);
    const auth = new Auth({ file: config.stateFile, sites, cookieSecure: config.cookieSecure });
    const live = new LiveFeed(sites, (msg) => console.warn(`[noc] ${msg}`));
    auth.onSessionsEnded((ids) => live.endSessions(ids));
    let store: ServerContext['store'];
    try {
      await bootstrapAccounts(auth, {
        dataDir: config.dataDir,
        sites: registry.sites,
        adminPassword: config.adminPassword,
        simulator: config.simulator,
        demoPassword: config.demoPassword,
      });
      store = await openStore(config);
    } catch (err) {
      auth.close();
      throw err;
    }
    const heartbeats = new Heartbeats();
    // Replays read the meetings and the SFU nodes' states from what the NOC saw change.
    const replayLog = new ReplayLog(auth.db);
    // ---- reports: which meetings the SFU carried, kept for the yearly report ----
    const meetingHistory = new MeetingHistory(auth.db);
    // The SFU nodes answer their status endpoints to this token only.
    const sfuToken = issueNocToken(secret);
    const health = new HealthMonitor({
      store,
      sfuUrl: config.sfuUrl,
      sfuBackupUrl: config.sfuBackupUrl,
      sfuToken,
      heartbeats,
      siteIds: [...sites.keys()],
      simulatorExpected,
      onReport: (report) => {
        replayLog.healthChecked(report);
        live.publish({ type: 'health', health: report });
      },
    });
    const meetings = new MeetingsWatch({
      sfuUrl: config.sfuUrl,
      sfuBackupUrl: config.sfuBackupUrl,
      sfuToken,
      onChange: (list) => {
        replayLog.meetingsChanged(list);
        meetingHistory.carried(list);
        live.publish({ type: 'meetings', meetings: list });
      },
    });
    // ---- E-mail and the editable directory ----
    // The directory file seeds the contacts once; from then on the state database is their source.
    const contacts = new ContactStore(auth.db, new Set(sites.keys()), directory.contacts);
    let ownUrl = `${config.tls ? 'https' : 'http'}://${config.host}:${config.port}`;
    const mail = new Mail({ db: auth.db, config: config.mail, sites, contacts, baseUrl: () => ownUrl });
    // The meeting plans: on a first start the regular meetings of the schedule file become plans.
    const plans = new Plans({ db: auth.db, sites, audit: new AuditLog(auth.db) });
    try {
      if (!plans.store.seeded() && plans.store.count() === 0) plans.seed(await loadSchedule(config.scheduleFile), config.scheduleFile);
    } catch (err) {
      await store.close();
      auth.close();
      throw err;
    }
    let incidents: Incidents;
    // Made once the incidents are (it reads their site state and thresholds); the site-not-ready rule asks it.
    let readiness: Readiness | null = null;
    // Opening the runs' store marks failed any run the last server was hosting when it stopped.
    const loadTestStore = new LoadTestStore(auth.db);
    try {
      incidents = new Incidents({
        db: auth.db,
        dataDir: config.dataDir,
        sites: registry.sites,
        rulesFile: config.incidentRulesFile,
        plans,
        // A capacity test's meeting, or a readiness test call, is none of the sites' meetings: the rules do not see it.
        meetings: () => meetings.meetings.filter((m) => !isLoadTestMeeting(m) && !isTestCallMeeting(m)),
        health: () => health.report,
        sfuNodes: [
          { name: 'main', url: config.sfuUrl },
          ...(config.sfuBackupUrl ? [{ name: 'backup' as const, url: config.sfuBackupUrl }] : []),
        ],
        sfuToken,
        writePoints: (points) => store.write(points),
        onChange: (incident) => live.publish({ type: 'incident', incident }),
        webhooks: { retryBaseMs: config.webhookRetryMs },
        mail,
        loadTestsEnded: (from, to) => loadTestStore.endedBetween(from, to),
        notReady: (site, now) => readiness?.notReady(site, now) ?? null,
      });
    } catch (err) {
      await store.close();
      auth.close();
      throw err;
    }
    live.setIncidentSource(() => incidents.store.active());
    const loadTests = new LoadTests({
      store: loadTestStore,
      siteIds: new Set(sites.keys()),
      startRun: startLoadTestRun,
      environment: (id) => loadTestEnvironment({ config, nocUrl: ownUrl, secret, sites: registry.sites, runId: id }),
      // A readiness test call is no real meeting a capacity test would disturb.
      meetings: () => meetings.meetings.filter((m) => !isTestCallMeeting(m)),
      writePoints: (points) => store.write(points),
      wallTokens: {
        create: (label) => {
          const { record, token } = auth.displayTokens.create(label);
          return { id: record.id, token };
        },
        revoke: (id) => {
          auth.displayTokens.revoke(id);
          auth.sessions.endForDisplayToken(id);
        },
      },
    });
    // --- checklists
    const checklists = new Checklists({
      db: auth.db,
      occurrences: plans,
      audit: incidents.audit,
      graceMs: config.shutdownGraceMs,
    });
    const meetingEvents = new MeetingEvents({
      db: auth.db,
      nodeUrls: [config.sfuUrl, ...(config.sfuBackupUrl ? [config.sfuBackupUrl] : [])],
      sfuToken,
    });
    // ---- Readiness before a meeting (Điều 8.2) ----
    readiness = new Readiness({
      store: new ReadinessStore(auth.db),
      samples: store,
      plans,
      sites,
      signallingUrl: `${config.sfuUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/signalling`,
      secret,
      config: config.readiness,
      siteNow: (site) => {
        const s = incidents.engine.state.sites.get(site);
        return { power: s?.power ?? null, env: s?.env ?? null };
      },
      // The site's own pre-meeting checklist (Điều 8.3).
      checklist: (occurrence, site) => checklists.get(occurrence, site, 'pre'),
      thresholds: () => incidents.settings.current.rules,
      capacityRun: (from, to) =>
        loadTestStore
          .endedBetween(from, to)
          .find((r) => r.settings.scenario === 'capacity' && (r.status === 'finished' || r.status === 'failed')) ?? null,
      capacityDays: () => incidents.settings.current.rules.loadTestFailed.daysBefore,
      // A new result is looked at by the rules at once, not at the next tick.
      onChange: () => incidents.engine.tick(),
    });
    // ---- reports ----
    const reports = new Reports({
      sites,
      store,
      plans: planSourceOf(plans),
      readiness,
      history: meetingHistory,
      incidents: incidents.store,
      now: Date.now,
    });
    const ctx: ServerContext = {
      sites,
      directory: contacts.view(directory.equipment),
      secret,
      store,
      live,
      heartbeats,
      health,
      auth,
      meetings,
      incidents,
      loadTests,
      replayLog,
      contacts,
      mail,
      plans,
      readiness,
      // --- checklists
      checklists,
      meetingEvents,
      reports,
    };
    const planOpener = new PlanMeetingOpener({
      plans,
      signallingUrl: `${config.sfuUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/signalling`,
      secret,
      meetings: () => meetings.meetings,
      retry: { firstMs: config.planOpenRetryMs, maxMs: Math.max(config.planOpenRetryMs, 60_000) },
    });
    let redirect: HttpRedirect | null = null;
    try {
      const { app, routes } = await buildApp(ctx, {
        staticDir: config.staticDir,
        sfuUrl: config.sfuUrl,
        sfuBackupUrl: config.sfuBackupUrl,
        logger,
        tls: config.tls,
        trustProxy: config.trustProxy,
      });
      // A server that just started knows of no meeting yet: the list it sees next is recorded as a change.
      replayLog.meetingsChanged([]);
      await health.start();
      meetings.start();
      incidents.start();
      mail.start();
      meetingEvents.start();
      const address = await app.listen({ host: config.host, port: config.port });
      ownUrl = address;
      if (config.httpRedirectPort !== null) {
        try {
          const httpsPort = (app.server.address() as AddressInfo).port;
          redirect = await startHttpRedirect({ host: config.host, port: config.httpRedirectPort, httpsPort });
        } catch (err) {
          await app.close();
          throw new Error(`NOC_HTTP_REDIRECT_PORT ${config.httpRedirectPort}: ${(err as Error).message}`, { cause: err });
        }
      }
      planOpener.start();
      readiness.start();
      const server = new NocServer(ctx, app, address, routes, redirect);
      server.#planOpener = planOpener;
      return server;
    } catch (err) {
      mail.close();
      planOpener.stop();
      await readiness.close();
      await incidents.close();
      meetingEvents.stop();
      meetings.stop();
      health.stop();
      await store.close();
      auth.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.#redirect?.close();
    this.#planOpener?.stop();
    await this.ctx.readiness.close();
    await this.ctx.loadTests.close();
    await this.ctx.incidents.close();
    this.ctx.mail.close();
    this.ctx.meetingEvents.stop();
    this.ctx.meetings.stop();
    this.ctx.health.stop();
    this.ctx.live.close();
    await this.#app.close();
    await this.ctx.store.close();
    this.ctx.auth.close();
  }
}
