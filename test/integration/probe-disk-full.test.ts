// The disk under a probe agent's spool fills up (a 1 MiB tmpfs mounted on the
// spool folder, then filled) while the NOC is away, so the spool has to grow:
// the agent reports the refusal, keeps running and keeps what it had spooled,
// which is delivered when the NOC returns although the disk is still full;
// the samples made meanwhile wait in memory and are spooled once space
// returns. In the end every heartbeat the agent made is in InfluxDB once, and
// none was dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { startEchoResponder } from '../../probes/src/echo/echo-server.ts';
import { startTestInfluxd } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { lastHeartbeatSeq, spooledSamples, startProbeAgent, tenHertzAgentConfig } from '../fixtures/probe-agent-process.ts';
import { mountSmallFs } from '../fixtures/small-fs.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const SITE = 'lac-son';

test(
  'a full disk under the probe spool: refused and reported, nothing spooled lost, recovered when space returns',
  { timeout: 120_000 },
  async (t) => {
    const influx = await startTestInfluxd();
    const dir = await tempDir('spool-disk-full');
    const secret = randomBytes(32);
    const secretFile = join(dir.path, 'secret.key');
    await writeFile(secretFile, secret.toString('hex'));
    const nocData = join(dir.path, 'noc');
    await mkdir(nocData);
    const port = await freePort();
    const startNoc = () => startTestNocServer({ influxUrl: influx.url, port, secretFile, dataDir: nocData });
    let noc: NocFixture | null = await startNoc();
    const echo = await startEchoResponder({ host: '127.0.0.1', port: 0 });
    const spoolDir = join(dir.path, 'spool');
    const fs = await mountSmallFs(spoolDir, 1024 * 1024);
    const agent = await startProbeAgent(
      dir.path,
      SITE,
      tenHertzAgentConfig({
        site: SITE,
        token: issueProbeToken(secret, SITE),
        nocUrl: `http://127.0.0.1:${port}`,
        echoPort: echo.port,
        spoolDir,
      }),
    );
    const storedSeqs = async () =>
      (((await influx.query(`SELECT "seq" FROM "probe" WHERE "site" = '${SITE}'`))[0]?.values ?? []) as [number, number][]).map(
        ([, s]) => s,
      );
    const spooledSeqs = () => spooledSamples(spoolDir).flatMap((s) => (s.measurement === 'probe' ? [s.fields.seq as number] : []));
    try {
      await waitFor('heartbeats in the store', async () => (await storedSeqs()).length >= 5, { timeoutMs: 15_000 }).catch(
        async (err: Error) => assert.fail(`${err.message}\n${await agent.log()}`),
      );
      await noc.stop();
      noc = null;
      await waitFor('heartbeats spooled while the NOC is away', () => spooledSeqs().length >= 10, { timeoutMs: 10_000 });

      await fs.fill();
      await waitFor(
        'the agent reporting the refusal',
        async () => /the spool refuses samples \(its disk is full\)/.test(await agent.log()),
        {
          timeoutMs: 30_000,
          intervalMs: 200,
        },
      ).catch(async (err: Error) => assert.fail(`${err.message}\n${await agent.log()}`));
      const kept = spooledSeqs();
      assert.ok(agent.process.running, 'the agent keeps running');
      assert.match(
        await agent.log(),
        /\[site:lac-son\] the spool refuses samples \(its disk is full\): holding them in memory, at most 20000, until it takes writes again; what is spooled already stays and is sent/,
      );

      // The NOC returns while the disk is still full: what was spooled goes out.
      noc = await startNoc();
      await waitFor(
        `the ${kept.length} heartbeats spooled before the refusal in the store`,
        async () => {
          const stored = new Set(await storedSeqs());
          return kept.every((s) => stored.has(s));
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      assert.ok(agent.process.running, 'the agent keeps running');

      // Space returns: the samples held in memory are spooled and sent.
      await fs.release();
      const held = await waitFor(
        'the agent writing what it held',
        async () =>
          /the spool takes samples again after \d+ s; wrote the (\d+) samples held in memory meanwhile/.exec(await agent.log())?.[1],
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      t.diagnostic(`${kept.length} heartbeats were spooled at the refusal; ${held} samples were held in memory`);
      assert.ok(Number(held) > 0, 'samples were held in memory while the disk was full');
      const target = (await lastHeartbeatSeq(spoolDir)) + 5;
      await waitFor(`heartbeat ${target} in the store`, async () => Math.max(...(await storedSeqs())) >= target, { timeoutMs: 15_000 });
      await agent.stop();
      assert.deepEqual(await agent.process.exited, { code: 0, signal: null }, `the agent ends by itself:\n${await agent.log()}`);
      assert.deepEqual(spooledSamples(spoolDir), [], 'nothing is left in the spool');

      const seqs = await storedSeqs();
      const last = await lastHeartbeatSeq(spoolDir);
      assert.equal(new Set(seqs).size, seqs.length, 'no heartbeat stored twice');
      assert.deepEqual(
        seqs.sort((a, b) => a - b),
        Array.from({ length: last }, (_, i) => i + 1),
        `the heartbeats stored are 1..${last}, the last the agent made`,
      );
      const dropped = await influx.query(`SELECT max("dropped") FROM "probe" WHERE "site" = '${SITE}'`);
      assert.equal(dropped[0]?.values[0]?.[1], 0, 'no heartbeat reports a dropped sample');
    } finally {
      await agent.stop();
      await noc?.stop();
      await echo.close();
      await fs.remove();
      await influx.stop();
      await dir.remove();
    }
  },
);
