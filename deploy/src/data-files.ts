// What of the NOC server's data folder a backup keeps (root README, "Where data and logs go"),
// relative to NOC_DATA_DIR. The sqlite files are copied consistently while the server runs
// (sqlite-copy.ts); the samples in InfluxDB go through influxd's own portable backup.
// Not kept: the private influxd's files (its backup replaces them), the simulated sites'
// spools, the capacity tests' work folders, logs, and files the server makes again at start.

/** node:sqlite databases: the server's state, the embedded store, the gateway's outage buffer. */
export const SQLITE_FILES = ['noc.db', 'samples.sqlite', 'ingest-buffer/buffer.sqlite'] as const;

/** Plain files: the incident rules as an admin last saved them. */
export const PLAIN_FILES = ['incident-rules.json'] as const;

/** The server secret's name inside a backup (its place on the host is NOC_SECRET_FILE). */
export const SECRET_IN_BACKUP = 'secret.key';

/** A backup's folder is `<prefix><UTC time>` (`.partial` appended until it is complete). */
export const BACKUP_PREFIX = 'noc-backup-';

/** The folders inside a backup. */
export const BACKUP_DATA = 'data';
export const BACKUP_INFLUX = 'influxdb';
export const MANIFEST = 'manifest.json';

export interface BackupManifest {
  format: 1;
  createdAt: string;
  /** Files under `data/`, relative to the data folder they came from. */
  files: string[];
  /** The secret probe tokens and access tokens are signed with (NOC_SECRET_FILE). */
  secret: boolean;
  /** The InfluxDB database in `influxdb/` (a portable backup), or null when the samples were not in InfluxDB. */
  influxDatabase: string | null;
}
