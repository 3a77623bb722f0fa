// The disk under the gateway's outage buffer fills up while InfluxDB is down
// (a 1 MiB tmpfs mounted on the buffer's folder, then filled): the gateway
// answers 503 naming the disk, logs it, shows it in the store's health, and
// keeps running; the buffer holds exactly the samples answered 202, also
// after the server is killed (SIGKILL) and started again on the full disk.
// Once space returns it takes samples again, and when InfluxDB is back every
// sample answered 202 is stored once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { startRestartableInfluxd } from '../fixtures/influxd-restartable.ts';
import { bufferedIn, startNocProcess, storeHealth } from '../fixtures/noc-server-process.ts';
import { freePort } from '../fixtures/ports.ts';
import { mountSmallFs } from '../fixtures/small-fs.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const SITE = 'kim-boi';

test(
  'a full disk under the ingest buffer: 503 naming it, nothing half-written, the server keeps running and recovers',
  { timeout: 120_000 },
  async (t) => {
    const influx = await startRestartableInfluxd();
    const data = await tempDir('buffer-disk-full');
    const secret = randomBytes(32);
    const secretFile = join(data.path, 'secret.key');
    await writeFile(secretFile, secret.toString('hex'));
    const dataDir = join(data.path, 'noc');
    await mkdir(dataDir);
    const fs = await mountSmallFs(join(dataDir, 'ingest-buffer'), 1024 * 1024);
    const opts = { port: await freePort(), dataDir, secretFile, influxUrl: influx.url };
    let noc = await startNocProcess(opts);
    const log = () => readFile(join(dataDir, 'noc-process.log'), 'utf8');
    const token = issueProbeToken(secret, SITE);
    const t0 = Date.now() - 600_000;
    let seq = 0;
    let pending: number[] = [];
    const accepted = new Set<number>();
    /** Posts the next 20 heartbeats, or again those refused last, as a probe does. */
    const post = async (): Promise<{ status: number; error?: string }> => {
      if (pending.length === 0) pending = Array.from({ length: 20 }, () => ++seq);
      const res = await fetch(`${noc.url}/api/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ samples: pending.map((s) => ({ measurement: 'probe', tags: {}, fields: { seq: s }, time: t0 + s })) }),
      });
      const body = (await res.json()) as { error?: string };
      if (res.status === 202) {
        for (const s of pending) accepted.add(s);
        pending = [];
      }
      return { status: res.status, ...(body.error ? { error: body.error } : {}) };
    };
    try {
      await influx.halt();
      for (let i = 0; i < 5; i++) assert.equal((await post()).status, 202, 'the buffer takes samples while InfluxDB is down');

      await fs.fill();
      const refused = await waitFor(
        'a post refused for want of disk space',
        async () => {
          const answer = await post();
          return answer.status !== 202 && answer;
        },
        { timeoutMs: 20_000, intervalMs: 0 },
      );
      t.diagnostic(`refused after ${accepted.size} samples answered 202: ${refused.error}`);
      assert.equal(refused.status, 503);
      assert.match(
        refused.error ?? '',
        /ingest buffer cannot take more; keep the samples and retry \(no space left on the ingest buffer's disk\)/,
      );
      assert.equal((await post()).status, 503, 'refused again while the disk is full');
      assert.ok(noc.process.running, 'the NOC server keeps running');
      // The health report is made every few seconds.
      const store = await waitFor(
        'the refusal in the health report',
        async () => {
          const s = await storeHealth(noc);
          return /refuses/.test(s.detail) && s;
        },
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      assert.equal(store.state, 'down');
      assert.match(store.detail, /the ingest buffer refuses samples \(503\) since \S+: no space left on the buffer's disk/);
      assert.equal(bufferedIn(store.detail), accepted.size, `the buffer holds exactly the samples answered 202: ${store.detail}`);
      assert.match(
        await log(),
        /\[ingest-buffer\] the ingest buffer's disk is full: no space left on the disk of \S+buffer\.sqlite \(database or disk is full\): refusing samples \(503\)/,
      );

      // Killed and started again on the full disk: the same samples, none of a refused batch.
      await noc.kill();
      noc = await startNocProcess(opts);
      const waiting = await waitFor(
        'the restarted server reporting its buffer',
        async () => bufferedIn((await storeHealth(noc)).detail) ?? false,
        {
          timeoutMs: 20_000,
          intervalMs: 200,
        },
      );
      assert.equal(waiting, accepted.size, 'after SIGKILL on a full disk the buffer holds exactly the samples answered 202');
      assert.equal((await post()).status, 503, 'the restarted server refuses too while the disk is full');

      // Space returns: samples are taken again at once.
      await fs.release();
      assert.equal((await post()).status, 202, 'the refused batch is taken once there is space');
      for (let i = 0; i < 3; i++) assert.equal((await post()).status, 202);
      assert.match(
        await log(),
        /\[ingest-buffer\] samples are taken again after \d+ s of refusals for want of disk space under the ingest buffer/,
      );
      await waitFor('the health report without the refusal', async () => !/refuses/.test((await storeHealth(noc)).detail), {
        timeoutMs: 10_000,
        intervalMs: 200,
      });

      await influx.resume();
      await waitFor(
        'the buffer delivered to InfluxDB',
        async () => {
          const s = await storeHealth(noc);
          return s.state === 'up' && !/buffered/.test(s.detail);
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      const rows = ((await influx.query(`SELECT "seq" FROM "probe" WHERE "site" = '${SITE}'`))[0]?.values ?? []) as [number, number][];
      const seqs = rows.map(([, s]) => s);
      assert.equal(new Set(seqs).size, seqs.length, 'no sample stored twice');
      for (const [time, s] of rows) assert.equal(time, t0 + s, `sample ${s} at its own time`);
      assert.deepEqual(
        seqs.sort((a, b) => a - b),
        [...accepted].sort((a, b) => a - b),
        'InfluxDB holds exactly the samples answered 202',
      );
      assert.deepEqual(
        [...accepted].sort((a, b) => a - b),
        Array.from({ length: seq }, (_, i) => i + 1),
        'every batch refused was taken later',
      );
    } finally {
      await noc.stop();
      await fs.remove();
      await influx.stop();
      await data.remove();
    }
  },
);
