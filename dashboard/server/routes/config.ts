// What the dashboard app needs to know about the deployment: where the SFU's
// signalling is. For a signed-in user, or a room page opened with an access
// token link, which sends it as `Authorization: Bearer <token>`.
import type { FastifyInstance } from 'fastify';
import { SIGNED_IN } from '../auth/access-control.ts';
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
  app.get('/api/config', { config: { access: { roles: SIGNED_IN, accessToken: true } } }, async () => answer);
}
