// The probe agent as a site runs it (its own process, started from a config
// file) against a real NOC server writing to a real InfluxDB: its samples
// arrive, and neither an outage of the NOC nor a restart of the agent during
// the outage loses a heartbeat.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@noc/shared/child-process';
import { ProbeTokenCheck } from '@noc/shared/probe-token-check';
import { waitFor } from '@noc/shared/wait';
import { startEchoResponder, type EchoResponder } from '../../probes/src/echo/echo-server.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SITE = 'da-bac';
const OUTAGE_MS = 60_000;

describe('probe agent with a real NOC server and InfluxDB', () => {
  let influx: InfluxdFixture;
  let noc: NocFixture | null = null;
  let echo: EchoResponder;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nocPort: number;
  let secretFile: string;
  let configFile: string;
  let spoolDir: string;
  let agent: ManagedProcess | null = null;
  let runs = 0;

  const startNoc = () => startTestNocServer({ influxUrl: influx.url, port: nocPort, secretFile });
  const startAgent = () => {
    const logFile = join(dir.path, `agent-${++runs}.log`);
    const proc = ManagedProcess.start({
      name: `agent-${runs}`,
      command: process.execPath,
      args: ['probes/src/agent/index.ts', '--config', configFile],
      cwd: root,
      logFile,
      quiet: true,
    });
    return Object.assign(proc, { log: () => readFile(logFile, 'utf8').catch(() => '') });
  };
  type Agent = ReturnType<typeof startAgent>;

  /** Heartbeat seqs in the store, one entry per stored point. */
  const storedSeqs = async (): Promise<number[]> => {
    const series = await influx.query(`SELECT "seq" FROM "probe" WHERE "site" = '${SITE}'`);
    return (series[0]?.values ?? []).map((row) => row[1] as number);
  };
  /** Heartbeat seqs waiting in the agent's spool folder. */
  const spooledSeqs = async (): Promise<number[]> => {
    const seqs: number[] = [];
    const file = join(spoolDir, 'spool.sqlite');
    if (!existsSync(file)) return seqs;
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      for (const { text } of db.prepare('SELECT text FROM entries ORDER BY id').all() as { text: string }[]) {
        const sample = JSON.parse(text) as { measurement: string; fields: { seq?: number } };
        if (sample.measurement === 'probe' && sample.fields.seq !== undefined) seqs.push(sample.fields.seq);
      }
    } finally {
      db.close();
    }
    return seqs;
  };
  const stopAgent = async (a: Agent): Promise<void> => {
    await a.stop();
    const exit = await a.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, `the agent ends by itself on SIGTERM:\n${await a.log()}`);
  };

  before(async () => {
    dir = await tempDir('probe-agent');
    secretFile = join(dir.path, 'secret.key');
    spoolDir = join(dir.path, 'spool');
    influx = await startTestInfluxd();
    nocPort = await freePort();
    noc = await startNoc();
    // The bandwidth test takes the sites' probe tokens, checked with the NOC's secret as the SFU node checks them.
    echo = await startEchoResponder({
      host: '127.0.0.1',
      port: 0,
      bandwidth: { tokens: new ProbeTokenCheck(noc.server.ctx.secret, noc.server.ctx.sites) },
    });
    await writeFile(join(dir.path, 'room.txt'), 'temp_c=29.5\nhumidity_pct=66\n');
    configFile = join(dir.path, 'agent.json');
    const config = {
      site: SITE,
      token: noc.tokenFor(SITE),
      nocUrl: noc.url,
      targets: { sfu: `127.0.0.1:${echo.port}` },
      link: { packetsPerSecond: 10, windowMs: 2000, replyTimeoutMs: 300, bandwidthBytes: 500_000 },
      sensor: { file: 'room.txt', intervalMs: 1000 },
      spoolDir: 'spool',
      // Small batches, so the backlog of the outage is replayed in several.
      send: { intervalMs: 500, batchMax: 10, replayBatchesPerSecond: 5, retryMaxMs: 1000, flushOnStopMs: 2000 },
    };
    await writeFile(configFile, JSON.stringify(config, null, 2));
  });

  after(async () => {
    await agent?.stop();
    await noc?.stop();
    await echo?.close();
    await influx?.stop();
    await dir?.remove();
  });

  test('link, env and heartbeat samples arrive in the store, and bandwidth on SIGUSR2', async () => {
    const a = (agent = startAgent());
    const link = await waitFor(
      'a link sample from the agent',
      async () =>
        (
          await influx.query(
            `SELECT "rtt_ms", "loss_pct", "reachable" FROM "link" WHERE "site" = '${SITE}' AND "target" = 'sfu' AND "reachable" = true`,
          )
        )[0]?.values.at(-1),
      { timeoutMs: 10_000, intervalMs: 250 },
    ).catch(async (err: Error) => assert.fail(`${err.message}\n${await a.log()}`));
    assert.ok((link[1] as number) > 0, `rtt ${link[1]}`);
    assert.equal(link[2], 0);

    const env = await waitFor(
      'an env sample',
      async () => (await influx.query(`SELECT "temp_c", "humidity_pct" FROM "env" WHERE "site" = '${SITE}'`))[0]?.values[0],
    );
    assert.deepEqual(env.slice(1), [29.5, 66]);
    const beat = await waitFor(
      'a heartbeat',
      async () => (await influx.query(`SELECT "seq", "version", "dropped" FROM "probe" WHERE "site" = '${SITE}'`))[0]?.values[0],
    );
    assert.deepEqual(beat.slice(1), [1, '0.1.0', 0]);

    a.child.kill('SIGUSR2');
    const bw = await waitFor(
      'a bandwidth sample',
      async () =>
        (await influx.query(`SELECT "up_kbps", "down_kbps" FROM "link" WHERE "site" = '${SITE}' AND "up_kbps" > 0`))[0]?.values[0],
    );
    assert.ok((bw[2] as number) > 0);
    assert.match(await a.log(), /\[site:da-bac\] \[link\] sfu 127\.0\.0\.1:\d+: bandwidth up [\d.]+ kbps, down [\d.]+ kbps/);
  });

  test('a 60 s outage of the NOC with an agent restart in the middle loses no heartbeat', async () => {
    const first = agent as Agent;
    const seenBefore = Math.max(...(await storedSeqs()));

    await noc!.stop();
    noc = null;
    const stoppedAt = Date.now();
    await waitFor('the first agent to spool 5 heartbeats', async () => (await spooledSeqs()).filter((s) => s > seenBefore).length >= 5, {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    await stopAgent(first);
    const firstLog = await first.log();
    assert.match(
      firstLog,
      /\[site:da-bac\] \[send\] gateway http:\/\/127\.0\.0\.1:\d+\/api\/ingest unreachable: .*keeping samples in the spool/,
    );
    assert.match(firstLog, /\d+ samples stay in the spool for the next start/);
    const lastOfFirst = Math.max(...(await spooledSeqs()));

    const second = (agent = startAgent());
    await waitFor('the second agent to spool 3 more heartbeats', async () => Math.max(...(await spooledSeqs())) >= lastOfFirst + 3, {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    assert.match(await second.log(), new RegExp(`heartbeats go on from seq ${lastOfFirst + 1}`));

    // The outage itself lasts a minute, as a rural link's often does.
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    noc = await startNoc();
    const target = Math.max(...(await spooledSeqs())) + 2;
    const stored = await waitFor(
      `heartbeats 1-${target} in the store`,
      async () => {
        const seqs = await storedSeqs();
        return seqs.length > 0 && Math.max(...seqs) >= target && seqs;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    ).catch(async (err: Error) => assert.fail(`${err.message}\n${await second.log()}`));
    // Live heartbeats go first; let the replay of the minute's backlog finish too.
    await waitFor('the backlog to be replayed', async () => /backlog replayed; sending live/.test(await second.log()), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    await stopAgent(second);

    // Every heartbeat from 1 on, each once (a replayed duplicate lands on the same timestamp).
    const seqs = await storedSeqs();
    const max = Math.max(...seqs);
    assert.ok(max >= stored.length);
    assert.deepEqual(
      [...seqs].sort((x, y) => x - y),
      Array.from({ length: max }, (_, i) => i + 1),
      'heartbeat seqs in the store are 1..N with no gap and no repeat',
    );
    const secondLog = await second.log();
    assert.match(secondLog, /\[spool\] \d+ samples left from an earlier run/);
    assert.match(
      secondLog,
      /gateway answers again after \d+ s; replaying the \d+ samples still spooled, oldest first, at most 5 batches of 10 a second, live samples sent first/,
    );
    assert.match(secondLog, /backlog replayed; sending live/);
    assert.equal((await spooledSeqs()).length, 0, 'the spool is empty once everything is stored');
  });
});
