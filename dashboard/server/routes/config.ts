// What the dashboard app needs to know about the deployment: where the SFU's
// signalling is. For a signed-in user, or a room page opened with an access
// token link, which sends it as `Authorization: Bearer <token>`.
import type { FastifyInstance } from 'fastify';
import type { ClientConfig } from '@noc/shared/http-api';
import { apiRoute } from '../api-route.ts';
import type { ServerConfig } from '../config.ts';

const signalling = (url: string) => `${url.replace(/^http/, 'ws')}/signalling`;

export function configRoutes(app: FastifyInstance, config: Pick<ServerConfig, 'sfuUrl' | 'sfuBackupUrl'>): void {
  const answer: ClientConfig = {
    signallingUrl: signalling(config.sfuUrl),
    signallingUrls: { main: signalling(config.sfuUrl), backup: config.sfuBackupUrl ? signalling(config.sfuBackupUrl) : null },
  };
  apiRoute(app, 'config', () => answer);
}
