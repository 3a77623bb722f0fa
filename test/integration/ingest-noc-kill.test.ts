// The NOC server killed (SIGKILL) in the middle of ingest writes while a real
// probe agent sends ten times a second, three times over, each time started
// again on the same data folder. What the gateway answered is recorded on the
// probe's side, by a tap between the agent and the gateway, not taken from
// the server. Afterwards every sample answered 202 is in InfluxDB exactly
// once, and none the probe made is lost: what got no answer stayed in the
// agent's spool and was sent again; a batch written before the kill and sent
// again lands on its own points (same series, same time).
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
import { startTestInfluxd } from '../fixtures/influxd.ts';
import { startNocProcess } from '../fixtures/noc-server-process.ts';
import { freePort } from '../fixtures/ports.ts';
import { lastHeartbeatSeq, spooledSamples, startProbeAgent, tenHertzAgentConfig } from '../fixtures/probe-agent-process.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const SITE = 'da-bac';
/** When each kill comes after an ingest post has reached the server whole: at once, then a little later (into its InfluxDB write). */
const KILL_DELAYS_MS = [0, 3, 10];

const isIngest = (method: string, path: string) => method === 'POST' && path === '/api/ingest';

test(
  'the NOC server killed mid-write while a probe agent sends at 10 Hz: every sample answered 202 stored once, none lost',
  { timeout: 150_000 },
  async (t) => {
    const influx = await startTestInfluxd();
    const data = await tempDir('noc-kill-probe');
    const secret = randomBytes(32);
    const secretFile = join(data.path, 'secret.key');
    await writeFile(secretFile, secret.toString('hex'));
    const opts = { port: await freePort(), dataDir: join(data.path, 'noc'), secretFile, influxUrl: influx.url };
    await mkdir(opts.dataDir);
    let noc = await startNocProcess(opts);
    const tap = await startHttpTap(noc.url);
    const echo = await startEchoResponder({ host: '127.0.0.1', port: 0 });
    const spoolDir = join(data.path, 'spool');
    const agent = await startProbeAgent(
      data.path,
      SITE,
      tenHertzAgentConfig({ site: SITE, token: issueProbeToken(secret, SITE), nocUrl: tap.url, echoPort: echo.port, spoolDir }),
    );
    const accepted = () => ledger(tap.exchanges).accepted.length;
    try {
      const hooked: TapExchange[] = [];
      for (const delay of KILL_DELAYS_MS) {
        const before = accepted();
        await waitFor('20 more samples answered 202', () => accepted() >= before + 20, { timeoutMs: 15_000 }).catch(async (err: Error) =>
          assert.fail(`${err.message}\n${await agent.log()}`),
        );
        const exchange = await new Promise<TapExchange>((resolve) =>
          tap.onceForwarded(isIngest, (e) => {
            const kill = () => {
              noc.process.child.kill('SIGKILL');
              resolve(e);
            };
            if (delay === 0) kill();
            else setTimeout(kill, delay);
          }),
        );
        await noc.process.exited;
        await waitFor('the post in flight at the kill to end', () => tap.exchanges.includes(exchange));
        hooked.push(exchange);
        // Which of its samples were already in InfluxDB: those are written twice once it is sent again.
        const early = exchange.status === null ? await storedSamples(influx.query, SITE) : null;
        const { accepted: inIt } = ledger([{ ...exchange, status: 202 }]);
        const already = early ? inIt.filter((k) => early.keys.includes(k)).length : 0;
        t.diagnostic(
          `kill ${delay} ms after a post of ${inIt.length} samples reached the server: ${exchange.status === null ? `no answer (${exchange.error}), ${already} of them already in InfluxDB` : `answered ${exchange.status} first`}`,
        );
        noc = await startNocProcess(opts);
      }
      assert.ok(
        hooked.some((e) => e.status === null),
        'at least one kill came before the server answered the post it was handling',
      );

      // Samples made after the last restart arrive too; then the agent stops, sending what it still has.
      const last = accepted();
      await waitFor('samples answered 202 after the last restart', () => accepted() >= last + 20, { timeoutMs: 15_000 });
      await agent.stop();
      assert.deepEqual(await agent.process.exited, { code: 0, signal: null }, `the agent ends by itself:\n${await agent.log()}`);
      assert.deepEqual(spooledSamples(spoolDir), [], 'nothing is left in the spool');

      const l = ledger(tap.exchanges);
      t.diagnostic(`ingest posts by answer: ${JSON.stringify(Object.fromEntries(l.statuses))}; ${l.accepted.length} samples answered 202`);
      assert.deepEqual(
        [...l.statuses.keys()].filter((s) => s !== '202' && s !== 'no answer'),
        [],
        'the gateway answered nothing but 202 (the posts without an answer are those the kills cut, or sent while the server was down)',
      );
      const stored = await storedSamples(influx.query, SITE);
      assertStoredOnce(l, stored, await lastHeartbeatSeq(spoolDir));
      t.diagnostic(`${stored.keys.length} points stored, ${stored.seqs.length} of them heartbeats`);
    } finally {
      await agent.stop();
      await tap.close();
      await echo.close();
      await noc.stop();
      await influx.stop();
      await data.remove();
    }
  },
);
