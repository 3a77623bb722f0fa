// influxd's own backup and restore of one database in the portable format (InfluxDB 1.x,
// `influxd backup -portable` / `influxd restore -portable`), through the RPC service of a
// running influxd (its `bind-address`; the private influxd binds it on 127.0.0.1:INFLUX_RPC_PORT).
import { execFile } from 'node:child_process';
import { INFLUXD_BIN, influxdInstalled } from '../../dashboard/server/store/influxd-process.ts';

function influxd(args: string[]): Promise<string> {
  if (!influxdInstalled()) {
    return Promise.reject(new Error(`influxd is not installed (${INFLUXD_BIN || 'no INFLUXD_BIN'}): run bash scripts/setup.sh influxd`));
  }
  return new Promise((resolve, reject) => {
    execFile(INFLUXD_BIN, args, { maxBuffer: 16 * 1024 * 1024, timeout: 6 * 3600_000 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (err) reject(new Error(`influxd ${args[0]} failed (${err.message.split('\n')[0]}):\n${output}`));
      else resolve(output);
    });
  });
}

/** Backs `database` up from the influxd whose RPC service is at `rpcAddress` into `dir`. */
export async function backupInflux(rpcAddress: string, database: string, dir: string): Promise<void> {
  try {
    await influxd(['backup', '-portable', '-db', database, '-host', rpcAddress, dir]);
  } catch (err) {
    throw new Error(
      `could not back up InfluxDB database "${database}" through the RPC service at ${rpcAddress} ` +
        `(is influxd running, with its bind-address there?): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** Restores `database` from the portable backup in `dir` into the influxd at `rpcAddress`; the database must not exist there. */
export async function restoreInflux(rpcAddress: string, database: string, dir: string): Promise<void> {
  try {
    await influxd(['restore', '-portable', '-db', database, '-host', rpcAddress, dir]);
  } catch (err) {
    const message = (err as Error).message;
    const exists = /already exists/i.test(message) ? ` The database "${database}" already exists there: restore into a fresh influxd.` : '';
    throw new Error(`could not restore InfluxDB database "${database}" through the RPC service at ${rpcAddress}.${exists} ${message}`, {
      cause: err,
    });
  }
}
