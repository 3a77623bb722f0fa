// The one reader of the environment for an SFU node.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { types } from 'mediasoup';
import { DEFAULT_SITES_FILE } from '@noc/shared/sites-loader';
import { envNumber } from '@noc/shared/env-number';
import { readTlsFiles, type TlsFiles } from '@noc/shared/tls-files';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SfuConfig {
  /** `main` (the Sở) or `backup` (TTGDTX Thành phố). */
  node: 'main' | 'backup';
  /** Address of the status/signalling HTTP server. */
  host: string;
  port: number;
  /** Status, signalling and replication over HTTPS/WSS with this certificate and key (SFU_TLS_CERT, SFU_TLS_KEY); null: plain HTTP/WS. */
  tls: TlsFiles | null;
  /** One worker per core by default. */
  numWorkers: number;
  /** Receive transports one router of a meeting takes before the meeting spreads to another worker. */
  recvPerRouter: number;
  rtcMinPort: number;
  rtcMaxPort: number;
  /** Address media is received on, and the one announced to endpoints. */
  listenIp: string;
  announcedAddress: string | undefined;
  logLevel: types.WorkerLogLevel;
  /** The secret the NOC server signs access tokens with. */
  secretFile: string;
  sitesFile: string;
  /** The NOC server whose ingest gateway receives the node's stats. */
  nocUrl: string;
  statsIntervalMs: number;
  /** The other node (main ↔ backup) to replicate meetings with; null to run alone. */
  peerUrl: string | null;
  /** The UDP/TCP echo responder the sites' link probes measure against; 0 turns it off. */
  echoPort: number;
}

const int = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number =>
  envNumber(env, name, fallback, { min, max, integer: true });

export function readSfuConfig(env: NodeJS.ProcessEnv = process.env): SfuConfig {
  const node = env.SFU_NODE ?? 'main';
  if (node !== 'main' && node !== 'backup') throw new Error(`SFU_NODE must be "main" or "backup", got "${node}"`);
  const level = env.SFU_LOG_LEVEL ?? 'warn';
  if (!['debug', 'warn', 'error', 'none'].includes(level)) throw new Error(`SFU_LOG_LEVEL must be debug, warn, error or none`);
  return {
    node,
    host: env.SFU_HOST ?? '127.0.0.1',
    port: int(env, 'SFU_PORT', 4450, 0, 65535),
    tls: readTlsFiles(env, 'SFU_TLS_CERT', 'SFU_TLS_KEY'),
    numWorkers: int(env, 'SFU_WORKERS', availableParallelism(), 1, 64),
    recvPerRouter: int(env, 'SFU_RECV_PER_ROUTER', 200, 1, 100_000),
    rtcMinPort: int(env, 'SFU_RTC_MIN_PORT', 40000, 1024, 65535),
    rtcMaxPort: int(env, 'SFU_RTC_MAX_PORT', 40999, 1024, 65535),
    listenIp: env.SFU_LISTEN_IP ?? '127.0.0.1',
    announcedAddress: env.SFU_ANNOUNCED_ADDRESS || undefined,
    logLevel: level as types.WorkerLogLevel,
    secretFile: env.NOC_SECRET_FILE ?? resolve(env.NOC_DATA_DIR ?? resolve(PROJECT_ROOT, 'data'), 'secret.key'),
    sitesFile: env.NOC_SITES_FILE ?? DEFAULT_SITES_FILE,
    nocUrl: (env.NOC_URL ?? `http://127.0.0.1:${env.PORT || 8080}`).replace(/\/+$/, ''),
    statsIntervalMs: int(env, 'SFU_STATS_INTERVAL_MS', 2000, 200, 60_000),
    peerUrl: env.SFU_PEER_URL ? env.SFU_PEER_URL.replace(/\/+$/, '') : null,
    echoPort: int(env, 'SFU_ECHO_PORT', node === 'main' ? 4460 : 4461, 0, 65535),
  };
}
