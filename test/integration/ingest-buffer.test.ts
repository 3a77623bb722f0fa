// The gateway's on-disk buffer: bounded, in order, survives a restart, and never
// blocked by a batch the store refuses for good.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { InfluxDB } from '@influxdata/influxdb-client';
import type { Point } from '@noc/shared/metrics';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { readServerConfig } from '../../dashboard/server/config.ts';
import { BufferedStore } from '../../dashboard/server/ingest/buffered-store.ts';
import { SampleSpool } from '../../dashboard/server/ingest/spool.ts';
import { NocServer } from '../../dashboard/server/noc-server.ts';
import { InfluxStore } from '../../dashboard/server/store/influx-store.ts';
import { startRestartableInfluxd } from '../fixtures/influxd-restartable.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const heartbeat = (seq: number, time: number): Point => ({ measurement: 'probe', tags: { site: 'da-bac' }, fields: { seq }, time });
const seqsOf = (points: Point[]) => points.map((p) => p.fields.seq);

test('the spool gives batches back in arrival order, across a restart, and removes what was delivered', async () => {
  const dir = await tempDir('spool');
  const t0 = Date.now() - 60_000;
  try {
    let spool = await SampleSpool.open({ dir: dir.path });
    // Appends that arrive together are stored in the order they came.
    await Promise.all(Array.from({ length: 30 }, (_, i) => spool.append([heartbeat(i + 1, t0 + i)])));
    assert.equal(spool.depth, 30);
    const first = await spool.read(10);
    assert.deepEqual(seqsOf(first!.points), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(first!.lines, 10);
    // Nothing moves until the batch is acknowledged.
    assert.deepEqual(seqsOf((await spool.read(10))!.points), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await spool.ack(first!);
    assert.equal(spool.depth, 20);
    for (let i = 31; i <= 40; i++) await spool.append([heartbeat(i, t0 + i)]);
    // A batch larger than the read comes alone, whole.
    await spool.append([heartbeat(41, t0 + 41), heartbeat(42, t0 + 42), heartbeat(43, t0 + 43)]);
    await spool.close();

    spool = await SampleSpool.open({ dir: dir.path });
    assert.equal(spool.depth, 33);
    await spool.append([heartbeat(44, t0 + 44)]);
    const rest: Point[] = [];
    const sizes: number[] = [];
    for (let batch = await spool.read(2); batch; batch = await spool.read(2)) {
      rest.push(...batch.points);
      sizes.push(batch.points.length);
      await spool.ack(batch);
    }
    assert.deepEqual(
      seqsOf(rest),
      Array.from({ length: 34 }, (_, i) => i + 11),
    );
    assert.ok(sizes.includes(3), `the batch of three came whole: ${sizes.join(' ')}`);
    assert.equal(spool.depth, 0);
    await spool.close();
    // Delivered batches are removed from the disk.
    const db = new DatabaseSync(join(dir.path, 'buffer.sqlite'), { readOnly: true });
    assert.equal((db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n, 0);
    db.close();
  } finally {
    await dir.remove();
  }
});

test('a buffer of the earlier JSONL format is taken up from its cursor on open, and its files removed', async () => {
  const dir = await tempDir('spool-jsonl');
  const t0 = Date.now() - 60_000;
  try {
    const first = JSON.stringify([heartbeat(1, t0 + 1)]) + '\n';
    await writeFile(join(dir.path, '000000000000.jsonl'), first + JSON.stringify([heartbeat(2, t0 + 2)]) + '\n');
    // The newest segment ends in a line a crash cut short: never acknowledged.
    await writeFile(
      join(dir.path, '000000000001.jsonl'),
      JSON.stringify([heartbeat(3, t0 + 3), heartbeat(4, t0 + 4)]) + '\n[{"measurement":"probe","tags":{"site":"da-b',
    );
    await writeFile(join(dir.path, 'cursor.json'), JSON.stringify({ segment: 0, offset: Buffer.byteLength(first) }));
    const logged: string[] = [];
    const spool = await SampleSpool.open({ dir: dir.path, log: (m) => logged.push(m) });
    assert.equal(spool.depth, 3);
    assert.match(logged.join('\n'), /took up 3 samples in 2 batches from the buffer's earlier format .*; skipped 1 unreadable lines/);
    const batch = await spool.read(100);
    assert.deepEqual(seqsOf(batch!.points), [2, 3, 4]);
    await spool.ack(batch!);
    await spool.close();
    assert.deepEqual(
      (await readdir(dir.path)).filter((f) => f.endsWith('.jsonl') || f === 'cursor.json'),
      [],
    );
  } finally {
    await dir.remove();
  }
});

test('a full buffer answers 503, and every sample it accepted reaches InfluxDB when it returns', async () => {
  const influx = await startRestartableInfluxd();
  const data = await tempDir('noc-buffer');
  const config = readServerConfig({
    PORT: '0',
    NOC_DATA_DIR: data.path,
    INFLUX_URL: influx.url,
    SFU_URL: 'http://127.0.0.1:9',
    NOC_INGEST_BUFFER_MB: '0.05',
  });
  const server = await NocServer.create({ config, logger: false });
  const post = (samples: unknown[]) =>
    fetch(`${server.url}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${issueProbeToken(server.ctx.secret, 'kim-boi')}` },
      body: JSON.stringify({ samples }),
    });
  const t0 = Date.now() - 60_000;
  const batch = (n: number) =>
    Array.from({ length: 50 }, (_, i) => ({
      measurement: 'link',
      tags: { target: 'isp' },
      fields: { rtt_ms: n * 50 + i },
      time: t0 + n * 50 + i,
    }));
  try {
    await influx.halt();
    let accepted = 0;
    let refused: Response | null = null;
    for (let n = 0; n < 100 && !refused; n++) {
      const res = await post(batch(n));
      if (res.status === 202) accepted += 50;
      else refused = res;
    }
    assert.ok(accepted >= 100, `the buffer took ${accepted} samples`);
    assert.equal(refused?.status, 503);
    assert.match(((await refused.json()) as { error: string }).error, /ingest buffer cannot take more; keep the samples and retry/);
    const down = (await server.ctx.health.check()).components.store;
    assert.match(down.detail, new RegExp(`; ${accepted} samples kept in the ingest buffer`));

    await influx.resume();
    await waitFor(
      'the buffer delivered',
      async () => (await server.ctx.health.check()).components.store.state === 'up' && !/buffered/.test(server.ctx.store.location),
      {
        timeoutMs: 20_000,
        intervalMs: 200,
      },
    );
    const count = await influx.query(`SELECT count("rtt_ms") FROM "link" WHERE "site" = 'kim-boi'`);
    assert.equal(count[0]?.values[0]?.[1], accepted);
    assert.equal((await post(batch(1000))).status, 202, 'accepting again');
  } finally {
    await server.close();
    await influx.stop();
    await data.remove();
  }
});

test('a buffered batch InfluxDB refuses for good is set aside, and the batches around it are delivered', async () => {
  const influx = await startRestartableInfluxd();
  const dir = await tempDir('buffer-refused');
  const t = Date.now() - 60_000;
  // Someone else wrote rtt_ms as text into this shard: InfluxDB will refuse our numbers for it.
  await InfluxStore.open({ url: influx.url, database: 'noc' });
  const writer = new InfluxDB({ url: influx.url }).getWriteApi('', 'noc/raw', 'ms', { maxRetries: 0 });
  writer.writeRecord(`link,site=tan-lac,target=sfu rtt_ms="text" ${t}`);
  await writer.close();
  const store = await BufferedStore.open(InfluxStore.create({ url: influx.url, database: 'noc' }), { dir: dir.path, log: () => {} });
  try {
    await influx.halt();
    const env = (temp_c: number, time: number): Point => ({ measurement: 'env', tags: { site: 'tan-lac' }, fields: { temp_c }, time });
    await store.write([env(20, t + 1)]);
    await store.write([{ measurement: 'link', tags: { site: 'tan-lac', target: 'sfu' }, fields: { rtt_ms: 5 }, time: t + 2 }]);
    await store.write([env(22, t + 3)]);
    assert.equal(store.depth, 3);
    await influx.resume();
    // A successful ping is what the health monitor does every few seconds; it wakes the drainer.
    await waitFor(
      'the buffer delivered',
      async () => {
        await store.ping();
        return store.depth === 0;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    assert.equal(store.setAside, 1);
    const rejected = (await readFile(join(dir.path, 'rejected.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error: string; points: Point[] });
    assert.equal(rejected.length, 1);
    assert.match(rejected[0]!.error, /field type conflict/);
    assert.deepEqual(rejected[0]!.points[0]?.fields, { rtt_ms: 5 });
    const temps = await influx.query(`SELECT "temp_c" FROM "env" WHERE "site" = 'tan-lac'`);
    assert.deepEqual(temps[0]?.values, [
      [t + 1, 20],
      [t + 3, 22],
    ]);
  } finally {
    await store.close();
    await influx.stop();
    await dir.remove();
  }
});
