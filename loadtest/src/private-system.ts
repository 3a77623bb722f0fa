// The whole system as `npm start` runs it (scripts/start.ts), started for one
// load test: free loopback ports, a temp data folder, no simulated sites, and
// an admin password of the run's own. Stopped (and its folder removed) after.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@noc/shared/child-process';
import { waitFor } from '@noc/shared/wait';

const START_SCRIPT = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url));

export interface PrivateSystem {
  url: string;
  adminPassword: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivateSystem(log: (line: string) => void): Promise<PrivateSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'noc-loadtest-'));
  const port = await freePort();
  const adminPassword = randomBytes(18).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SFU_PORT: String(await freePort()),
    SFU_BACKUP_PORT: String(await freePort()),
    SFU_ECHO_PORT: String(await freePort()),
    SFU_BACKUP_ECHO_PORT: String(await freePort()),
    INFLUX_PORT: String(await freePort()),
    INFLUX_RPC_PORT: String(await freePort()),
    NOC_DATA_DIR: dataDir,
    NOC_SIMULATOR: '0',
    NOC_ADMIN_PASSWORD: adminPassword,
    SIM_CONTROL_PORT: 'off',
  };
  // Its own influxd, never one named in the caller's environment.
  delete env.INFLUX_URL;
  const proc = ManagedProcess.start({
    name: 'system',
    command: process.execPath,
    args: [START_SCRIPT],
    env,
    logFile: join(dataDir, 'system.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop(20_000);
    await rm(dataDir, { recursive: true, force: true });
  };
  log(`starting a private system (influxd, two SFU nodes, the NOC server) on ${url}, data in ${dataDir}`);
  try {
    await waitFor(
      'the private system to report every component up',
      async () => {
        if (!proc.running) throw new Error(`the system exited:\n${proc.tail}`);
        const health = (await (await fetch(`${url}/api/health`)).json()) as { status: string };
        return health.status === 'ok';
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, adminPassword, stop };
}
