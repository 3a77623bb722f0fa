// noc-influxd.service's command (`deploy/bin/noc-service influxd`): the private influxd in
// `<NOC_DATA_DIR>/influxdb` on loopback, answering on INFLUX_PORT, its RPC service bound on
// 127.0.0.1:INFLUX_RPC_PORT; SIGTERM to the launcher alone (systemd's KillMode=mixed) stops
// influxd too and ends with 0; an INFLUX_URL naming another InfluxDB is refused with what to do.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@noc/shared/child-process';
import { waitFor } from '@noc/shared/wait';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const COMMAND = fileURLToPath(new URL('../../deploy/bin/noc-service', import.meta.url));
const dirs: { remove(): Promise<void> }[] = [];

after(async () => {
  for (const d of dirs) await d.remove();
});

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

test('the private influxd runs on loopback in the data folder and stops cleanly with its launcher', async () => {
  const data = await tempDir('influxd-service');
  dirs.push(data);
  const httpPort = await freePort();
  const rpcPort = await freePort();
  const service = ManagedProcess.start({
    name: 'noc-influxd',
    command: COMMAND,
    args: ['influxd'],
    env: {
      ...process.env,
      NOC_DATA_DIR: data.path,
      INFLUX_PORT: String(httpPort),
      INFLUX_RPC_PORT: String(rpcPort),
      INFLUX_URL: `http://127.0.0.1:${httpPort}`,
    },
    quiet: true,
  });
  try {
    await waitFor(
      'noc-influxd up',
      async () => {
        assert.ok(service.running, `the launcher exited:\n${service.tail}`);
        return (await fetch(`http://127.0.0.1:${httpPort}/ping`).catch(() => null))?.status === 204;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    assert.ok(await listening(rpcPort), 'the RPC service the backup uses answers on loopback');
    const config = await readFile(join(data.path, 'influxdb/influxdb.conf'), 'utf8');
    assert.match(config, new RegExp(`^bind-address = "127\\.0\\.0\\.1:${rpcPort}"$`, 'm'));
    assert.match(config, new RegExp(`bind-address = "127\\.0\\.0\\.1:${httpPort}"`));
    // influxd answers /ping a moment before its launcher, which waits for it, says so.
    await waitFor('the launcher to say influxd is up', () => /\[noc-influxd\] up: HTTP/.test(service.tail), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    assert.match(service.tail, /\[noc-influxd\] up: HTTP/);
  } finally {
    // Only the launcher gets SIGTERM, as with KillMode=mixed.
    service.child.kill('SIGTERM');
  }
  const { code } = await service.exited;
  assert.equal(code, 0, service.tail);
  assert.equal(await listening(httpPort), false, 'influxd stopped with its launcher');
  assert.equal(await listening(rpcPort), false);
});

test('an INFLUX_URL that names another InfluxDB is refused, saying what to do', async () => {
  const data = await tempDir('influxd-service');
  dirs.push(data);
  const service = ManagedProcess.start({
    name: 'noc-influxd',
    command: COMMAND,
    args: ['influxd'],
    env: { ...process.env, NOC_DATA_DIR: data.path, INFLUX_PORT: String(await freePort()), INFLUX_URL: 'http://influx.example:8086' },
    quiet: true,
  });
  const { code } = await service.exited;
  assert.equal(code, 1);
  assert.match(service.tail, /INFLUX_URL is http:\/\/influx\.example:8086, not this private influxd .*disable noc-influxd\.service/);
});
