// The NOC server: ingest gateway, sign-in, API, live feed and the dashboard's files.
import type { FastifyInstance } from 'fastify';
import { loadDirectory } from '@noc/shared/directory-loader';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import { loadRegistry } from '@noc/shared/sites-loader';
import { buildApp } from './app.ts';
import { Auth } from './auth/auth.ts';
import { bootstrapAccounts } from './auth/bootstrap.ts';
import type { ServerConfig } from './config.ts';
import type { ServerContext } from './context.ts';
import { HealthMonitor } from './health-monitor.ts';
import { Heartbeats } from './heartbeats.ts';
import { LiveFeed } from './live-feed.ts';
import { MeetingsWatch } from './meetings-watch.ts';
import { openStore } from './store/open-store.ts';

export interface NocServerOptions {
  config: ServerConfig;
  simulatorExpected?: boolean;
  logger?: boolean;
}

export class NocServer {
  readonly ctx: ServerContext;
  readonly url: string;
  #app: FastifyInstance;

  private constructor(ctx: ServerContext, app: FastifyInstance, url: string) {
    this.ctx = ctx;
    this.#app = app;
    this.url = url;
  }

  static async create({ config, simulatorExpected = false, logger = true }: NocServerOptions): Promise<NocServer> {
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
    const health = new HealthMonitor({
      store,
      sfuUrl: config.sfuUrl,
      sfuBackupUrl: config.sfuBackupUrl,
      heartbeats,
      siteIds: [...sites.keys()],
      simulatorExpected,
      onReport: (report) => live.publish({ type: 'health', health: report }),
    });
    const meetings = new MeetingsWatch({
      sfuUrl: config.sfuUrl,
      sfuBackupUrl: config.sfuBackupUrl,
      onChange: (list) => live.publish({ type: 'meetings', meetings: list }),
    });
    const ctx: ServerContext = { sites, directory, secret, store, live, heartbeats, health, auth, meetings };
    try {
      const app = await buildApp(ctx, { staticDir: config.staticDir, sfuUrl: config.sfuUrl, sfuBackupUrl: config.sfuBackupUrl, logger });
      await health.start();
      meetings.start();
      const address = await app.listen({ host: config.host, port: config.port });
      return new NocServer(ctx, app, address);
    } catch (err) {
      meetings.stop();
      health.stop();
      await store.close();
      auth.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.ctx.meetings.stop();
    this.ctx.health.stop();
    this.ctx.live.close();
    await this.#app.close();
    await this.ctx.store.close();
    this.ctx.auth.close();
  }
}
