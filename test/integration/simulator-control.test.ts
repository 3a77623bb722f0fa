// Faults injected at run time on the simulator's control endpoint show in the
// samples that land in the store and on the live feed within a couple of
// seconds of the time the endpoint gives, and go away when the fault is ended:
// a degraded link (link and room media figures) and a power cut at one site,
// while the other sites stay healthy. Bad input is refused naming the field
// and changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManagedProcess } from '@noc/shared/child-process';
import type { LiveSample } from '@noc/shared/live';
import { waitFor } from '@noc/shared/wait';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { connectLive, isEvent, type LiveClient } from '../fixtures/live-client.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { controlReady, startSimulator } from '../fixtures/simulator.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const SITE = 'mai-chau';
/** The effect must be in the store this soon after the endpoint says the fault started. */
const EFFECT_MS = 2500;

let influx: InfluxdFixture;
let noc: NocFixture;
let dir: Awaited<ReturnType<typeof tempDir>>;
let sim: ManagedProcess;
let control: string;
let logFile: string;
let live: LiveClient;

before(async () => {
  influx = await startTestInfluxd();
  noc = await startTestNocServer({ influxUrl: influx.url });
  dir = await tempDir('sim-control');
  const scenario = join(dir.path, 'scenario.json');
  // Mai Châu is in a meeting from the start, so its room page sends media.
  await writeFile(
    scenario,
    JSON.stringify({ name: 'control', meetings: [{ kind: 'hop', title: 'Họp', at: '+0s', durationMin: 60, sites: [SITE] }] }),
  );
  const port = await freePort();
  control = `http://127.0.0.1:${port}`;
  logFile = join(dir.path, 'simulator.log');
  sim = startSimulator({ noc, dir: dir.path, scenario, env: { SIM_INTERVAL_MS: '250', SIM_CONTROL_PORT: String(port) } });
  await controlReady(sim, control);
  live = await connectLive(noc.url, await noc.adminCookie());
  await waitFor(
    `${SITE}'s link and media in the store`,
    async () =>
      (await rows(`SELECT "rtt_ms" FROM "link" WHERE "site" = '${SITE}'`)).length >= 8 &&
      (await rows(`SELECT "fps" FROM "media" WHERE "site" = '${SITE}'`)).length >= 4,
    {
      timeoutMs: 20_000,
      intervalMs: 250,
    },
  );
});
after(async () => {
  live?.close();
  await sim?.stop();
  await noc?.stop();
  await influx?.stop();
  await dir?.remove();
});

const rows = async (q: string) => (await influx.query(q))[0]?.values ?? [];
/** Rows of `select` from `measurement` at SITE taken at or after `since` (ms since the epoch). */
const since = (select: string, measurement: string, from: number, extra = '') =>
  rows(`SELECT ${select} FROM "${measurement}" WHERE "site" = '${SITE}' AND time >= ${from}ms ${extra}`);

interface FaultRecord {
  id: string;
  fault: Record<string, unknown>;
  startedAt: number;
  endsAt: number | null;
  endedAt?: number;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  type = 'application/json',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${control}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const activeFaults = async () => ((await call('GET', '/faults')).body.faults as FaultRecord[]).map((f) => f.id);

test('bad input is refused naming the field, and nothing changes', async () => {
  const cases: [unknown, number, string | undefined][] = [
    [{ fault: 'link-degradation', site: SITE, lossPct: 200 }, 400, 'lossPct'],
    [{ fault: 'link-degradation', site: SITE, lossPct: 'lots' }, 400, 'lossPct'],
    [{ fault: 'power-cut', site: 'atlantis' }, 400, 'site'],
    [{ fault: 'power-cut', site: SITE, at: '+1s' }, 400, 'at'],
    [{ fault: 'flood', site: SITE }, 400, 'fault'],
    [{ site: SITE }, 400, 'fault'],
    [{ fault: 'link-cut', site: SITE, durationS: -5 }, 400, 'durationS'],
    ['{"fault": "link-cut",', 400, undefined],
    [[], 400, undefined],
  ];
  for (const [body, status, field] of cases) {
    const res = await call('POST', '/faults', body);
    assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.equal(res.body.field, field, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.match(String(res.body.error), field ? new RegExp(`\\b${field}\\b`) : /invalid/);
  }
  const plain = await call('POST', '/faults', JSON.stringify({ fault: 'link-cut', site: SITE }), 'text/plain');
  assert.equal(plain.status, 415, 'a form post from a web page is not taken');
  const unknown = await call('DELETE', '/faults/f999');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.field, 'id');
  assert.deepEqual(await activeFaults(), [], 'no fault was injected');
  assert.doesNotMatch(await readFile(logFile, 'utf8'), /injected \(control\)/);
});

/** The first live-feed sample from `from` (an index into the client's events) that matches. */
async function liveSample(from: number, match: (s: LiveSample) => boolean, timeoutMs: number): Promise<LiveSample> {
  const event = await live.next((e) => isEvent('samples')(e) && e.samples.some(match), { from, timeoutMs });
  return (event as Extract<typeof event, { type: 'samples' }>).samples.find(match)!;
}

test('a degraded link shows in the link and media samples within seconds, and recovers when ended', async () => {
  const before = Date.now();
  const seen = live.events.length;
  const res = await call('POST', '/faults', { fault: 'link-degradation', site: SITE, lossPct: 20, rttMs: 400, jitterMs: 80 });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const fault = res.body as unknown as FaultRecord;
  assert.match(fault.id, /^\w+$/);
  assert.deepEqual(fault.fault, { fault: 'link-degradation', site: SITE, lossPct: 20, rttMs: 400, jitterMs: 80 });
  assert.ok(fault.startedAt >= before && fault.startedAt <= Date.now(), 'startedAt is when the request was served');
  assert.equal(fault.endsAt, null, 'without durationS it holds until ended');
  assert.deepEqual(await activeFaults(), [fault.id]);

  const link = await waitFor(
    'degraded link samples',
    async () => {
      const r = await since('"rtt_ms", "loss_pct", "jitter_ms"', 'link', fault.startedAt, 'AND "rtt_ms" > 300 AND "loss_pct" > 8');
      return r.length > 0 ? r[0]! : undefined;
    },
    { timeoutMs: EFFECT_MS + 3000, intervalMs: 100 },
  );
  assert.ok(
    (link[0] as number) - fault.startedAt < EFFECT_MS,
    `the first degraded link sample was taken ${(link[0] as number) - fault.startedAt} ms after the fault started`,
  );
  const media = await waitFor(
    'degraded media samples',
    async () => {
      const r = await since(
        '"bitrate_kbps", "loss_pct", "fps", "width"',
        'media',
        fault.startedAt,
        `AND "kind" = 'video' AND "loss_pct" > 8`,
      );
      return r.length > 0 ? r[0]! : undefined;
    },
    { timeoutMs: EFFECT_MS + 3000, intervalMs: 100 },
  );
  assert.ok((media[0] as number) - fault.startedAt < EFFECT_MS);
  assert.ok((media[1] as number) < 900, `the sender backs off: ${media[1]} kbps`);
  const onFeed = await liveSample(
    seen,
    (x) =>
      x.site === SITE &&
      x.measurement === 'media' &&
      x.tags.kind === 'video' &&
      x.time >= fault.startedAt &&
      (x.fields.loss_pct as number) > 8,
    EFFECT_MS + 3000,
  );
  assert.equal(onFeed.tags.direction, 'send');
  assert.ok(
    onFeed.time - fault.startedAt < EFFECT_MS,
    `the live feed carried the degraded media ${onFeed.time - fault.startedAt} ms after the fault started`,
  );
  const other = await rows(`SELECT max("loss_pct") FROM "link" WHERE "site" = 'da-bac' AND time >= ${fault.startedAt}ms`);
  assert.ok(((other[0]?.[1] as number | undefined) ?? 0) < 10, 'the other sites are not touched');
  assert.match(await readFile(logFile, 'utf8'), new RegExp(`\\[site:${SITE}\\] link-degradation injected \\(control\\)`));

  const ended = await call('DELETE', `/faults/${fault.id}`);
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  const endedAt = (ended.body as unknown as FaultRecord).endedAt!;
  assert.ok(endedAt >= fault.startedAt && endedAt <= Date.now());
  assert.deepEqual(await activeFaults(), []);
  await waitFor(
    'the link to recover',
    async () => (await since('"rtt_ms"', 'link', endedAt, 'AND "rtt_ms" < 150 AND "loss_pct" < 3')).length > 0,
    {
      timeoutMs: 6000,
      intervalMs: 150,
    },
  );
  await waitFor(
    'the media to recover',
    async () =>
      (await since('"bitrate_kbps"', 'media', endedAt, `AND "kind" = 'video' AND "bitrate_kbps" > 1000 AND "width" = 1280`)).length > 0,
    {
      timeoutMs: 8000,
      intervalMs: 150,
    },
  );
  assert.equal((await call('DELETE', `/faults/${fault.id}`)).status, 404, 'an ended fault cannot be ended again');
});

test('a power cut puts the UPS on battery within seconds, and mains comes back when ended', async () => {
  const res = await call('POST', '/faults', { fault: 'power-cut', site: SITE, drainMinutes: 0.5 });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const fault = res.body as unknown as FaultRecord;
  assert.deepEqual(fault.fault, { fault: 'power-cut', site: SITE, drainMinutes: 0.5 });
  const onBattery = await waitFor(
    'samples on battery',
    async () => {
      const r = await since('"battery_pct", "status"', 'power', fault.startedAt, 'AND "on_mains" = false');
      return r.length >= 5 ? r : undefined;
    },
    { timeoutMs: EFFECT_MS + 3000, intervalMs: 100 },
  );
  assert.ok((onBattery[0]![0] as number) - fault.startedAt < EFFECT_MS);
  assert.match(String(onBattery[0]![2]), /^OB DISCHRG/);
  const battery = onBattery.map((r) => r[1] as number);
  assert.ok(
    battery.at(-1)! < 100 && battery.at(-1)! <= battery[0]!,
    `the battery drains from the moment the mains went: ${battery.join(', ')}`,
  );

  // A second fault at once, then all of them ended together.
  const hot = await call('POST', '/faults', { fault: 'room-hot', site: SITE, tempC: 39, durationS: 600 });
  assert.equal(hot.status, 201);
  assert.equal((hot.body as unknown as FaultRecord).endsAt, (hot.body as unknown as FaultRecord).startedAt + 600_000);
  assert.deepEqual(await activeFaults(), [fault.id, (hot.body as unknown as FaultRecord).id]);
  const all = await call('DELETE', '/faults');
  assert.equal(all.status, 200);
  const ended = all.body.ended as FaultRecord[];
  assert.deepEqual(ended.map((f) => f.id).sort(), [fault.id, (hot.body as unknown as FaultRecord).id].sort());
  const endedAt = Math.max(...ended.map((f) => f.endedAt!));
  assert.deepEqual(await activeFaults(), []);
  await waitFor(
    'mains again',
    async () => (await since('"status"', 'power', endedAt, `AND "on_mains" = true AND "status" = 'OL'`)).length > 0,
    {
      timeoutMs: EFFECT_MS + 3000,
      intervalMs: 100,
    },
  );
  assert.match(await readFile(logFile, 'utf8'), new RegExp(`\\[site:${SITE}\\] power-cut injected \\(control\\)`));
});
