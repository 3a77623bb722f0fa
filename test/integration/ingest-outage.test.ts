// InfluxDB goes away for a minute while a site's probe keeps sending its
// heartbeat at 10 Hz, and the NOC server restarts in the middle of it: the
// gateway keeps answering 202 from its on-disk buffer, the health report says
// the store is down and how many samples wait, and once InfluxDB is back every
// heartbeat is there exactly once, at its own time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { IngestClient } from '@noc/shared/ingest-client';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { readServerConfig } from '../../dashboard/server/config.ts';
import { NocServer } from '../../dashboard/server/noc-server.ts';
import { startRestartableInfluxd } from '../fixtures/influxd-restartable.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const OUTAGE_MS = 60_000;
const TICK_MS = 100;

/** The depth the store's health detail reports, or null when it says nothing of the buffer. */
function bufferedIn(detail: string): number | null {
  const m = /(\d+) samples? kept in the ingest buffer/.exec(detail);
  return m ? Number(m[1]) : null;
}

test('a minute without InfluxDB and a NOC restart lose no heartbeat and duplicate none', { timeout: 150_000 }, async (t) => {
  const influx = await startRestartableInfluxd();
  const data = await tempDir('noc-outage');
  const config = readServerConfig({
    PORT: String(await freePort()),
    NOC_DATA_DIR: data.path,
    INFLUX_URL: influx.url,
    SFU_URL: 'http://127.0.0.1:9',
  });
  let server = await NocServer.create({ config, logger: false });
  const token = issueProbeToken(server.ctx.secret, 'da-bac');
  const ingestUrl = `${server.url}/api/ingest`;
  const probeErrors: string[] = [];
  // The probe's own client: it keeps what the gateway does not take (only while the NOC restarts here).
  const probe = new IngestClient({ url: ingestUrl, token, onError: (m) => probeErrors.push(m) });

  const t0 = Date.now();
  const sent = new Map<number, number>(); // seq → sample time
  let sending = true;
  const sender = (async () => {
    for (let seq = 1; sending; seq++) {
      const time = t0 + seq * TICK_MS;
      sent.set(seq, time);
      probe.send([{ measurement: 'probe', tags: {}, fields: { seq, uptime_s: seq / 10 }, time }]).catch((err: unknown) => {
        probeErrors.push(`refused: ${(err as Error).message}`);
      });
      // Pacing, not synchronisation: the next heartbeat is due at its own time.
      await sleep(Math.max(0, time + TICK_MS - Date.now()));
    }
  })();
  const stored = async () => (await influx.query(`SELECT "seq" FROM "probe" WHERE "site" = 'da-bac'`))[0]?.values ?? [];

  try {
    await waitFor('heartbeats stored while InfluxDB is up', async () => (await stored()).length >= 20, { timeoutMs: 10_000 });

    // InfluxDB goes away.
    await influx.halt();
    const outageEnds = Date.now() + OUTAGE_MS;
    const direct = await fetch(ingestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ samples: [{ measurement: 'link', tags: { target: 'sfu' }, fields: { rtt_ms: 12 } }] }),
    });
    assert.equal(direct.status, 202, 'the gateway keeps accepting while InfluxDB is down');
    const down = await waitFor(
      'the store reported down with samples in the buffer',
      async () => {
        const { store } = (await server.ctx.health.check()).components;
        return store.state === 'down' && (bufferedIn(store.detail) ?? 0) > 10 ? store.detail : false;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    assert.match(down, /InfluxDB at http:\/\/127\.0\.0\.1:\d+ is unreachable/);

    // Halfway through the outage the NOC server restarts on the same data folder.
    await sleep(Math.max(0, outageEnds - OUTAGE_MS / 2 - Date.now()));
    await server.close();
    server = await NocServer.create({ config, logger: false });
    const after = (await server.ctx.health.check()).components.store;
    assert.equal(after.state, 'down');
    assert.ok((bufferedIn(after.detail) ?? 0) > 100, `the buffer survived the restart: ${after.detail}`);

    // The rest of the minute, then InfluxDB returns on the same folder and ports.
    await sleep(Math.max(0, outageEnds - Date.now()));
    const waitingAtReturn = bufferedIn((await server.ctx.health.check()).components.store.detail) ?? 0;
    await influx.resume();
    await waitFor(
      'the buffer delivered to InfluxDB',
      async () => {
        const { store } = (await server.ctx.health.check()).components;
        return store.state === 'up' && !/buffered/.test(store.detail);
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    t.diagnostic(`${waitingAtReturn} samples waited in the buffer when InfluxDB returned; delivered in ${Date.now() - outageEnds} ms`);
    const lastBeforeStop = sent.size;
    await waitFor('heartbeats after the recovery', () => sent.size >= lastBeforeStop + 10, { timeoutMs: 5000 });
  } finally {
    sending = false;
    await sender;
  }

  try {
    await waitFor('the probe spool empty', async () => {
      await probe.flush();
      return probe.spoolDepth === 0;
    });
    const rows = await stored();
    t.diagnostic(`${sent.size} heartbeats sent at 10 Hz, ${rows.length} stored`);
    const seqs = rows.map((row) => row[1] as number);
    assert.equal(new Set(seqs).size, seqs.length, 'no heartbeat twice');
    assert.equal(rows.length, sent.size, `every heartbeat stored (${rows.length} of ${sent.size})`);
    for (const [time, seq] of rows as [number, number][]) assert.equal(time, sent.get(seq), `heartbeat ${seq} at its own time`);
    assert.equal(probe.dropped, 0);
    assert.ok(!probeErrors.some((e) => e.startsWith('refused')), probeErrors.join('\n'));
    const link = await influx.query(`SELECT "rtt_ms" FROM "link" WHERE "site" = 'da-bac'`);
    assert.equal(link[0]?.values.length, 1, 'the sample posted during the outage is stored');
  } finally {
    await server.close();
    await influx.stop();
    await data.remove();
  }
});
