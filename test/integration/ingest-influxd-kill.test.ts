// influxd killed (SIGKILL) in the middle of the gateway's writes while a real
// probe agent sends ten times a second: first a write straight from an ingest
// post, then, after influxd came back on the same data folder, a write of the
// buffer being delivered. The gateway keeps answering 202 from its on-disk
// buffer (node:sqlite) and delivers it once influxd is back. What was answered
// is recorded by a tap between the agent and the gateway; a second tap
// between the gateway and influxd says when a write is on its way. Afterwards
// every sample answered 202 is in InfluxDB exactly once, none lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { startEchoResponder } from '../../probes/src/echo/echo-server.ts';
import { startHttpTap, type TapExchange } from '../fixtures/http-tap.ts';
import { assertStoredOnce, ledger, storedSamples } from '../fixtures/ingest-ledger.ts';
import { startRestartableInfluxd } from '../fixtures/influxd-restartable.ts';
import { bufferedIn, startNocProcess, storeHealth, waitForBufferDelivered } from '../fixtures/noc-server-process.ts';
import { freePort } from '../fixtures/ports.ts';
import { lastHeartbeatSeq, spooledSamples, startProbeAgent, tenHertzAgentConfig } from '../fixtures/probe-agent-process.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const SITE = 'da-bac';

const isWrite = (method: string, path: string) => method === 'POST' && (path.startsWith('/api/v2/write') || path.startsWith('/write'));

test(
  'influxd killed mid-write, twice: the gateway buffers, delivers after the restart, every sample answered 202 stored once',
  { timeout: 150_000 },
  async (t) => {
    const influx = await startRestartableInfluxd();
    const influxTap = await startHttpTap(influx.url);
    const data = await tempDir('influxd-kill');
    const secret = randomBytes(32);
    const secretFile = join(data.path, 'secret.key');
    await writeFile(secretFile, secret.toString('hex'));
    const dataDir = join(data.path, 'noc');
    await mkdir(dataDir);
    const noc = await startNocProcess({ port: await freePort(), dataDir, secretFile, influxUrl: influxTap.url });
    const probeTap = await startHttpTap(noc.url);
    const echo = await startEchoResponder({ host: '127.0.0.1', port: 0 });
    const spoolDir = join(data.path, 'spool');
    const agent = await startProbeAgent(
      data.path,
      SITE,
      tenHertzAgentConfig({ site: SITE, token: issueProbeToken(secret, SITE), nocUrl: probeTap.url, echoPort: echo.port, spoolDir }),
    );
    const accepted = () => ledger(probeTap.exchanges).accepted.length;
    /** Kills influxd once the next write to it is on its way; resolves with that write once it has ended. */
    const killAtNextWrite = async (): Promise<TapExchange> => {
      const write = await new Promise<TapExchange>((resolve) =>
        influxTap.onceForwarded(isWrite, (e) => {
          void influx.kill();
          resolve(e);
        }),
      );
      await waitFor('the write in flight at the kill to end', () => influxTap.exchanges.includes(write));
      return write;
    };
    try {
      await waitFor('20 samples answered 202', () => accepted() >= 20, { timeoutMs: 15_000 }).catch(async (err: Error) =>
        assert.fail(`${err.message}\n${await agent.log()}`),
      );
      const kills: TapExchange[] = [];

      // 1. A write straight from an ingest post.
      kills.push(await killAtNextWrite());
      const down = await waitFor(
        'the gateway buffering 20 samples with influxd dead',
        async () => {
          const store = await storeHealth(noc);
          return store.state === 'down' && (bufferedIn(store.detail) ?? 0) >= 20 && store;
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      t.diagnostic(`after the first kill: ${down.detail}`);
      assert.ok(noc.process.running, 'the NOC server keeps running');

      // 2. influxd back on what the kill left, and killed again while the buffer is delivered.
      const second = killAtNextWrite();
      await influx.resume();
      kills.push(await second);
      const lines = (k: TapExchange) => k.body.toString('utf8').split('\n').filter(Boolean).length;
      const cut = lines(kills[1]!);
      // What the cut delivery held is still buffered, and more comes in.
      const waiting = await waitFor(
        'the buffer growing again with influxd dead',
        async () => {
          const store = await storeHealth(noc);
          const n = bufferedIn(store.detail) ?? 0;
          return store.state === 'down' && n >= cut + 10 && n;
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      t.diagnostic(`after the kill during the delivery: ${waiting} samples buffered`);
      for (const [i, k] of kills.entries()) {
        t.diagnostic(
          `kill ${i + 1}: the write of ${lines(k)} points ${k.status === null ? `got no answer (${k.error})` : `was answered ${k.status} first`}`,
        );
      }
      assert.ok(cut >= 20, `the second kill fell on a delivery of the buffer (a write of ${cut} points)`);
      assert.ok(
        kills.some((k) => k.status === null),
        'at least one kill came before influxd answered the write it was handling',
      );

      await influx.resume();
      await waitForBufferDelivered(noc);
      const last = accepted();
      await waitFor('samples answered 202 after the recovery', () => accepted() >= last + 20, { timeoutMs: 15_000 });
      await agent.stop();
      assert.deepEqual(await agent.process.exited, { code: 0, signal: null }, `the agent ends by itself:\n${await agent.log()}`);
      assert.deepEqual(spooledSamples(spoolDir), [], 'nothing is left in the spool');

      const l = ledger(probeTap.exchanges);
      t.diagnostic(`ingest posts by answer: ${JSON.stringify(Object.fromEntries(l.statuses))}; ${l.accepted.length} samples answered 202`);
      assert.deepEqual([...l.statuses.keys()], ['202'], 'the gateway answered every post 202, from its buffer while influxd was dead');
      const stored = await storedSamples(influx.query, SITE);
      assertStoredOnce(l, stored, await lastHeartbeatSeq(spoolDir));
      t.diagnostic(`${stored.keys.length} points stored, ${stored.seqs.length} of them heartbeats`);
    } finally {
      await agent.stop();
      await probeTap.close();
      await echo.close();
      await noc.stop();
      await influxTap.close();
      await influx.stop();
      await data.remove();
    }
  },
);
