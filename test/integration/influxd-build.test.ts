// The InfluxDB servers the setup builds (influxdb/build.sh): the cached
// binaries are the pinned versions, the private one starts with Flux on, and a
// build on a machine without one of its tools stops at once, naming the tool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { InfluxDB as InfluxV2 } from '@influxdata/influxdb-client';
import { InfluxDB as InfluxV1 } from 'influx';
import { startInfluxd } from '../../dashboard/server/store/influxd-process.ts';
import { freePort } from '@noc/shared/free-port';

const run = promisify(execFile);
const BUILD = fileURLToPath(new URL('../../influxdb/build.sh', import.meta.url));

/** The path of a program on this machine's PATH, or fails the test. */
async function which(name: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', `command -v ${name}`]);
  return stdout.trim();
}

for (const [name, env, version] of [
  ['1.x', 'NOC_INFLUXD_BIN', process.env.NOC_INFLUXD_VERSION],
  ['2.x', 'NOC_INFLUXD2_BIN', process.env.NOC_INFLUXD2_VERSION],
] as const) {
  test(`the setup's influxd ${name} is the pinned version`, async () => {
    const bin = process.env[env];
    assert.ok(bin && version, `${env} and its version come from scripts/env.sh`);
    const { stdout } = await run(bin, ['version']);
    assert.match(stdout, new RegExp(`InfluxDB v?${version!.replaceAll('.', '\\.')}\\b`));
  });
}

test('the private influxd answers InfluxQL and Flux, and reports its version', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'noc-influxd-'));
  const influxd = await startInfluxd({ dir, httpPort: await freePort(), rpcPort: await freePort(), quiet: true });
  t.after(async () => {
    await influxd.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const { port } = new URL(influxd.url);
  const v1 = new InfluxV1({ host: '127.0.0.1', port: Number(port) });
  const [ping] = await v1.ping(2000);
  assert.equal(ping?.version, process.env.NOC_INFLUXD_VERSION);
  // InfluxQL over /query.
  await v1.createDatabase('probe');
  assert.ok((await v1.getDatabaseNames()).includes('probe'));
  const client = new InfluxV2({ url: influxd.url, token: '' });
  // Flux over /api/v2/query: a table made in the query itself, so no database is needed.
  const rows = await client
    .getQueryApi('')
    .collectRows<{ _value: number }>('import "array"\narray.from(rows: [{_value: 41}, {_value: 1}]) |> sum()');
  assert.deepEqual(
    rows.map((r) => r._value),
    [42],
  );
});

test('a build without cargo stops at once and names it', async (t) => {
  // A PATH with every tool the build's first checks use, but no Rust.
  const bin = await mkdtemp(join(tmpdir(), 'noc-nocargo-'));
  const cache = await mkdtemp(join(tmpdir(), 'noc-cache-'));
  t.after(async () => {
    await rm(bin, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });
  for (const tool of ['bash', 'dirname', 'go', 'cc', 'pkg-config', 'flock', 'sed', 'sort', 'head']) {
    await symlink(await which(tool), join(bin, tool));
  }
  const failed = await run('bash', [BUILD, '1'], { env: { PATH: bin, HOME: cache, NOC_CACHE: cache } }).then(
    () => null,
    (err: { code: number; stderr: string }) => err,
  );
  assert.ok(failed, 'the build must fail without cargo');
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /missing build tools: cargo \(Rust/);
});
