// How the probe's sender replays a backlog through the real ingest gateway,
// seen on the NOC's live feed (one event per accepted batch, in order): oldest
// first, no faster than the set rate, with live samples going out meanwhile;
// and a change of the mains goes out at once, not at the next send; a refused
// token keeps the samples.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { LiveEvent } from '@noc/shared/live';
import type { ProbeSample } from '@noc/shared/metrics';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { Agent } from '../../probes/src/agent/agent.ts';
import { parseAgentConfig } from '../../probes/src/agent/config.ts';
import { createLogger } from '../../probes/src/agent/log.ts';
import type { Source } from '../../probes/src/sources/source.ts';
import { SpoolSender } from '../../probes/src/spool/sender.ts';
import { Spool } from '../../probes/src/spool/spool.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let noc: NocFixture;
let dir: Awaited<ReturnType<typeof tempDir>>;

before(async () => {
  noc = await startTestNocServer();
  dir = await tempDir('probe-sender');
});
after(async () => {
  await noc?.stop();
  await dir?.remove();
});

test('a backlog goes out oldest first at the replay rate, with live samples sent first', async (t) => {
  const BACKLOG = 60;
  const BATCH = 10;
  const RATE = 4;
  const spool = Spool.open({ dir: `${dir.path}/spool` });
  const start = Date.now() - 120_000;
  spool.append(
    Array.from({ length: BACKLOG }, (_, i): ProbeSample => ({
      measurement: 'probe',
      tags: {},
      fields: { seq: i + 1 },
      time: start + i * 1000,
    })),
  );

  const events: { at: number; samples: { measurement: string; fields: Record<string, unknown> }[] }[] = [];
  const socket = new WebSocket(`${noc.url.replace('http', 'ws')}/api/live`, { headers: { cookie: await noc.adminCookie() } });
  t.after(() => socket.close());
  socket.on('message', (data) => {
    const event = JSON.parse(String(data)) as LiveEvent;
    if (event.type === 'samples') events.push({ at: Date.now(), samples: event.samples });
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });

  const lines: string[] = [];
  const log = createLogger('[site:da-bac]', { info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l) });
  const sender = new SpoolSender({
    spool,
    nocUrl: noc.url,
    token: noc.tokenFor('da-bac'),
    log: log.child('send'),
    intervalMs: 200,
    batchMax: BATCH,
    replayBatchesPerSecond: RATE,
    timeoutMs: 2000,
    retryMaxMs: 500,
  });
  // Live samples keep coming while the backlog is replayed.
  let temp = 20;
  const live = setInterval(() => spool.append([{ measurement: 'env', tags: {}, fields: { temp_c: ++temp } }]), 100);
  sender.start();
  try {
    await waitFor(
      'the whole backlog on the live feed',
      () => events.flatMap((e) => e.samples).filter((s) => s.measurement === 'probe').length >= BACKLOG,
      {
        timeoutMs: 10_000,
      },
    );
  } finally {
    clearInterval(live);
    await sender.stop(2000);
    spool.close();
  }

  assert.match(
    lines.join('\n'),
    new RegExp(
      `60 samples are left from an earlier run; replaying the 60 samples still spooled, oldest first, at most ${RATE} batches of ${BATCH} a second`,
    ),
  );
  assert.ok(
    events.every((e) => e.samples.length <= BATCH),
    'no batch is larger than batchMax',
  );
  const backlog = events.filter((e) => e.samples.some((s) => s.measurement === 'probe'));
  assert.deepEqual(
    backlog.flatMap((e) => e.samples.map((s) => s.fields.seq)),
    Array.from({ length: BACKLOG }, (_, i) => i + 1),
    'the backlog arrives once, oldest first',
  );
  const took = backlog.at(-1)!.at - backlog[0]!.at;
  const least = ((BACKLOG / BATCH - 1) / RATE) * 1000;
  assert.ok(took >= least * 0.9, `${BACKLOG / BATCH} batches at ${RATE}/s took ${took} ms, at least ${least} ms expected`);
  const liveDuringReplay = events.filter((e) => e.at < backlog.at(-1)!.at && e.samples.some((s) => s.measurement === 'env'));
  assert.ok(liveDuringReplay.length >= 2, `live samples went out during the replay (${liveDuringReplay.length} batches)`);
  const temps = events.flatMap((e) => e.samples.filter((s) => s.measurement === 'env').map((s) => s.fields.temp_c as number));
  assert.deepEqual(
    temps,
    [...temps].sort((a, b) => a - b),
    'live samples keep their order',
  );
  assert.equal(temps.length, temp - 20, 'every live sample went out (the sender flushed on stop)');
  assert.equal(sender.rejected, 0);
});

test('the mains going off (and back) is sent at once, not at the next send 10 s later', async (t) => {
  const arrivals: { at: number; onMains: unknown }[] = [];
  const socket = new WebSocket(`${noc.url.replace('http', 'ws')}/api/live`, { headers: { cookie: await noc.adminCookie() } });
  t.after(() => socket.close());
  socket.on('message', (data) => {
    const event = JSON.parse(String(data)) as LiveEvent;
    if (event.type !== 'samples') return;
    for (const s of event.samples)
      if (s.site === 'tan-lac' && s.measurement === 'power') arrivals.push({ at: Date.now(), onMains: s.fields.on_mains });
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let onMains = true;
  const ups: Source = {
    name: 'power',
    intervalMs: 200,
    collect: async () => [
      {
        measurement: 'power',
        tags: {},
        fields: { on_mains: onMains, status: onMains ? 'OL' : 'OB DISCHRG', battery_pct: 100 },
        time: Date.now(),
      },
    ],
    close: async () => {},
  };
  const config = parseAgentConfig(
    {
      site: 'tan-lac',
      token: noc.tokenFor('tan-lac'),
      nocUrl: noc.url,
      targets: { sfu: 'unused:1' },
      spoolDir: `${dir.path}/mains-spool`,
      send: { intervalMs: 10_000 },
    },
    'mains-test.json',
  );
  const agent = await Agent.create(config, { sources: async () => [ups], sink: { info: () => {}, warn: () => {}, error: () => {} } });
  t.after(() => agent.close());
  // The UPS read on mains a few times; the next send is 10 s away.
  await new Promise((r) => setTimeout(r, 600));
  for (const next of [false, true]) {
    onMains = next;
    const flippedAt = Date.now();
    const seen = await waitFor(`on_mains ${next} on the feed`, () => arrivals.find((a) => a.onMains === next && a.at >= flippedAt), {
      timeoutMs: 9000,
      intervalMs: 20,
    });
    console.log(`on_mains ${next}: on the feed ${seen.at - flippedAt} ms after the UPS said so (send interval 10 s)`);
    assert.ok(seen.at - flippedAt < 5000, 'not held for the next send');
  }
});

test('a refused token keeps the samples spooled and says so; they are not counted as refused', async () => {
  const spool = Spool.open({ dir: `${dir.path}/refused-spool` });
  spool.append([{ measurement: 'env', tags: {}, fields: { temp_c: 25 }, time: Date.now() - 1000 }]);
  const lines: string[] = [];
  const log = createLogger('[site:da-bac]', { info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l) });
  const sender = new SpoolSender({
    spool,
    nocUrl: noc.url,
    token: issueProbeToken(randomBytes(32), 'da-bac'),
    log: log.child('send'),
    intervalMs: 100,
    batchMax: 10,
    replayBatchesPerSecond: 4,
    timeoutMs: 2000,
    retryMaxMs: 200,
  });
  sender.start();
  try {
    await waitFor('the refusal logged', () => lines.some((l) => /gateway refused the probe token \(401\)/.test(l)));
    spool.append([{ measurement: 'env', tags: {}, fields: { temp_c: 26 }, time: Date.now() }]);
    await new Promise((r) => setTimeout(r, 600));
  } finally {
    await sender.stop(500);
  }
  assert.equal(spool.depth, 2, 'both samples stay spooled for when the token is fixed');
  assert.equal(sender.rejected, 0);
  assert.match(lines.join('\n'), /check "token" in the config; keeping samples in the spool \(1 waiting\) and retrying/);
  spool.close();
});
