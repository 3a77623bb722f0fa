// The whole system as `npm start` runs it (scripts/start.ts), started for one
// load test: free loopback ports, a temp data folder, no simulated sites, and
// an admin password of the run's own. Stopped (and its folder removed) after.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemPortsEnv } from '@noc/shared/free-port';
import { waitFor } from '@noc/shared/wait';
import { ChildTree } from './runner/child-tree.ts';

const START_SCRIPT = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url));

export interface PrivateSystem {
  url: string;
  adminPassword: string;
  stop(): Promise<void>;
}

export async function startPrivateSystem(log: (line: string) => void): Promise<PrivateSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'noc-loadtest-'));
  const ports = await systemPortsEnv();
  const port = Number(ports.PORT);
  const adminPassword = randomBytes(18).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...ports,
    NOC_DATA_DIR: dataDir,
    NOC_SIMULATOR: '0',
    NOC_ADMIN_PASSWORD: adminPassword,
    SIM_CONTROL_PORT: 'off',
  };
  // Its own influxd, never one named in the caller's environment.
  delete env.INFLUX_URL;
  const logFile = join(dataDir, 'system.log');
  // Its own process group: a Ctrl-C at the terminal goes to the CLI, which stops the run first.
  const system = ChildTree.start({ name: 'system', command: process.execPath, args: [START_SCRIPT], env, logFile, detached: true });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await system.stop(20_000, true);
    await rm(dataDir, { recursive: true, force: true });
  };
  log(`starting a private system (influxd, two SFU nodes, the NOC server) on ${url}, data in ${dataDir}`);
  // A system that exits ends the wait at once, not after the whole timeout.
  const gone = new AbortController();
  void system.exited.then(() => gone.abort(new Error('the private system exited before it was up')));
  try {
    await waitFor(
      'the private system to report every component up',
      async () => {
        const health = (await (await fetch(`${url}/api/health`)).json()) as { status: string };
        return health.status === 'ok';
      },
      { timeoutMs: 120_000, intervalMs: 500, signal: gone.signal },
    );
  } catch (err) {
    // The log goes with the data folder: its last lines go into the error.
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-30).join('\n');
    await stop();
    throw new Error(`${(err as Error).message}\nlast lines of the system's log:\n${tail}`, { cause: err });
  }
  return { url, adminPassword, stop };
}
