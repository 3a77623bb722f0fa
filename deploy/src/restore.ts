// `npm run restore -- --from <backup folder>`: puts a backup made by `npm run backup` into a
// FRESH data folder (NOC_DATA_DIR, with no noc.db yet), before the NOC server starts on it:
// the sqlite files and the incident rules into the data folder, the server secret to
// NOC_SECRET_FILE (or checked equal when one is there), and the samples into InfluxDB through
// influxd's portable restore: into the private influxd when it runs, else into one started for
// the restore on `<NOC_DATA_DIR>/influxdb` and stopped afterwards. Run as root, it gives what it
// wrote to the data folder's owner. Options:
//   --env-file FILE       read the settings from the NOC server's environment file first
//   --influx-rpc H:P      restore the samples into the running InfluxDB whose RPC service is there
//   --no-influx           leave the samples out
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readServerConfig } from '../../dashboard/server/config.ts';
import { startInfluxd } from '../../dashboard/server/store/influxd-process.ts';
import { BACKUP_DATA, BACKUP_INFLUX, MANIFEST, SECRET_IN_BACKUP, type BackupManifest } from './data-files.ts';
import { restoreInflux } from './influx-portable.ts';
import { privateInfluxd, PRIVATE_INFLUXD_HOST } from './private-influxd.ts';
import { commandLine } from './command-line.ts';

const USAGE = 'usage: npm run restore -- --from <backup folder> [--env-file FILE] [--influx-rpc HOST:PORT | --no-influx]';

const OPTIONS = {
  from: { type: 'string' },
  'env-file': { type: 'string' },
  'influx-rpc': { type: 'string' },
  'no-influx': { type: 'boolean', default: false },
} as const;

const cli = commandLine('restore', USAGE, OPTIONS);
const values = cli.values;
// Declared with its type, so TypeScript knows a call to it does not return.
const fail: (message: string) => never = cli.fail;
const { loadEnvFile } = cli;
if (!values.from) fail(USAGE);
loadEnvFile(values['env-file']);

async function readManifest(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as BackupManifest;
  } catch (err) {
    throw new Error(`${dir} is not a complete backup (${MANIFEST}: ${(err as Error).message})`, { cause: err });
  }
  if (manifest.format !== 1 || !Array.isArray(manifest.files) || !manifest.files.includes('noc.db')) {
    throw new Error(`${join(dir, MANIFEST)} is not a backup manifest this version reads`);
  }
  for (const file of manifest.files) {
    if (file.split(/[\\/]/).includes('..')) throw new Error(`${MANIFEST} names a file outside the data folder: ${file}`);
  }
  return manifest;
}

/** Whether an influxd answers on the private address. */
async function privateInfluxdRunning(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })).status === 204;
  } catch {
    return false;
  }
}

/** The paths under `dir`, itself included. */
async function treeOf(dir: string): Promise<string[]> {
  return [dir, ...(await readdir(dir, { recursive: true })).map((p) => join(dir, p))];
}

try {
  const from = resolve(values.from);
  const manifest = await readManifest(from);
  const config = readServerConfig();
  const dataDir = config.dataDir;
  if (existsSync(join(dataDir, 'noc.db'))) {
    fail(`${dataDir} already holds noc.db: restore into a fresh data folder (stop the NOC server and move its folder away first)`);
  }
  let secret: string | null = null;
  if (manifest.secret) {
    secret = await readFile(join(from, SECRET_IN_BACKUP), 'utf8');
    if (existsSync(config.secretFile) && (await readFile(config.secretFile, 'utf8')).trim() !== secret.trim()) {
      fail(
        `${config.secretFile} holds another secret than the backup's: every probe token and SFU node token would change. ` +
          `Move it away to take the backup's, or point NOC_SECRET_FILE elsewhere`,
      );
    }
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const written: string[] = [];

  // The samples first: if InfluxDB refuses, nothing of the server's state is in place yet.
  if (manifest.influxDatabase && !values['no-influx']) {
    const own = privateInfluxd();
    if (values['influx-rpc']) {
      await restoreInflux(values['influx-rpc'], manifest.influxDatabase, join(from, BACKUP_INFLUX));
    } else if (await privateInfluxdRunning(own.url)) {
      await restoreInflux(own.rpcAddress, manifest.influxDatabase, join(from, BACKUP_INFLUX));
    } else {
      const influxd = await startInfluxd({
        dir: own.dir,
        host: PRIVATE_INFLUXD_HOST,
        httpPort: own.httpPort,
        rpcPort: own.rpcPort,
        quiet: true,
      });
      try {
        await restoreInflux(own.rpcAddress, manifest.influxDatabase, join(from, BACKUP_INFLUX));
      } finally {
        await influxd.stop();
      }
      written.push(...(await treeOf(own.dir)));
    }
    console.log(`[restore] InfluxDB database "${manifest.influxDatabase}"`);
  }

  for (const file of manifest.files) {
    const target = join(dataDir, file);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    if (dirname(target) !== dataDir) written.push(dirname(target));
    await copyFile(join(from, BACKUP_DATA, file), target);
    await chmod(target, 0o600);
    written.push(target);
  }
  if (secret !== null && !existsSync(config.secretFile)) {
    await mkdir(dirname(config.secretFile), { recursive: true, mode: 0o700 });
    await copyFile(join(from, SECRET_IN_BACKUP), config.secretFile);
    await chmod(config.secretFile, 0o600);
    written.push(config.secretFile);
  }
  // A restore run as root for a service's user: what it wrote goes to the data folder's owner.
  if (process.getuid?.() === 0) {
    const { uid, gid } = await stat(dataDir);
    for (const path of written) await chown(path, uid, gid);
  }
  console.log(
    `[restore] ${manifest.files.join(', ')}${secret !== null ? ', the server secret' : ''} into ${dataDir} (backup of ${manifest.createdAt})`,
  );
} catch (err) {
  fail((err as Error).message);
}
