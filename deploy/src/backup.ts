// `npm run backup -- --to <folder>`: a backup of the NOC server's state, taken while it runs:
// the node:sqlite files of its data folder as consistent copies (sqlite-copy.ts), the incident
// rules an admin saved, the server secret, and the samples in the private InfluxDB as influxd's
// portable backup. Written into `<folder>/noc-backup-<UTC time>/` (under a `.partial` name until
// complete); prints that folder. Options:
//   --env-file FILE       read the settings from the NOC server's environment file first
//   --influx-rpc H:P      the RPC service of the InfluxDB to back up (default 127.0.0.1:INFLUX_RPC_PORT)
//   --no-influx           leave the samples out (an InfluxDB of its own, backed up by its own means)
//   --keep N              afterwards keep only the newest N backups in <folder>
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readServerConfig } from '../../dashboard/server/config.ts';
import {
  BACKUP_DATA,
  BACKUP_PREFIX,
  BACKUP_INFLUX,
  MANIFEST,
  PLAIN_FILES,
  SECRET_IN_BACKUP,
  SQLITE_FILES,
  type BackupManifest,
} from './data-files.ts';
import { backupInflux } from './influx-portable.ts';
import { privateInfluxd } from './private-influxd.ts';
import { copySqlite } from './sqlite-copy.ts';
import { commandLine } from './command-line.ts';

const USAGE = 'usage: npm run backup -- --to <folder> [--env-file FILE] [--influx-rpc HOST:PORT | --no-influx] [--keep N]';

const OPTIONS = {
  to: { type: 'string' },
  'env-file': { type: 'string' },
  'influx-rpc': { type: 'string' },
  'no-influx': { type: 'boolean', default: false },
  keep: { type: 'string' },
} as const;

const cli = commandLine('backup', USAGE, OPTIONS);
const values = cli.values;
// Declared with its type, so TypeScript knows a call to it does not return.
const fail: (message: string) => never = cli.fail;
const { loadEnvFile } = cli;
if (!values.to) fail(USAGE);
const keep = values.keep === undefined ? null : Number(values.keep);
if (keep !== null && !(Number.isInteger(keep) && keep >= 1)) fail(`--keep must be a whole number from 1, got "${values.keep}"`);
loadEnvFile(values['env-file']);

/** Where the samples are backed up from, or null when they are not in an InfluxDB this backup covers. */
function influxSource(): string | null {
  if (values['no-influx']) return null;
  if (values['influx-rpc']) return values['influx-rpc'];
  const server = readServerConfig();
  const own = privateInfluxd();
  if (server.influxUrl !== null && server.influxUrl !== own.url) {
    fail(
      `INFLUX_URL (${server.influxUrl}) is not the private influxd (${own.url}): give its RPC service with ` +
        `--influx-rpc HOST:PORT, or back it up by its own means and pass --no-influx`,
    );
  }
  // No INFLUX_URL and no private influxd's folder: the samples are in the embedded store (a sqlite file).
  if (server.influxUrl === null && !existsSync(own.dir)) return null;
  return own.rpcAddress;
}

const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const root = resolve(values.to);
const final = join(root, `${BACKUP_PREFIX}${stamp}`);
const partial = `${final}.partial`;
try {
  const config = readServerConfig();
  const rpc = influxSource();
  if (existsSync(final)) fail(`${final} already exists`);
  await mkdir(partial, { recursive: true, mode: 0o700 });

  const files: string[] = [];
  for (const name of SQLITE_FILES) {
    const source = join(config.dataDir, name);
    if (!existsSync(source)) continue;
    await copySqlite(source, join(partial, BACKUP_DATA, name));
    files.push(name);
  }
  if (!files.includes('noc.db')) throw new Error(`no noc.db in ${config.dataDir}: is NOC_DATA_DIR the NOC server's data folder?`);
  for (const name of PLAIN_FILES) {
    const source = join(config.dataDir, name);
    if (!existsSync(source)) continue;
    await copyFile(source, join(partial, BACKUP_DATA, name));
    files.push(name);
  }
  const secret = existsSync(config.secretFile);
  if (secret) await copyFile(config.secretFile, join(partial, SECRET_IN_BACKUP));
  if (rpc) await backupInflux(rpc, config.influxDb, join(partial, BACKUP_INFLUX));

  const manifest: BackupManifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    files,
    secret,
    influxDatabase: rpc ? config.influxDb : null,
  };
  await writeFile(join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  for (const name of [...files.map((f) => join(BACKUP_DATA, f)), ...(secret ? [SECRET_IN_BACKUP] : [])])
    await chmod(join(partial, name), 0o600);
  await rename(partial, final);
  console.log(
    `[backup] ${files.join(', ')}${secret ? ', the server secret' : ''}` +
      `${rpc ? `, InfluxDB database "${config.influxDb}" (from ${rpc})` : ''}`,
  );

  if (keep !== null) {
    const older = (await readdir(root)).filter((n) => n.startsWith(BACKUP_PREFIX) && !n.endsWith('.partial')).sort();
    for (const name of older.slice(0, Math.max(0, older.length - keep))) {
      await rm(join(root, name), { recursive: true, force: true });
      console.log(`[backup] removed the older ${name}`);
    }
  }
  console.log(final);
} catch (err) {
  await rm(partial, { recursive: true, force: true });
  fail((err as Error).message);
}
