// What the dashboard app needs to know about the deployment: where the SFU's
// signalling is.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.ts';

export interface ClientConfig {
  signallingUrl: string;
}

export function configRoutes(app: FastifyInstance, config: Pick<ServerConfig, 'sfuUrl'>): void {
  const signallingUrl = `${config.sfuUrl.replace(/^http/, 'ws')}/signalling`;
  app.get('/api/config', async (): Promise<ClientConfig> => ({ signallingUrl }));
}
