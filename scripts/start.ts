// `npm start`: brings the whole system up on loopback — a private influxd (or
// the embedded store), the main and backup SFU nodes, the NOC server and the 12-site simulator —
// prints where to look, and stops every child on Ctrl-C.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@noc/shared/child-process';
import { issueAccessToken } from '@noc/shared/access-token';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { CREDENTIALS_FILE, DEMO_WALL_FILE } from '../dashboard/server/auth/bootstrap.ts';
import { readServerConfig } from '../dashboard/server/config.ts';
import { influxdInstalled, startInfluxd, type RunningInfluxd } from '../dashboard/server/store/influxd-process.ts';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import { readSfuConfig } from '../sfu/src/config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const server = readServerConfig(env);
const sfu = readSfuConfig(env);
const logDir = resolve(env.NOC_LOG_DIR ?? join(server.dataDir, 'logs'));
await mkdir(logDir, { recursive: true });

const children: ManagedProcess[] = [];
let influxd: RunningInfluxd | null = null;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const child of [...children].reverse()) await child.stop();
    await influxd?.stop();
  }
  process.exit(code);
}

function port(name: string, fallback: number): number {
  const n = Number(env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${env[name]}"`);
  return n;
}

function startChild(name: string, script: string, childEnv: NodeJS.ProcessEnv): ManagedProcess {
  const child = ManagedProcess.start({ name, command: process.execPath, args: [join(root, script)], env: childEnv });
  children.push(child);
  void child.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`[start] ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping everything`);
    void stopAll(1);
  });
  return child;
}

async function waitHttp(what: string, url: string, child: ManagedProcess): Promise<void> {
  await waitFor(
    what,
    async () => {
      if (!child.running) throw new Error(`${child.name} exited:\n${child.tail}`);
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      return res.status < 500 || res.status === 503;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.log(`\n[start] ${signal}: stopping`);
    void stopAll(0);
  });
}

try {
  // 1. The store.
  let influxUrl = server.influxUrl;
  if (!influxUrl && influxdInstalled() && env.NOC_STORE !== 'embedded') {
    influxd = await startInfluxd({
      dir: join(server.dataDir, 'influxdb'),
      host: server.host,
      httpPort: port('INFLUX_PORT', 18086),
      rpcPort: port('INFLUX_RPC_PORT', 18088),
      logFile: join(logDir, 'influxd.log'),
    });
    influxUrl = influxd.url;
    console.log(`[start] influxd up on ${influxUrl} (data in ${join(server.dataDir, 'influxdb')})`);
  } else if (!influxUrl) {
    console.log(`[start] no InfluxDB configured or installed: using the embedded store in ${server.dataDir}`);
  }

  // 2. The SFU nodes: main (the Sở) and backup (TTGDTX Thành phố), replicating to each other.
  // HTTPS and WSS where a certificate is given (NOC_TLS_*, SFU_TLS_*; both SFU nodes use the SFU's).
  const nocUrl = `${server.tls ? 'https' : 'http'}://${server.host}:${server.port}`;
  const sfuUrl = `${sfu.tls ? 'https' : 'http'}://${sfu.host}:${sfu.port}`;
  const backupPort = port('SFU_BACKUP_PORT', sfu.port + 1);
  const sfuBackupUrl = `${sfu.tls ? 'https' : 'http'}://${sfu.host}:${backupPort}`;
  const sfuChild = startChild('sfu', 'sfu/src/index.ts', { ...env, NOC_URL: nocUrl, SFU_NODE: 'main', SFU_PEER_URL: sfuBackupUrl });
  const backupSpan = sfu.rtcMaxPort - sfu.rtcMinPort + 1;
  const backupChild = startChild('sfu-backup', 'sfu/src/index.ts', {
    ...env,
    NOC_URL: nocUrl,
    SFU_NODE: 'backup',
    SFU_PORT: String(backupPort),
    SFU_ECHO_PORT: String(port('SFU_BACKUP_ECHO_PORT', 4461)),
    SFU_PEER_URL: sfuUrl,
    SFU_RTC_MIN_PORT: String(sfu.rtcMaxPort + 1),
    SFU_RTC_MAX_PORT: String(sfu.rtcMaxPort + backupSpan),
  });
  await waitHttp('the main SFU node', `${sfuUrl}/health`, sfuChild);
  await waitHttp('the backup SFU node', `${sfuBackupUrl}/health`, backupChild);

  // 3. The NOC server.
  const nocEnv: NodeJS.ProcessEnv = { ...env, SFU_URL: sfuUrl, SFU_BACKUP_URL: sfuBackupUrl, NOC_SIMULATOR: env.NOC_SIMULATOR ?? '1' };
  if (influxUrl) nocEnv.INFLUX_URL = influxUrl;
  const nocChild = startChild('noc', 'dashboard/server/index.ts', nocEnv);
  await waitHttp('the NOC server', `${nocUrl}/api/health`, nocChild);

  // 4. The simulated sites.
  if (nocEnv.NOC_SIMULATOR === '1') {
    // Fault injection on loopback (SIM_CONTROL_PORT, "off" to leave it out).
    const controlPort = env.SIM_CONTROL_PORT ?? '8090';
    startChild('simulator', 'probes/src/simulator/index.ts', {
      ...env,
      NOC_URL: nocUrl,
      NOC_SECRET_FILE: server.secretFile,
      // The scenario's meetings run on the main node (floor and speaking queue on the wall).
      SFU_URL: sfuUrl,
      SIM_SPOOL_DIR: env.SIM_SPOOL_DIR ?? join(server.dataDir, 'sim-spool'),
      SIM_CONTROL_PORT: controlPort,
    });
    if (controlPort !== 'off') console.log(`[start] fault injection: POST http://127.0.0.1:${controlPort}/faults (see probes/README.md)`);
  }

  // 5. Where to look, and how to sign in.
  const secret = await loadOrCreateSecret(server.secretFile);
  const exp = Date.now() + 12 * 3600_000;
  const link = (path: string, claims: Parameters<typeof issueAccessToken>[1]) =>
    `${nocUrl}${path}?token=${issueAccessToken(secret, claims)}`;
  // New accounts' passwords are printed once: the file is deleted right after.
  const credentialsFile = join(server.dataDir, CREDENTIALS_FILE);
  const credentials = await readFile(credentialsFile, 'utf8').catch(() => null);
  if (credentials !== null) await rm(credentialsFile, { force: true });
  const wallToken =
    nocEnv.NOC_SIMULATOR === '1' ? (await readFile(join(server.dataDir, DEMO_WALL_FILE), 'utf8').catch(() => '')).trim() : '';
  const accounts = credentials
    ? `Tài khoản mới (chỉ in lần này / printed this once; đổi mật khẩu ở /admin):\n${credentials
        .split('\n')
        .slice(1)
        .filter((l) => l.trim())
        .map((l) => `  ${l}`)
        .join('\n')}`
    : 'Tài khoản: đã tạo ở lần chạy đầu; admin quản lý ở /admin (accounts were made on the first start).';
  console.log(`
  NOC đã chạy (NOC is up).
    Đăng nhập (sign in)        ${nocUrl}/signin
    Màn hình NOC (wall)        ${wallToken ? `${nocUrl}/wall?display=${wallToken}` : `${nocUrl}/wall (cần đăng nhập / sign in first)`}
    Health (public)            ${nocUrl}/api/health
    Ingest gateway             ${nocUrl}/api/ingest   (POST, "Authorization: Bearer <probe token>")
    SFU nodes                  ${sfuUrl}/health (main), ${sfuBackupUrl}/health (backup)
    Store                      ${influxUrl ?? `embedded (${join(server.dataDir, 'samples.sqlite')})`}
    Logs                       ${logDir}

  ${accounts}

  Liên kết có token, 12 giờ (token links for room PCs, valid 12 hours)
    Phòng Đà Bắc (room)        ${link('/room', { role: 'site', site: 'da-bac', exp })}
    Phòng Mai Châu (room)      ${link('/room', { role: 'site', site: 'mai-chau', exp })}
    Điều hành (control)        ${link('/control', { role: 'operator', name: 'Tổ CNTT Sở', exp })}
    Chủ trì (chair)            ${link('/control', { role: 'chair', name: 'Chủ trì', exp })}
    Probe token of da-bac      ${issueProbeToken(secret, 'da-bac')}

  Ctrl-C dừng tất cả (stops everything).
`);
} catch (err) {
  console.error(`[start] could not start: ${(err as Error).message}`);
  await stopAll(1);
}
