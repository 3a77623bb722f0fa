// What the dashboard app needs to know about the deployment: where the SFU's
// signalling is.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.ts';

export interface ClientConfig {
  /** The main node's signalling. */
  signallingUrl: string;
  /** Both nodes: endpoints move to the backup when the main stops answering. */
  signallingUrls: { main: string; backup: string | null };
}

const signalling = (url: string) => `${url.replace(/^http/, 'ws')}/signalling`;

export function configRoutes(app: FastifyInstance, config: Pick<ServerConfig, 'sfuUrl' | 'sfuBackupUrl'>): void {
  const answer: ClientConfig = {
    signallingUrl: signalling(config.sfuUrl),
    signallingUrls: { main: signalling(config.sfuUrl), backup: config.sfuBackupUrl ? signalling(config.sfuBackupUrl) : null },
  };
  app.get('/api/config', async () => answer);
}
