// The probe agent's sources against the real things they measure: the link
// source against the echo responder on loopback, the power source against a
// real upsd serving a dummy-ups UPS, the env source against a file and a command.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { utimes, writeFile } from 'node:fs/promises';
import type { ProbeSample } from '@noc/shared/metrics';
import { issueProbeToken } from '@noc/shared/probe-token';
import { ProbeTokenCheck } from '@noc/shared/probe-token-check';
import { waitFor } from '@noc/shared/wait';
import { parseAgentConfig } from '../../probes/src/agent/config.ts';
import { createLogger } from '../../probes/src/agent/log.ts';
import { startEchoResponder, type EchoResponder } from '../../probes/src/echo/echo-server.ts';
import { EnvSource } from '../../probes/src/sources/env.ts';
import { LinkSource } from '../../probes/src/sources/link.ts';
import { PowerSource, UPSD_UNREACHABLE } from '../../probes/src/sources/power.ts';
import type { SourceContext } from '../../probes/src/sources/source.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';
import { startUpsd } from '../fixtures/upsd.ts';

const lines: string[] = [];
/** The NOC secret of these tests: the probe's token is issued from it, the responder checks it. */
const secret = randomBytes(32);
const log = createLogger('[site:da-bac]', { info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l) });

/** A fast link set-up: 20 datagrams a second, 1 s windows, replies later than 300 ms are lost. */
function linkContext(targets: Record<string, unknown>): SourceContext {
  const config = parseAgentConfig(
    {
      site: 'da-bac',
      token: issueProbeToken(secret, 'da-bac'),
      nocUrl: 'http://127.0.0.1:9',
      targets,
      spoolDir: '/nonexistent',
      link: { intervalMs: 200, packetsPerSecond: 20, windowMs: 1000, replyTimeoutMs: 300, httpTimeoutMs: 1000, bandwidthBytes: 2_000_000 },
    },
    'test.json',
  );
  return { config, log: log.child('link'), status: () => ({ spoolDepth: 0, dropped: 0 }), version: 'test', stateDir: '/nonexistent' };
}

type Fields<M extends ProbeSample['measurement']> = Extract<ProbeSample, { measurement: M }>['fields'];

async function linkFields(
  source: LinkSource,
  target: string,
  what: string,
  accept: (f: Fields<'link'>) => boolean,
  timeoutMs = 5000,
): Promise<Fields<'link'>> {
  return waitFor(
    what,
    async () => {
      const s = (await source.collect()).find((x) => x.measurement === 'link' && x.tags.target === target);
      return s && accept(s.fields as Fields<'link'>) ? (s.fields as Fields<'link'>) : undefined;
    },
    { timeoutMs, intervalMs: source.intervalMs },
  );
}

describe('link source and echo responder', () => {
  let responder: EchoResponder;
  let source: LinkSource;

  before(async () => {
    responder = await startEchoResponder({
      host: '127.0.0.1',
      port: 0,
      bandwidth: { tokens: new ProbeTokenCheck(secret, new Set(['da-bac'])) },
    });
    source = new LinkSource(linkContext({ sfu: `127.0.0.1:${responder.port}` }));
  });
  after(async () => {
    await source?.close();
    await responder?.close();
  });

  test('measures RTT, jitter and no loss against a responder that answers', async () => {
    const f = await linkFields(source, 'sfu', 'a full window of answered echoes', (f) => f.reachable === true && f.loss_pct === 0);
    assert.ok(typeof f.rtt_ms === 'number' && f.rtt_ms > 0 && f.rtt_ms < 300, `rtt ${f.rtt_ms}`);
    assert.ok(typeof f.jitter_ms === 'number' && f.jitter_ms >= 0, `jitter ${f.jitter_ms}`);
  });

  test('the responder answers only small datagrams', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const replies: number[] = [];
    socket.on('message', (msg) => replies.push(msg.length));
    socket.send(Buffer.alloc(300), responder.port, '127.0.0.1');
    socket.send(Buffer.alloc(256), responder.port, '127.0.0.1');
    socket.send(Buffer.alloc(24), responder.port, '127.0.0.1');
    await waitFor('the echo of the 24-byte datagram', () => replies.includes(24), { timeoutMs: 2000, intervalMs: 20 });
    socket.close();
    assert.deepEqual(replies, [256, 24], 'the 300-byte datagram is ignored');
  });

  test('measures bandwidth on demand with a short transfer each way', async () => {
    const samples = await source.measureOnDemand(new AbortController().signal);
    assert.equal(samples.length, 1, lines.slice(-5).join('\n'));
    const f = samples[0]!.fields as Fields<'link'>;
    assert.equal(samples[0]!.measurement, 'link');
    assert.ok(f.up_kbps! > 0 && f.down_kbps! > 0, JSON.stringify(f));
  });

  test('reports the target unreachable with 100% loss when the responder is gone', async () => {
    await responder.close();
    const f = await linkFields(source, 'sfu', 'a window with no echo', (f) => f.reachable === false);
    assert.deepEqual(f, { loss_pct: 100, reachable: false });
    await linkFields(source, 'sfu', 'the next window', (f) => f.reachable === false);
    const said = lines.filter((l) => /\[site:da-bac\] \[link\] sfu 127\.0\.0\.1:\d+: no echo reply for 1000 ms: unreachable/.test(l));
    assert.equal(said.length, 1, `said once, however long it lasts:\n${lines.join('\n')}`);
  });

  test('falls back to an HTTP round trip when UDP gets no answer', async () => {
    const http = createServer((_req, res) => res.end('ok'));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const silentPort = await freePort();
    const fallback = new LinkSource(
      linkContext({ sfu: { echo: `127.0.0.1:${silentPort}`, http: `http://127.0.0.1:${(http.address() as AddressInfo).port}/health` } }),
    );
    try {
      const f = await linkFields(fallback, 'sfu', 'a window answered only over HTTP', (f) => f.reachable === true);
      assert.equal(f.loss_pct, 100);
      assert.ok(f.rtt_ms! > 0, JSON.stringify(f));
      http.close();
      http.closeAllConnections();
      await linkFields(fallback, 'sfu', 'no answer at all', (f) => f.reachable === false);
    } finally {
      await fallback.close();
      http.close();
    }
  });
});

describe('power source and a real upsd', () => {
  const powerLog = log.child('power');

  test('reads the UPS, sees it go on battery, and reports a lost driver and upsd gone as states', async () => {
    const upsd = await startUpsd();
    const source = new PowerSource({ host: upsd.host, port: upsd.port, name: upsd.ups, intervalMs: 500, timeoutMs: 2000 }, powerLog);
    const wrongName = new PowerSource(
      { host: upsd.host, port: upsd.port, name: 'no-such-ups', intervalMs: 500, timeoutMs: 2000 },
      powerLog,
    );
    try {
      const first = await source.collect();
      assert.deepEqual(first, [
        {
          measurement: 'power',
          tags: {},
          fields: { status: 'OL', on_mains: true, battery_pct: 100, runtime_s: 1800, input_v: 228, load_pct: 35 },
        },
      ]);

      await upsd.setVars({ 'ups.status': 'OB LB', 'battery.charge': '20' });
      // From the moment upsd serves it, the next reads (every intervalMs) show it.
      const onBattery = await waitFor(
        'a power sample on battery',
        async () => {
          const [s] = await source.collect();
          const f = s?.fields as Fields<'power'> | undefined;
          return f?.on_mains === false ? f : undefined;
        },
        { timeoutMs: 2000, intervalMs: source.intervalMs },
      );
      assert.equal(onBattery.status, 'OB LB');
      assert.equal(onBattery.battery_pct, 20);

      assert.deepEqual(await wrongName.collect(), [{ measurement: 'power', tags: {}, fields: { status: 'UNKNOWN-UPS' } }]);

      // The driver goes away while upsd stays: the lost driver is itself the state reported.
      await upsd.stopDriver();
      assert.deepEqual(await source.collect(), [{ measurement: 'power', tags: {}, fields: { status: 'DRIVER-NOT-CONNECTED' } }]);

      await upsd.stop();
      assert.deepEqual(await source.collect(), [{ measurement: 'power', tags: {}, fields: { status: UPSD_UNREACHABLE } }]);
      assert.ok(
        lines.some((l) => l.includes(`[power] UPS ${upsd.ups}@${upsd.host}:${upsd.port}: ${UPSD_UNREACHABLE}`)),
        lines.join('\n'),
      );
    } finally {
      await source.close();
      await wrongName.close();
      await upsd.stop();
    }
  });
});

describe('env source', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    dir = await tempDir('probe-env');
  });
  after(() => dir?.remove());

  test('reads the sensor file, and skips a garbled or stale reading with a log line', async () => {
    const file = `${dir.path}/room.json`;
    const source = new EnvSource({ file, intervalMs: 1000, maxAgeS: 60, timeoutMs: 1000 }, log.child('env'));
    assert.deepEqual(await source.collect(), [], 'no file yet');
    assert.match(lines.at(-1)!, /\[env\] skipped the reading of .*room\.json: ENOENT/);

    await writeFile(file, '{"temp_c": 36.5, "humidity_pct": 82}');
    assert.deepEqual(await source.collect(), [{ measurement: 'env', tags: {}, fields: { temp_c: 36.5, humidity_pct: 82 } }]);

    await writeFile(file, '{"temp_c": 36.');
    assert.deepEqual(await source.collect(), []);
    assert.match(lines.at(-1)!, /skipped the reading of .*: invalid JSON/);

    await writeFile(file, 'temp_c=28\nhumidity_pct=60\n');
    const old = Date.now() / 1000 - 3600;
    await utimes(file, old, old);
    assert.deepEqual(await source.collect(), []);
    assert.match(lines.at(-1)!, /stale: the file has not been written for more than 60 s/);
  });

  test('reads a command that prints the reading', async () => {
    const command = [process.execPath, '-e', 'console.log("temp_c=30.5\\nhumidity_pct=71")'];
    const source = new EnvSource({ command, intervalMs: 1000, maxAgeS: 60, timeoutMs: 5000 }, log.child('env'));
    assert.deepEqual(await source.collect(), [{ measurement: 'env', tags: {}, fields: { temp_c: 30.5, humidity_pct: 71 } }]);
    const failing = new EnvSource(
      { command: [process.execPath, '-e', 'process.exit(3)'], intervalMs: 1000, maxAgeS: 60, timeoutMs: 5000 },
      log.child('env'),
    );
    assert.deepEqual(await failing.collect(), []);
    assert.match(lines.at(-1)!, /the command failed/);
  });
});
