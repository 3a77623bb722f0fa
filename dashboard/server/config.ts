// The one reader of the environment for the NOC server.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SITES_FILE } from '@noc/shared/sites-loader';
import { DEFAULT_DIRECTORY_FILE } from '@noc/shared/directory-loader';
import { passwordSchema } from '@noc/shared/auth';
import { envNumber, envPort } from '@noc/shared/env-number';
import { SHUTDOWN_GRACE_MS } from '@noc/shared/shutdown-overdue';
import { readTlsFiles, type TlsFiles } from '@noc/shared/tls-files';
import { DEFAULT_RULES_FILE } from './incidents/rule-settings.ts';
import { readMailConfig, type MailConfig } from './mail/mail-config.ts';
import { readReadinessConfig, type ReadinessConfig } from './readiness/readiness-config.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  sitesFile: string;
  /** Technicians and equipment per site (NOC_DIRECTORY_FILE, default shared/data/directory.json). */
  directoryFile: string;
  secretFile: string;
  /** Users, sessions and display tokens (node:sqlite): `<dataDir>/noc.db`. */
  stateFile: string;
  /** The first admin's password when there is no user yet (NOC_ADMIN_PASSWORD); null: a random one. */
  adminPassword: string | null;
  /** The simulated sites run (NOC_SIMULATOR=1): health expects them, and demo accounts and a demo wall display token are made. */
  simulator: boolean;
  /** The demo accounts' password (NOC_DEMO_PASSWORD); null: a random one. */
  demoPassword: string | null;
  /** Session cookies carry `Secure`: whenever the server serves HTTPS itself, or NOC_COOKIE_SECURE=1 (behind a proxy terminating TLS). */
  cookieSecure: boolean;
  /** The server serves HTTPS with this certificate and key (NOC_TLS_CERT, NOC_TLS_KEY); null: plain HTTP. */
  tls: TlsFiles | null;
  /** With HTTPS: a plain-HTTP port that only redirects to HTTPS (NOC_HTTP_REDIRECT_PORT); null: none. */
  httpRedirectPort: number | null;
  /**
   * The proxies whose X-Forwarded-For/-Proto/-Host the server believes (NOC_TRUST_PROXY: addresses or
   * CIDRs, comma-separated, or `loopback`); null: none, the connection is what it is.
   */
  trustProxy: string | null;
  /** Set: samples go to this InfluxDB (1.x, or 2.x with a token and org). Unset: the embedded store in dataDir. */
  influxUrl: string | null;
  /** The database (1.x) or the prefix of the buckets `<db>/raw` and `<db>/year` (2.x) (INFLUX_DB, default noc). */
  influxDb: string;
  influxUser: string | null;
  influxPassword: string | null;
  /** An API token (INFLUX_TOKEN): InfluxDB 2.x needs one with read and write access to the org's buckets, DBRPs and tasks. */
  influxToken: string | null;
  /** The organisation on InfluxDB 2.x (INFLUX_ORG). */
  influxOrg: string | null;
  /** Most disk the ingest buffer may use while InfluxDB is down (NOC_INGEST_BUFFER_MB, default 512 MB). */
  ingestBufferBytes: number;
  /** The main SFU node (status and signalling). */
  sfuUrl: string;
  /** The backup SFU node (TTGDTX Thành phố); null when there is none. */
  sfuBackupUrl: string | null;
  /** The built dashboard to serve; null when it has not been built. */
  staticDir: string;
  /** The incident rules' defaults (NOC_INCIDENT_RULES_FILE); an admin's saved version in dataDir wins. */
  incidentRulesFile: string;
  /** The regular meetings (NOC_SCHEDULE_FILE): the seed of the meeting plans on a first start. */
  scheduleFile: string;
  /** First webhook retry after this long, doubling (NOC_WEBHOOK_RETRY_MS, default 2000). */
  webhookRetryMs: number;
  /** E-mail (NOC_SMTP_URL, NOC_MAIL_FROM, NOC_MAIL_RETRY_MS, NOC_PUBLIC_URL): see mail/mail-config.ts. */
  mail: MailConfig;
  // ---- Readiness before a meeting (Điều 8.2) ----
  /** The test call's length, the join timeout, the automatic run's lead and tick, the big-meeting size (NOC_READINESS_*). */
  readiness: ReadinessConfig;
  // ---- Meeting plans (Điều 7) ----
  /** First retry of a planned meeting the SFU did not open, doubling up to a minute (NOC_PLAN_OPEN_RETRY_MS, default 2000). */
  planOpenRetryMs: number;
  // --- checklists
  /** A site's shutdown checklist is overdue this long after its meeting's end (NOC_SHUTDOWN_GRACE_MS, default 30 minutes). */
  shutdownGraceMs: number;
}

const megabytes = (name: string, fallback: number, env: NodeJS.ProcessEnv): number =>
  Math.round(envNumber(env, name, fallback, { min: 0.01, max: 1024 * 1024, unit: 'megabytes' }) * 1024 * 1024);

const positiveMs = (name: string, fallback: number, env: NodeJS.ProcessEnv): number =>
  envNumber(env, name, fallback, { min: 1, max: 24 * 3600 * 1000, integer: true, unit: 'milliseconds' });

/** A password given in the environment must pass the same rule as one set on the admin page. */
function password(name: string, env: NodeJS.ProcessEnv): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const checked = passwordSchema.safeParse(raw);
  if (!checked.success) throw new Error(`${name} ${checked.error.issues[0]?.message ?? 'is not a valid password'}`);
  return raw;
}

/** A database name that is also a bucket prefix and a Flux string: no slash, quote or control character. */
function databaseName(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'noc';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw)) {
    throw new Error(`INFLUX_DB "${raw}" is not a database name: letters, digits, "_", "." and "-" only, at most 64`);
  }
  return raw;
}

/** The plain-HTTP redirect's port: only beside HTTPS. */
function redirectPort(env: NodeJS.ProcessEnv, tls: TlsFiles | null): number | null {
  const raw = env.NOC_HTTP_REDIRECT_PORT;
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'off') return null;
  if (!tls) throw new Error('NOC_HTTP_REDIRECT_PORT is set but HTTPS is not: it needs NOC_TLS_CERT and NOC_TLS_KEY');
  return envPort(env, 'NOC_HTTP_REDIRECT_PORT', 0);
}

/** Addresses, CIDRs or proxy-addr's names (loopback, linklocal, uniquelocal), comma-separated. */
function trustedProxies(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  const list = raw.split(',').map((s) => s.trim());
  const bad = list.find((s) => !/^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?)$/.test(s));
  if (bad !== undefined) {
    throw new Error(`NOC_TRUST_PROXY "${raw}": "${bad}" is not an address, a CIDR, loopback, linklocal or uniquelocal`);
  }
  return list.join(',');
}

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(env.NOC_DATA_DIR ?? resolve(PROJECT_ROOT, 'data'));
  const tls = readTlsFiles(env, 'NOC_TLS_CERT', 'NOC_TLS_KEY');
  return {
    host: env.NOC_HOST ?? '127.0.0.1',
    port: envPort(env, 'PORT', 8080),
    dataDir,
    sitesFile: env.NOC_SITES_FILE ?? DEFAULT_SITES_FILE,
    directoryFile: env.NOC_DIRECTORY_FILE ?? DEFAULT_DIRECTORY_FILE,
    secretFile: env.NOC_SECRET_FILE ?? resolve(dataDir, 'secret.key'),
    stateFile: resolve(dataDir, 'noc.db'),
    adminPassword: password('NOC_ADMIN_PASSWORD', env),
    simulator: env.NOC_SIMULATOR === '1',
    demoPassword: password('NOC_DEMO_PASSWORD', env),
    cookieSecure: env.NOC_COOKIE_SECURE === '1' || tls !== null,
    tls,
    httpRedirectPort: redirectPort(env, tls),
    trustProxy: trustedProxies(env.NOC_TRUST_PROXY),
    influxUrl: env.INFLUX_URL ? env.INFLUX_URL.replace(/\/+$/, '') : null,
    influxDb: databaseName(env.INFLUX_DB),
    influxUser: env.INFLUX_USER ?? null,
    influxPassword: env.INFLUX_PASSWORD ?? null,
    influxToken: env.INFLUX_TOKEN || null,
    influxOrg: env.INFLUX_ORG || null,
    ingestBufferBytes: megabytes('NOC_INGEST_BUFFER_MB', 512, env),
    sfuUrl: env.SFU_URL ?? `http://127.0.0.1:${envPort(env, 'SFU_PORT', 4450)}`,
    sfuBackupUrl: env.SFU_BACKUP_URL ? env.SFU_BACKUP_URL.replace(/\/+$/, '') : null,
    staticDir: env.NOC_STATIC_DIR ?? resolve(PROJECT_ROOT, 'dashboard/dist'),
    incidentRulesFile: env.NOC_INCIDENT_RULES_FILE ?? DEFAULT_RULES_FILE,
    scheduleFile: env.NOC_SCHEDULE_FILE ?? resolve(PROJECT_ROOT, 'shared/data/schedule.json'),
    webhookRetryMs: positiveMs('NOC_WEBHOOK_RETRY_MS', 2000, env),
    mail: readMailConfig(env),
    readiness: readReadinessConfig(env),
    // ---- Meeting plans (Điều 7) ----
    planOpenRetryMs: envNumber(env, 'NOC_PLAN_OPEN_RETRY_MS', 2000, { min: 100, max: 60_000, integer: true, unit: 'milliseconds' }),
    // --- checklists
    shutdownGraceMs: positiveMs('NOC_SHUTDOWN_GRACE_MS', SHUTDOWN_GRACE_MS, env),
  };
}
