// Starts a private influxd (InfluxDB 1.x, built by the setup with Flux
// included: influxdb/build.sh) with its own config and data folder, listening
// on loopback only, reporting disabled, Flux enabled; ready once it answers
// /ping (node-influx's ping). Used by `npm start` and by the test fixtures.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InfluxDB } from 'influx';
import { ManagedProcess } from '@noc/shared/child-process';
import { waitFor } from '@noc/shared/wait';

/** INFLUXD_BIN names another binary; otherwise the setup's (scripts/env.sh sets NOC_INFLUXD_BIN). */
export const INFLUXD_BIN = process.env.INFLUXD_BIN ?? process.env.NOC_INFLUXD_BIN ?? '';

export interface InfluxdOptions {
  /** Holds the config, meta, data and wal folders. */
  dir: string;
  host?: string;
  httpPort: number;
  /** influxd's backup/restore RPC port. */
  rpcPort: number;
  logFile?: string;
  quiet?: boolean;
  /** Called with the process as soon as it is spawned, before it answers. */
  onSpawn?: (process: ManagedProcess) => void;
}

export interface RunningInfluxd {
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export function influxdInstalled(): boolean {
  return INFLUXD_BIN !== '' && existsSync(INFLUXD_BIN);
}

function config(opts: InfluxdOptions, host: string): string {
  const d = (sub: string) => JSON.stringify(join(opts.dir, sub));
  return `reporting-disabled = true
bind-address = "${host}:${opts.rpcPort}"

[meta]
  dir = ${d('meta')}

[data]
  dir = ${d('data')}
  wal-dir = ${d('wal')}
  query-log-enabled = false

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "${host}:${opts.httpPort}"
  log-enabled = false
  flux-enabled = true

[logging]
  level = "warn"

[continuous_queries]
  log-enabled = false
`;
}

export async function startInfluxd(opts: InfluxdOptions): Promise<RunningInfluxd> {
  if (!influxdInstalled()) {
    throw new Error(
      INFLUXD_BIN === ''
        ? 'no influxd: run through npm (scripts/run.sh), or source scripts/env.sh, or set INFLUXD_BIN'
        : `InfluxDB (influxd) is not built at ${INFLUXD_BIN}; run: bash scripts/setup.sh influxd`,
    );
  }
  const host = opts.host ?? '127.0.0.1';
  await mkdir(opts.dir, { recursive: true });
  const configFile = join(opts.dir, 'influxdb.conf');
  await writeFile(configFile, config(opts, host));
  const proc = ManagedProcess.start({
    name: 'influxd',
    command: INFLUXD_BIN,
    args: ['-config', configFile],
    ...(opts.logFile ? { logFile: opts.logFile } : {}),
    ...(opts.quiet ? { quiet: true } : {}),
  });
  opts.onSpawn?.(proc);
  const url = `http://${host}:${opts.httpPort}`;
  const influx = new InfluxDB({ host, port: opts.httpPort });
  try {
    await waitFor(
      `influxd on ${url}`,
      async () => {
        if (!proc.running) throw new Error(`influxd exited: ${proc.tail}`);
        const [answer] = await influx.ping(1000);
        return answer?.online === true;
      },
      { timeoutMs: 30_000 },
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { url, process: proc, stop: () => proc.stop(10_000) };
}
