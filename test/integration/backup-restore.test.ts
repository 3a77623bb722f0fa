// `npm run backup` and `npm run restore` (deploy/src/backup.ts, restore.ts) on a real NOC server
// process with a real private influxd laid out as the service lays it out
// (`<data>/influxdb`, RPC on loopback): users, an acknowledged incident and samples made through
// the API; a backup taken while the server runs and probes keep posting; restored into a fresh
// data folder (influxd's portable restore into an influxd the restore starts there); a new
// influxd and NOC server on that folder find the users (their passwords and sessions), the
// incident and every sample, and take the old probe tokens. A restore into a folder that
// already holds a server's state is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident, IncidentDetail } from '@noc/shared/incidents';
import type { UserRecord } from '@noc/shared/auth';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { startInfluxd, type RunningInfluxd } from '../../dashboard/server/store/influxd-process.ts';
import { BACKUP_PREFIX, MANIFEST } from '../../deploy/src/data-files.ts';
import { TEST_PASSWORD, createUser, fetchAs, signIn } from '../fixtures/auth.ts';
import { influxQLReader } from '../fixtures/influxql-reader.ts';
import { NOC_ADMIN_PASSWORD } from '../fixtures/noc-server.ts';
import { startNocProcess, type NocProcess } from '../fixtures/noc-server-process.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLES = 40;

interface Host {
  dataDir: string;
  httpPort: number;
  rpcPort: number;
  influxd: RunningInfluxd | null;
  noc: NocProcess | null;
}

const dirs: { path: string; remove(): Promise<void> }[] = [];
const hosts: Host[] = [];

async function host(): Promise<Host> {
  const dir = await tempDir('restore-host');
  dirs.push(dir);
  const h: Host = { dataDir: dir.path, httpPort: await freePort(), rpcPort: await freePort(), influxd: null, noc: null };
  hosts.push(h);
  return h;
}

async function startHost(h: Host): Promise<void> {
  h.influxd = await startInfluxd({ dir: join(h.dataDir, 'influxdb'), httpPort: h.httpPort, rpcPort: h.rpcPort, quiet: true });
  h.noc = await startNocProcess({
    port: await freePort(),
    dataDir: h.dataDir,
    secretFile: join(h.dataDir, 'secret.key'),
    influxUrl: h.influxd.url,
  });
}

async function stopHost(h: Host): Promise<void> {
  await h.noc?.stop();
  h.noc = null;
  await h.influxd?.stop();
  h.influxd = null;
}

/** The environment the backup and restore read, as the NOC server's environment file gives it. */
const envOf = (h: Host): NodeJS.ProcessEnv => ({
  ...process.env,
  NOC_DATA_DIR: h.dataDir,
  INFLUX_URL: `http://127.0.0.1:${h.httpPort}`,
  INFLUX_PORT: String(h.httpPort),
  INFLUX_RPC_PORT: String(h.rpcPort),
});

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'deploy/src', script), ...args], { env, timeout: 180_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ingest(url: string, token: string, samples: unknown[]): Promise<Response> {
  return fetch(`${url}/api/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ samples }),
  });
}

let first: Host;
let second: Host;
let secret: Buffer;
let adminCookie: string;
let incidentId: number;
const base = Date.now() - 5 * 60_000;

before(async () => {
  first = await host();
  second = await host();
  await startHost(first);
  secret = Buffer.from((await readFile(join(first.dataDir, 'secret.key'), 'utf8')).trim(), 'hex');
});

after(async () => {
  for (const h of hosts) await stopHost(h);
  for (const d of dirs) await d.remove();
});

test('the state made on the running server: users, an acknowledged incident, samples', async () => {
  const url = first.noc!.url;
  adminCookie = await signIn(url, 'admin', NOC_ADMIN_PASSWORD);
  await createUser(url, adminCookie, { username: 'kt-da-bac-sl', role: 'technician', site: 'da-bac', displayName: 'Bùi Văn Sao Lưu' });
  await createUser(url, adminCookie, { username: 'dieuhanh-sl', role: 'operator' });

  // Samples with known times and values, into InfluxDB through the gateway.
  const link = Array.from({ length: SAMPLES }, (_, i) => ({
    measurement: 'link',
    tags: { target: 'sfu' },
    fields: { rtt_ms: 10 + i, jitter_ms: 1, loss_pct: 0, reachable: true },
    time: base + i * 1000,
  }));
  assert.equal((await ingest(url, issueProbeToken(secret, 'da-bac'), link)).status, 202);

  // A UPS on battery at Mai Châu: an incident at once, acknowledged with a comment.
  assert.equal(
    (
      await ingest(url, issueProbeToken(secret, 'mai-chau'), [
        { measurement: 'power', tags: {}, fields: { on_mains: false, battery_pct: 70 } },
      ])
    ).status,
    202,
  );
  await waitFor(
    'the on-battery incident',
    async () => {
      const res = await fetchAs(adminCookie, `${url}/api/incidents?site=mai-chau&state=active`);
      const found = ((await res.json()) as { incidents: Incident[] }).incidents.find((i) => i.rule === 'onBattery');
      if (found) incidentId = found.id;
      return found !== undefined;
    },
    { timeoutMs: 15_000, intervalMs: 100 },
  );
  const ack = await fetchAs(adminCookie, `${url}/api/incidents/${incidentId}/ack`, {
    method: 'POST',
    json: { comment: 'Đã gọi TTGDTX Mai Châu' },
  });
  assert.equal(ack.status, 200, await ack.clone().text());

  const rows = await influxQLReader(first.influxd!.url)(`SELECT count("rtt_ms") FROM "link" WHERE "site" = 'da-bac'`);
  assert.equal(rows[0]?.values[0]?.[1], SAMPLES);
});

let backupDir: string;
let backupsRoot: string;

test('a backup taken while the server runs and a probe keeps posting', async () => {
  const url = first.noc!.url;
  const to = await tempDir('backups');
  dirs.push(to);
  backupsRoot = to.path;
  // Lạc Sơn posts all the while: the copy is taken under writes.
  let posting = true;
  let posted = 0;
  const poster = (async () => {
    while (posting) {
      const res = await ingest(url, issueProbeToken(secret, 'lac-son'), [
        { measurement: 'env', tags: {}, fields: { temp_c: 27, humidity_pct: 60 } },
      ]);
      assert.equal(res.status, 202);
      posted++;
    }
  })();
  const r = await run('backup.ts', ['--to', to.path], envOf(first));
  posting = false;
  await poster;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(posted > 0, 'samples were posted during the backup');
  backupDir = r.stdout.trim().split('\n').at(-1)!;
  assert.ok(backupDir.startsWith(join(to.path, BACKUP_PREFIX)), r.stdout);
  assert.deepEqual(
    (await readdir(to.path)).filter((n) => n.endsWith('.partial')),
    [],
  );

  const manifest = JSON.parse(await readFile(join(backupDir, MANIFEST), 'utf8')) as {
    files: string[];
    secret: boolean;
    influxDatabase: string;
  };
  assert.ok(manifest.files.includes('noc.db'));
  assert.ok(manifest.files.includes('ingest-buffer/buffer.sqlite'));
  assert.equal(manifest.secret, true);
  assert.equal(manifest.influxDatabase, 'noc');
  assert.equal((await stat(join(backupDir, 'data/noc.db'))).mode & 0o777, 0o600);
  assert.ok(
    (await readdir(join(backupDir, 'influxdb'))).some((n) => n.endsWith('.manifest')),
    'influxd wrote a portable backup',
  );
});

test('restored into a fresh data folder, a new server finds the users, the incident and the samples', async () => {
  const r = await run('restore.ts', ['--from', backupDir], envOf(second));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /InfluxDB database "noc"/);
  // The restore's own influxd is stopped again: the ports are free for the service's.
  await stopHost(first);
  await startHost(second);
  const url = second.noc!.url;

  // The users, their passwords, and the sessions they had.
  const users = ((await (await fetchAs(adminCookie, `${url}/api/admin/users`)).json()) as { users: UserRecord[] }).users;
  const tech = users.find((u) => u.username === 'kt-da-bac-sl');
  assert.equal(tech?.displayName, 'Bùi Văn Sao Lưu');
  assert.equal(tech?.site, 'da-bac');
  assert.ok(users.some((u) => u.username === 'dieuhanh-sl' && u.role === 'operator'));
  await signIn(url, 'dieuhanh-sl', TEST_PASSWORD);
  await signIn(url, 'admin', NOC_ADMIN_PASSWORD);

  // The incident, with its acknowledgement.
  const res = await fetchAs(adminCookie, `${url}/api/incidents/${incidentId}`);
  assert.equal(res.status, 200, await res.clone().text());
  const { incident, timeline } = (await res.json()) as IncidentDetail;
  assert.ok(timeline.length >= 2, 'opened and acknowledged on its timeline');
  assert.equal(incident.site, 'mai-chau');
  assert.equal(incident.rule, 'onBattery');
  assert.equal(incident.state, 'acknowledged');
  assert.equal(incident.acknowledgedBy, 'admin');

  // Every sample, with its values.
  const rows = await influxQLReader(second.influxd!.url)(`SELECT count("rtt_ms"), sum("rtt_ms") FROM "link" WHERE "site" = 'da-bac'`);
  assert.equal(rows[0]?.values[0]?.[1], SAMPLES);
  assert.equal(
    rows[0]?.values[0]?.[2],
    Array.from({ length: SAMPLES }, (_, i) => 10 + i).reduce((a, b) => a + b, 0),
  );

  // The secret came back: the sites' probe tokens still count.
  assert.equal(
    (await ingest(url, issueProbeToken(secret, 'da-bac'), [{ measurement: 'env', tags: {}, fields: { temp_c: 26 } }])).status,
    202,
  );
});

test('a restore into a data folder that holds a server state, or from a folder that is no backup, is refused', async () => {
  const r = await run('restore.ts', ['--from', backupDir], envOf(second));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already holds noc\.db: restore into a fresh data folder/);
  const notBackup = await run('restore.ts', ['--from', second.dataDir], {
    ...envOf(second),
    NOC_DATA_DIR: join(second.dataDir, 'elsewhere'),
  });
  assert.equal(notBackup.code, 1);
  assert.match(notBackup.stderr, /is not a complete backup \(manifest\.json/);
  assert.ok(!existsSync(join(second.dataDir, 'elsewhere')));
});

test('--keep N leaves the newest N backups', async () => {
  const r = await run('backup.ts', ['--to', backupsRoot, '--keep', '1'], envOf(second));
  assert.equal(r.code, 0, r.stderr);
  const newest = r.stdout.trim().split('\n').at(-1)!;
  assert.notEqual(newest, backupDir);
  assert.match(r.stdout, new RegExp(`removed the older ${backupDir.split('/').at(-1)}`));
  assert.deepEqual(await readdir(backupsRoot), [newest.split('/').at(-1)]);
  const bad = await run('backup.ts', ['--to', backupsRoot, '--keep', '0'], envOf(second));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--keep must be a whole number from 1, got "0"/);
});
