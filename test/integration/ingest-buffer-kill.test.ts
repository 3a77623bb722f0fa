// The NOC server is killed (SIGKILL) while probes post during an InfluxDB
// outage: every batch it answered 202 for is in its buffer after the restart,
// none twice, and reaches InfluxDB once InfluxDB is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { startRestartableInfluxd } from '../fixtures/influxd-restartable.ts';
import { bufferedIn, startNocProcess, storeHealth, waitForBufferDelivered } from '../fixtures/noc-server-process.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const SITES = ['da-bac', 'kim-boi', 'lac-son'];

test(
  'a NOC server killed mid-write during an InfluxDB outage loses no acknowledged sample and stores none twice',
  { timeout: 120_000 },
  async (t) => {
    const influx = await startRestartableInfluxd();
    const data = await tempDir('noc-kill');
    const secret = randomBytes(32);
    const secretFile = join(data.path, 'secret.key');
    await writeFile(secretFile, secret.toString('hex'));
    const opts = { port: await freePort(), dataDir: join(data.path, 'noc'), secretFile, influxUrl: influx.url };
    await mkdir(opts.dataDir);
    let noc = await startNocProcess(opts);
    const t0 = Date.now() - 600_000;
    /** Per site: seqs answered 202, and seqs posted without an answer (the kill came first). */
    const acked = new Map(SITES.map((s) => [s, new Set<number>()]));
    const unanswered = new Map(SITES.map((s) => [s, new Set<number>()]));
    try {
      await influx.halt();
      let posting = true;
      const senders = SITES.map(async (site) => {
        const token = issueProbeToken(secret, site);
        for (let seq = 1; posting;) {
          const n = 1 + Math.floor(Math.random() * 20);
          const seqs = Array.from({ length: n }, (_, i) => seq + i);
          seq += n;
          try {
            const res = await fetch(`${noc.url}/api/ingest`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({ samples: seqs.map((s) => ({ measurement: 'probe', tags: {}, fields: { seq: s }, time: t0 + s })) }),
            });
            await res.text();
            assert.equal(res.status, 202, `the gateway buffers while InfluxDB is down (${site}, seqs ${seqs[0]}-${seqs.at(-1)})`);
            for (const s of seqs) acked.get(site)!.add(s);
          } catch (err) {
            if ((err as { code?: string }).code === 'ERR_ASSERTION') throw err;
            // No answer: the server was killed with this batch in flight; it may or may not be stored.
            for (const s of seqs) unanswered.get(site)!.add(s);
            return;
          }
        }
      });
      await sleep(1500 + Math.random() * 1500);
      await noc.kill();
      posting = false;
      await Promise.all(senders);
      const ackedTotal = SITES.reduce((n, s) => n + acked.get(s)!.size, 0);
      const inFlight = SITES.reduce((n, s) => n + unanswered.get(s)!.size, 0);
      assert.ok(ackedTotal > 100, `${ackedTotal} samples acknowledged before the kill`);
      t.diagnostic(`${ackedTotal} samples acknowledged, ${inFlight} in flight when the server was killed`);

      noc = await startNocProcess(opts);
      // Once reported: nothing acknowledged is missing from the buffer, nothing is in it twice.
      const waiting = await waitFor(
        'the restarted server reporting its buffer',
        async () => bufferedIn((await storeHealth(noc)).detail) ?? false,
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      assert.ok(
        waiting >= ackedTotal && waiting <= ackedTotal + inFlight,
        `${waiting} samples buffered for ${ackedTotal} acknowledged and ${inFlight} in flight`,
      );

      await influx.resume();
      await waitForBufferDelivered(noc);
      for (const site of SITES) {
        const rows = ((await influx.query(`SELECT "seq" FROM "probe" WHERE "site" = '${site}'`))[0]?.values ?? []) as [number, number][];
        const seqs = rows.map(([, seq]) => seq);
        assert.equal(new Set(seqs).size, seqs.length, `${site}: no sample twice`);
        for (const [time, seq] of rows) assert.equal(time, t0 + seq, `${site}: sample ${seq} at its own time`);
        const stored = new Set(seqs);
        const missing = [...acked.get(site)!].filter((s) => !stored.has(s));
        assert.deepEqual(missing, [], `${site}: every acknowledged sample is in InfluxDB`);
        const strangers = seqs.filter((s) => !acked.get(site)!.has(s) && !unanswered.get(site)!.has(s));
        assert.deepEqual(strangers, [], `${site}: nothing stored that was never posted`);
      }
    } finally {
      await noc.stop();
      await influx.stop();
      await data.remove();
    }
  },
);
