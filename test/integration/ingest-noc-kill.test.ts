// The NOC server killed (SIGKILL) in the middle of ingest writes while a real
// probe agent sends ten times a second, three times over, each time started
// again on the same data folder. What the gateway answered is recorded on the
// probe's side, by a tap between the agent and the gateway, not taken from
// the server; a second tap, between the server and influxd, says when a write
// of the server's has reached influxd. Afterwards every sample answered 202 is in InfluxDB exactly
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
/**
 * Where each kill falls: `post`, as an ingest post has reached the server
 * whole (before it writes); `write`, as the server's write of a post has
 * reached influxd whole (influxd stores it, the post gets no answer: sent
 * again, it must land on the same points).
 */
const KILLS = ['post', 'write', 'write'] as const;

const isIngest = (method: string, path: string) => method === 'POST' && path === '/api/ingest';
const isWrite = (method: string, path: string) => method === 'POST' && path.startsWith('/api/v2/write');

test(
  'the NOC server killed mid-write while a probe agent sends at 10 Hz: every sample answered 202 stored once, none lost',
  { timeout: 150_000 },
  async (t) => {
    const influx = await startTestInfluxd();
    const influxTap = await startHttpTap(influx.url);
    const data = await tempDir('noc-kill-probe');
    const secret = randomBytes(32);
    const secretFile = join(data.path, 'secret.key');
    await writeFile(secretFile, secret.toString('hex'));
    const opts = { port: await freePort(), dataDir: join(data.path, 'noc'), secretFile, influxUrl: influxTap.url };
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
      /** Per kill: the ingest posts under way at it, and (for `write`) the write influxd had whole. */
      const cut: { where: (typeof KILLS)[number]; posts: TapExchange[]; write: TapExchange | null }[] = [];
      for (const where of KILLS) {
        const before = accepted();
        await waitFor('20 more samples answered 202', () => accepted() >= before + 20, { timeoutMs: 15_000 }).catch(async (err: Error) =>
          assert.fail(`${err.message}\n${await agent.log()}`),
        );
        const kill = await new Promise<{ posts: TapExchange[]; write: TapExchange | null }>((resolve) =>
          (where === 'post' ? tap : influxTap).onceForwarded(where === 'post' ? isIngest : isWrite, (e) => {
            noc.process.child.kill('SIGKILL');
            resolve({ posts: tap.open().filter((p) => isIngest(p.method, p.path)), write: where === 'write' ? e : null });
          }),
        );
        await noc.process.exited;
        const ended = [...kill.posts, ...(kill.write ? [kill.write] : [])];
        await waitFor('the exchanges under way at the kill to end', () =>
          ended.every((e) => tap.exchanges.includes(e) || influxTap.exchanges.includes(e)),
        );
        cut.push({ where, ...kill });
        const answers = kill.posts.map((p) => (p.status === null ? 'no answer' : String(p.status))).join(', ');
        const samples = ledger(kill.posts.map((p) => ({ ...p, status: 202 }))).accepted.length;
        t.diagnostic(
          `kill at a ${where}: ${kill.posts.length} ingest posts of ${samples} samples under way (${answers})${kill.write ? `; influxd answered the cut write ${kill.write.status ?? `nothing (${kill.write.error})`}` : ''}`,
        );
        noc = await startNocProcess(opts);
      }
      const unanswered = cut.flatMap((c) => c.posts).filter((p) => p.status === null);
      assert.ok(unanswered.length > 0, 'the kills cut ingest posts before their answer');
      assert.ok(
        cut.some((c) => c.write?.status === 204 && c.posts.length > 0 && c.posts.every((p) => p.status === null)),
        'a kill came after influxd stored a write and before the server answered its post: those samples are sent again',
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
      await influxTap.close();
      await influx.stop();
      await data.remove();
    }
  },
);
