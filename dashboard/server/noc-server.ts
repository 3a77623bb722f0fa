// The NOC server: ingest gateway, API, live feed and the dashboard's files.
import type { FastifyInstance } from 'fastify';
import { loadRegistry } from '@noc/shared/sites-loader';
import { buildApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import type { ServerContext } from './context.ts';
import { HealthMonitor } from './health-monitor.ts';
import { Heartbeats } from './heartbeats.ts';
import { LiveFeed } from './live-feed.ts';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
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
    const secret = await loadOrCreateSecret(config.secretFile);
    const store = await openStore(config);
    const live = new LiveFeed((msg) => console.warn(`[noc] ${msg}`));
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
    const ctx: ServerContext = { sites, secret, store, live, heartbeats, health };
    try {
      const app = await buildApp(ctx, { staticDir: config.staticDir, sfuUrl: config.sfuUrl, sfuBackupUrl: config.sfuBackupUrl, logger });
      await health.start();
      const address = await app.listen({ host: config.host, port: config.port });
      return new NocServer(ctx, app, address);
    } catch (err) {
      health.stop();
      await store.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.ctx.health.stop();
    this.ctx.live.close();
    await this.#app.close();
    await this.ctx.store.close();
  }
}
