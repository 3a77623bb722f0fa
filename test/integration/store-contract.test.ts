// One contract, two stores: what the NOC relies on from its sample store holds
// the same on a real influxd and on the embedded node:sqlite store.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Point } from '@noc/shared/metrics';
import { EmbeddedStore } from '../../dashboard/server/store/embedded-store.ts';
import { InfluxStore } from '../../dashboard/server/store/influx-store.ts';
import { SampleQueries } from '../../dashboard/server/store/queries.ts';
import { InvalidPointError, StoreUnavailableError, type SampleStore } from '../../dashboard/server/store/store.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const MINUTE = 60_000;

interface Harness {
  store: SampleStore;
  /** Makes the 1-minute means of [from, to) that a window beyond 14 days is drawn from. */
  downsample(from: number, to: number): Promise<void>;
  stop(): Promise<void>;
}

async function influxHarness(influx: InfluxdFixture): Promise<Harness> {
  const store = await InfluxStore.open({ url: influx.url, database: 'noc' });
  return {
    store,
    // Runs the installed continuous query's own SELECT … INTO by hand, with an
    // explicit time range, instead of waiting for influxd's once-a-minute run.
    async downsample(from, to) {
      const cq = await influx.query('SHOW CONTINUOUS QUERIES');
      const text = cq.find((s) => s.name === 'noc')?.values.find((row) => row[0] === 'means_1m')?.[1] as string | undefined;
      const select = /BEGIN (.*) END$/.exec(text ?? '')?.[1];
      assert.ok(select, `means_1m is installed: ${text}`);
      const q = select.replace(' GROUP BY ', ` WHERE time >= ${from}ms AND time < ${to}ms GROUP BY `);
      const res = await fetch(`${influx.url}/query`, { method: 'POST', body: new URLSearchParams({ db: 'noc', q }) });
      const body = (await res.json()) as { results: { error?: string; series?: { values: unknown[][] }[] }[] };
      assert.equal(body.results[0]?.error, undefined, q);
    },
    stop: () => store.close(),
  };
}

async function embeddedHarness(): Promise<Harness> {
  const dir = await tempDir('store-contract');
  const store = await EmbeddedStore.open(join(dir.path, 'samples.sqlite'));
  return {
    store,
    // The embedded store keeps raw samples only and draws every window from them.
    async downsample() {},
    async stop() {
      await store.close();
      await dir.remove();
    },
  };
}

const link = (site: string, time: number, fields: Point['fields'], target = 'sfu'): Point => ({
  measurement: 'link',
  tags: { site, target },
  fields,
  time,
});

/** A minute boundary some minutes ago, so every point sits in the last 15 minutes. */
const minuteAgo = (minutes: number) => Math.floor((Date.now() - minutes * MINUTE) / MINUTE) * MINUTE;

let influx: InfluxdFixture;
before(async () => {
  influx = await startTestInfluxd();
});
after(async () => {
  await influx?.stop();
});

for (const kind of ['influxdb', 'embedded'] as const) {
  describe(`store contract: ${kind}`, () => {
    let h: Harness;
    let queries: SampleQueries;
    before(async () => {
      h = kind === 'influxdb' ? await influxHarness(influx) : await embeddedHarness();
      queries = new SampleQueries(h.store);
    });
    after(async () => {
      await h?.stop();
    });

    test('a batch is read back as written, field by field and site by site', async () => {
      const t = minuteAgo(5);
      await h.store.write([
        link('cao-phong', t + 1000, { rtt_ms: 42.5, loss_pct: 0.5, reachable: true }),
        link('cao-phong', t + 2000, { rtt_ms: 40, loss_pct: 0 }),
        link('lac-thuy', t + 1500, { rtt_ms: 80.25 }),
      ]);
      const answer = await queries.window({ measurement: 'link', fields: ['rtt_ms', 'loss_pct'], from: t, to: t + 10_000 });
      assert.deepEqual(answer.resolution, { source: 'raw', bucketMs: null });
      assert.deepEqual(answer.series, {
        rtt_ms: {
          'cao-phong': [
            [t + 1000, 42.5],
            [t + 2000, 40],
          ],
          'lac-thuy': [[t + 1500, 80.25]],
        },
        loss_pct: {
          'cao-phong': [
            [t + 1000, 0.5],
            [t + 2000, 0],
          ],
        },
      });
    });

    test('a tag filter keeps only the matching series', async () => {
      const t = minuteAgo(6);
      await h.store.write([
        link('mai-chau', t + 100, { rtt_ms: 10 }, 'sfu'),
        link('mai-chau', t + 200, { rtt_ms: 20 }, 'isp'),
        link('mai-chau', t + 300, { rtt_ms: 30 }, 'backup'),
      ]);
      const window = { measurement: 'link', fields: ['rtt_ms'], from: t, to: t + 1000 } as const;
      assert.deepEqual((await queries.window({ ...window, tags: { target: 'isp' } })).series.rtt_ms, { 'mai-chau': [[t + 200, 20]] });
      assert.deepEqual((await queries.window({ ...window, tags: { site: 'mai-chau', target: 'backup' } })).series.rtt_ms, {
        'mai-chau': [[t + 300, 30]],
      });
      assert.equal((await queries.window(window)).series.rtt_ms?.['mai-chau']?.length, 3);
    });

    test('a batch with one bad point is refused whole and writes nothing', async () => {
      const t = minuteAgo(7);
      const good = link('tan-lac', t + 1, { rtt_ms: 1 });
      const bad: [string, Point][] = [
        ['a NaN', link('tan-lac', t + 2, { rtt_ms: Number.NaN })],
        ['text in a numeric field', link('tan-lac', t + 3, { rtt_ms: '12' })],
        ['no fields', link('tan-lac', t + 4, {})],
        [
          'an unknown measurement',
          { measurement: 'cpu' as Point['measurement'], tags: { site: 'tan-lac' }, fields: { x: 1 }, time: t + 5 },
        ],
      ];
      for (const [what, point] of bad) {
        await assert.rejects(h.store.write([good, point]), InvalidPointError, what);
      }
      const answer = await queries.window({ measurement: 'link', fields: ['rtt_ms'], from: t, to: t + 1000 });
      assert.deepEqual(answer.series.rtt_ms, {});
    });

    test('the same series and time written again is one point, the later fields winning', async () => {
      const t = minuteAgo(8) + 123;
      await h.store.write([link('yen-thuy', t, { rtt_ms: 1, loss_pct: 2 })]);
      await h.store.write([link('yen-thuy', t, { rtt_ms: 3 })]);
      await h.store.write([link('yen-thuy', t, { rtt_ms: 3 })]);
      const answer = await queries.window({ measurement: 'link', fields: ['rtt_ms', 'loss_pct'], from: t - 1, to: t + 1 });
      assert.deepEqual(answer.series, { rtt_ms: { 'yen-thuy': [[t, 3]] }, loss_pct: { 'yen-thuy': [[t, 2]] } });
    });

    test('a window longer than 15 minutes is drawn as means over buckets, only inside the window', async () => {
      const to = Date.now();
      const from = to - 2 * 60 * MINUTE;
      const b = minuteAgo(30); // on a 30 s bucket boundary
      await h.store.write([
        { measurement: 'env', tags: { site: 'kim-boi' }, fields: { temp_c: 20, humidity_pct: 50 }, time: b + 1000 },
        { measurement: 'env', tags: { site: 'kim-boi' }, fields: { temp_c: 30 }, time: b + 2000 },
        { measurement: 'env', tags: { site: 'kim-boi' }, fields: { temp_c: 40, humidity_pct: 70 }, time: b + 31_000 },
        { measurement: 'env', tags: { site: 'kim-boi' }, fields: { temp_c: 99 }, time: from - 10 * MINUTE },
      ]);
      const answer = await queries.window({ measurement: 'env', fields: ['temp_c', 'humidity_pct'], from, to });
      assert.deepEqual(answer.resolution, { source: 'raw', bucketMs: 30_000 });
      assert.deepEqual(answer.series, {
        temp_c: {
          'kim-boi': [
            [b, 25],
            [b + 30_000, 40],
          ],
        },
        humidity_pct: {
          'kim-boi': [
            [b, 50],
            [b + 30_000, 70],
          ],
        },
      });
      // The last quarter hour of the same series is every raw point.
      const recent = await queries.window({ measurement: 'env', fields: ['temp_c'], from: b, to: b + 15 * MINUTE });
      assert.deepEqual(recent.resolution, { source: 'raw', bucketMs: null });
      assert.deepEqual(recent.series.temp_c, {
        'kim-boi': [
          [b + 1000, 20],
          [b + 2000, 30],
          [b + 31_000, 40],
        ],
      });
    });

    test('the latest value of a field, per site', async () => {
      const t = minuteAgo(9);
      await h.store.write([
        { measurement: 'power', tags: { site: 'da-bac' }, fields: { battery_pct: 90, status: 'OL' }, time: t + 1000 },
        { measurement: 'power', tags: { site: 'da-bac' }, fields: { battery_pct: 85, status: 'OB' }, time: t + 2000 },
        { measurement: 'power', tags: { site: 'da-bac' }, fields: { status: 'OB LB' }, time: t + 3000 },
        { measurement: 'power', tags: { site: 'luong-son' }, fields: { battery_pct: 100 }, time: t + 500 },
      ]);
      assert.deepEqual(await queries.last({ measurement: 'power', field: 'battery_pct' }), {
        'da-bac': [t + 2000, 85],
        'luong-son': [t + 500, 100],
      });
      assert.deepEqual(await queries.last({ measurement: 'power', field: 'battery_pct', tags: { site: 'luong-son' } }), {
        'luong-son': [t + 500, 100],
      });
    });

    test('tag values with spaces, commas and equals signs, and whole numbers, come back as written', async () => {
      const t = minuteAgo(11);
      const odd = 'site, with=odd "chars"';
      await h.store.write([{ measurement: 'power', tags: { site: odd }, fields: { battery_pct: 100 }, time: t + 1000 }]);
      // After a whole number, a fraction: a field typed as integer by the first write would refuse the second.
      await h.store.write([{ measurement: 'power', tags: { site: odd }, fields: { battery_pct: 99.5 }, time: t + 2000 }]);
      assert.deepEqual(await queries.last({ measurement: 'power', field: 'battery_pct', tags: { site: odd } }), {
        [odd]: [t + 2000, 99.5],
      });
    });

    test('a window beyond the 14-day raw retention is drawn from the 1-minute means', async () => {
      const m = minuteAgo(12);
      await h.store.write([
        { measurement: 'env', tags: { site: 'lac-son' }, fields: { temp_c: 31 }, time: m + 5_000 },
        { measurement: 'env', tags: { site: 'lac-son' }, fields: { temp_c: 33 }, time: m + 35_000 },
      ]);
      await h.downsample(m, m + MINUTE);
      const to = Date.now();
      const answer = await queries.window({ measurement: 'env', fields: ['temp_c'], from: to - 30 * 24 * 60 * MINUTE, to });
      assert.deepEqual(answer.resolution, { source: 'year', bucketMs: 2 * 60 * MINUTE });
      const bucket = Math.floor(m / (2 * 60 * MINUTE)) * 2 * 60 * MINUTE;
      assert.deepEqual(answer.series.temp_c?.['lac-son'], [[bucket, 32]]);
    });

    test('ping answers', async () => {
      await h.store.ping();
    });
  });
}

describe('InfluxDB store specifics', () => {
  test('the database has 14-day raw retention by default, a 400-day year policy and the 1-minute means query', async () => {
    // Opening again (a restart) keeps the same schema and fails on nothing.
    const store = await InfluxStore.open({ url: influx.url, database: 'noc' });
    await store.close();
    const policies = await influx.query('SHOW RETENTION POLICIES ON "noc"');
    const byName = Object.fromEntries((policies[0]?.values ?? []).map((row) => [row[0], row]));
    assert.equal(byName.raw?.[1], '336h0m0s');
    assert.equal(byName.raw?.[4], true, 'raw is the default policy');
    assert.equal(byName.year?.[1], '9600h0m0s');
    assert.equal(byName.year?.[4], false);
    const cqs = (await influx.query('SHOW CONTINUOUS QUERIES')).find((s) => s.name === 'noc')?.values ?? [];
    assert.equal(cqs.length, 1);
    assert.equal(cqs[0]?.[0], 'means_1m');
    assert.match(String(cqs[0]?.[1]), /SELECT mean\(\*\) INTO noc\.year\.:MEASUREMENT FROM noc\.raw\.\/\.\*\/ GROUP BY time\(1m\), \*/);
  });

  test('a string field with quotes, backslashes, commas and equals signs is stored as written', async () => {
    const store = await InfluxStore.open({ url: influx.url, database: 'noc' });
    const status = 'OB "DISCHRG" \\ LB, x=1';
    const time = Date.now() - 60_000;
    await store.write([{ measurement: 'power', tags: { site: 'ky-son' }, fields: { status }, time }]);
    const groups = await store.query(`SELECT status FROM power WHERE site = 'ky-son' AND time = ${time}ms`);
    await store.close();
    assert.equal(groups[0]?.rows[0]?.status, status);
  });

  test('an InfluxDB that does not answer is "unavailable" for writes, reads and ping', async () => {
    const store = InfluxStore.create({ url: `http://127.0.0.1:${await freePort()}`, database: 'noc', timeoutMs: 2000 });
    await assert.rejects(store.write([link('da-bac', Date.now(), { rtt_ms: 1 })]), StoreUnavailableError);
    await assert.rejects(store.ping(), StoreUnavailableError);
    await assert.rejects(
      store.series({ measurement: 'link', fields: ['rtt_ms'], from: 0, to: 1, resolution: { source: 'raw', bucketMs: null } }),
      StoreUnavailableError,
    );
  });
});
