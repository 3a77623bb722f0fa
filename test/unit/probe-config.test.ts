// The probe agent's pure parts: its config file (a bad one names the field),
// the room sensor's reading, and the arithmetic of a link window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseAgentConfig } from '../../probes/src/agent/config.ts';
import { parseEnvReading } from '../../probes/src/sources/env.ts';
import { windowStats } from '../../probes/src/sources/link-stats.ts';

const minimal = {
  site: 'da-bac',
  token: 'da-bac.abcdef',
  nocUrl: 'http://127.0.0.1:8080/',
  targets: { sfu: '127.0.0.1:4460' },
  spoolDir: 'spool',
};

test('a minimal config gets the documented defaults, and relative paths are taken from its folder', () => {
  const c = parseAgentConfig(minimal, '/etc/noc-probe/da-bac.json');
  assert.equal(c.nocUrl, 'http://127.0.0.1:8080');
  assert.deepEqual(c.targets.sfu, { echo: { host: '127.0.0.1', port: 4460 }, http: null });
  assert.equal(c.spoolDir, '/etc/noc-probe/spool');
  assert.equal(c.link.windowMs, 5000);
  assert.equal(c.send.batchMax, 500);
  assert.equal(c.heartbeat.intervalMs, 1000);
  assert.equal(c.ups, undefined);
  const v6 = parseAgentConfig({ ...minimal, targets: { sfu: { echo: '[::1]:4460', http: 'http://[::1]:4450/health' } } }, 'x.json');
  assert.deepEqual(v6.targets.sfu, { echo: { host: '::1', port: 4460 }, http: 'http://[::1]:4450/health' });
});

test('the example configs in probes/config are valid', () => {
  const dir = fileURLToPath(new URL('../../probes/config/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 2);
  for (const f of files) parseAgentConfig(JSON.parse(readFileSync(dir + f, 'utf8')), dir + f);
});

test('a bad config is refused with the file and the field named', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ ...minimal, targets: { sfu: '127.0.0.1' } }, 'targets.sfu.echo', /host:port/],
    [{ ...minimal, targets: { sfu: { echo: '127.0.0.1:99999' } } }, 'targets.sfu.echo', /host:port/],
    [{ ...minimal, targets: { sfu: { echo: '127.0.0.1:1', http: 'nope' } } }, 'targets.sfu.http', /http/],
    [{ ...minimal, targets: {} }, 'targets.sfu', /./],
    [{ ...minimal, token: 'tan-lac.abcdef' }, 'token', /not a probe token of site "da-bac"/],
    [{ ...minimal, nocUrl: 'ftp://x' }, 'nocUrl', /http/],
    [{ ...minimal, ups: { host: 'localhost' } }, 'ups.name', /./],
    [{ ...minimal, link: { packetsPerSecond: 0 } }, 'link.packetsPerSecond', />=1/],
    [{ ...minimal, send: { batchMax: 501 } }, 'send.batchMax', /<=500/],
    [{ ...minimal, sensor: { file: 'x', command: ['y'] } }, 'sensor', /exactly one of "file" and "command"/],
    [{ ...minimal, extra: 1 }, 'extra', /Unrecognized key/],
  ];
  for (const [raw, field, message] of cases) {
    assert.throws(
      () => parseAgentConfig(raw, '/etc/p.json'),
      (err: unknown) =>
        err instanceof ConfigError && err.field === field && message.test(err.message) && err.message.startsWith('/etc/p.json: '),
      `${JSON.stringify(raw)} should name ${field}`,
    );
  }
});

test('a sensor reading is JSON or key=value lines; anything else is refused with the reason', () => {
  assert.deepEqual(parseEnvReading('{"temp_c": 27.5, "humidity_pct": 64, "co2_ppm": 800}'), { temp_c: 27.5, humidity_pct: 64 });
  assert.deepEqual(parseEnvReading('# room sensor\ntemp_c=31.25\r\nhumidity_pct = 70\n'), { temp_c: 31.25, humidity_pct: 70 });
  assert.deepEqual(parseEnvReading('humidity_pct=55'), { humidity_pct: 55 });
  assert.throws(() => parseEnvReading(''), /empty/);
  assert.throws(() => parseEnvReading('{"temp_c": 27.'), /invalid JSON/);
  assert.throws(() => parseEnvReading('temp_c 27'), /line 1 is not key=value/);
  assert.throws(() => parseEnvReading('pressure=1000'), /neither temp_c nor humidity_pct/);
  assert.throws(() => parseEnvReading('temp_c=hot'), /temp_c: .*number/);
  assert.throws(() => parseEnvReading('{"humidity_pct": 140}'), /humidity_pct: .*100/);
});

test('a link window: loss from missing replies, mean RTT, jitter as mean |ΔRTT| of successive replies', () => {
  const r = (seq: number, rttMs: number | null) => ({ seq, sentAt: seq * 200, rttMs });
  assert.equal(windowStats([]), null);
  assert.deepEqual(windowStats([r(1, 10), r(2, 14), r(3, null), r(4, 12), r(5, 12)]), {
    sent: 5,
    answered: 4,
    lossPct: 20,
    rttMs: 12,
    // |14-10|, |12-14| (across the lost one), |12-12|
    jitterMs: 2,
  });
  assert.deepEqual(windowStats([r(1, null), r(2, null)]), { sent: 2, answered: 0, lossPct: 100, rttMs: null, jitterMs: null });
  assert.deepEqual(windowStats([r(1, 3.333)]), { sent: 1, answered: 1, lossPct: 0, rttMs: 3.33, jitterMs: null });
});
