// One contract, three stores: what the NOC relies on from its sample store
// holds the same on a real InfluxDB 1.12.2, a real InfluxDB 2.7.12 and the
// embedded node:sqlite store.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TasksAPI } from '@influxdata/influxdb-client-apis';
import type { Point } from '@noc/shared/metrics';
import { waitFor } from '@noc/shared/wait';
import { EmbeddedStore } from '../../dashboard/server/store/embedded-store.ts';
import { orgId, yearTaskId, type YEAR_TASKS } from '../../dashboard/server/store/influx2-schema.ts';
import { InfluxStore } from '../../dashboard/server/store/influx-store.ts';
import { SampleQueries } from '../../dashboard/server/store/queries.ts';
import { InvalidPointError, StoreUnavailableError, type SampleStore } from '../../dashboard/server/store/store.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestInfluxd2, type Influxd2Fixture } from '../fixtures/influxd2.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const MINUTE = 60_000;
/** What fills `year` on 1.x: the means, and per yes/no field its samples and its true ones per minute. */
const INFLUX1_CQS = [
  'counts_1m_link_reachable',
  'counts_1m_link_reachable_true',
  'counts_1m_power_on_mains',
  'counts_1m_power_on_mains_true',
  'means_1m',
];

interface Harness {
  store: SampleStore;
  /** Makes the 1-minute means and counts of [from, to) that a window beyond 14 days and a report are drawn from. */
  downsample(from: number, to: number): Promise<void>;
  stop(): Promise<void>;
}

async function influx1Harness(influx: InfluxdFixture): Promise<Harness> {
  const store = await InfluxStore.open({ url: influx.url, database: 'noc' });
  return {
    store,
    // Runs the installed continuous queries' own SELECT … INTO by hand, with
    // an explicit time range, instead of waiting for influxd's once-a-minute run.
    async downsample(from, to) {
      const cqs = (await influx.query('SHOW CONTINUOUS QUERIES')).find((s) => s.name === 'noc')?.values ?? [];
      assert.deepEqual(cqs.map((row) => row[0]).sort(), INFLUX1_CQS, 'the continuous queries are installed');
      for (const [name, text] of cqs) {
        const select = /BEGIN (.*) END$/.exec(String(text))?.[1];
        assert.ok(select, `${name}: ${text}`);
        const range = `time >= ${from}ms AND time < ${to}ms`;
        await influx.query(
          select.includes(' WHERE ')
            ? select.replace(' GROUP BY ', ` AND ${range} GROUP BY `)
            : select.replace(' GROUP BY ', ` WHERE ${range} GROUP BY `),
        );
      }
    },
    stop: () => store.close(),
  };
}

/** Runs one of the store's downsampling tasks once, as if scheduled at `at`, and waits for it to succeed. */
async function runYearTask(influx: Influxd2Fixture, task: keyof typeof YEAR_TASKS, at: number): Promise<void> {
  const tasks = new TasksAPI(influx.client);
  const taskID = await yearTaskId(influx.client, await orgId(influx.client, influx.org), 'noc', task);
  assert.ok(taskID, `the ${task} task is installed`);
  const run = await tasks.postTasksIDRuns({ taskID, body: { scheduledFor: new Date(at).toISOString() } });
  let status: string | undefined;
  await waitFor(
    'the downsampling run to end',
    async () => {
      status = (await tasks.getTasksIDRunsID({ taskID, runID: run.id! })).status;
      return status === 'success' || status === 'failed' || status === 'canceled';
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  if (status !== 'success') {
    const logs = await tasks.getTasksIDRunsIDLogs({ taskID, runID: run.id! });
    assert.fail(`the downsampling run ended ${status}: ${JSON.stringify(logs.events)}`);
  }
}

async function influx2Harness(influx: Influxd2Fixture): Promise<Harness> {
  const store = await InfluxStore.open({ url: influx.url, database: 'noc', token: influx.token, org: influx.org });
  return {
    store,
    // A task reads the minute before the time it runs for: run each for each minute of [from, to).
    async downsample(from, to) {
      for (let m = from; m < to; m += MINUTE)
        await Promise.all([runYearTask(influx, 'means', m + MINUTE), runYearTask(influx, 'counts', m + MINUTE)]);
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
let influx2: Influxd2Fixture;
before(async () => {
  [influx, influx2] = await Promise.all([startTestInfluxd(), startTestInfluxd2()]);
});
after(async () => {
  await Promise.all([influx?.stop(), influx2?.stop()]);
});

const harnesses = {
  'InfluxDB 1.12.2': () => influx1Harness(influx),
  'InfluxDB 2.7.12': () => influx2Harness(influx2),
  embedded: () => embeddedHarness(),
};

for (const [kind, harness] of Object.entries(harnesses)) {
  describe(`store contract: ${kind}`, () => {
    let h: Harness;
    let queries: SampleQueries;
    before(async () => {
      h = await harness();
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
        // Text and true/false in the same minute have no mean and must not stop the downsampling.
        { measurement: 'power', tags: { site: 'lac-son' }, fields: { status: 'OB', on_mains: false, battery_pct: 50 }, time: m + 10_000 },
      ]);
      await h.downsample(m, m + MINUTE);
      const to = Date.now();
      const answer = await queries.window({ measurement: 'env', fields: ['temp_c'], from: to - 30 * 24 * 60 * MINUTE, to });
      assert.deepEqual(answer.resolution, { source: 'year', bucketMs: 2 * 60 * MINUTE });
      const bucket = Math.floor(m / (2 * 60 * MINUTE)) * 2 * 60 * MINUTE;
      assert.deepEqual(answer.series.temp_c?.['lac-son'], [[bucket, 32]]);
      const power = await queries.window({ measurement: 'power', fields: ['battery_pct'], from: to - 30 * 24 * 60 * MINUTE, to });
      assert.deepEqual(power.series.battery_pct?.['lac-son'], [[bucket, 50]]);
    });

    test('a window is summed up per site and field: mean, min, max and count, only inside the window', async () => {
      const t = minuteAgo(13);
      const env = (site: string, time: number, fields: Point['fields']): Point => ({ measurement: 'env', tags: { site }, fields, time });
      await h.store.write([
        env('da-bac', t + 1000, { temp_c: 20, humidity_pct: 60 }),
        env('da-bac', t + 2000, { temp_c: 26.5 }),
        env('da-bac', t + 3000, { temp_c: 23 }),
        env('mai-chau', t + 1500, { temp_c: 30 }),
        env('da-bac', t + 10_000, { temp_c: 99 }),
      ]);
      const window = { measurement: 'env', fields: ['temp_c', 'humidity_pct'], from: t + 1000, to: t + 3000 } as const;
      assert.deepEqual(await h.store.aggregate({ ...window, fn: 'mean' }), {
        temp_c: { 'da-bac': 23.166666666666668, 'mai-chau': 30 },
        humidity_pct: { 'da-bac': 60 },
      });
      assert.deepEqual(await h.store.aggregate({ ...window, fn: 'min' }), {
        temp_c: { 'da-bac': 20, 'mai-chau': 30 },
        humidity_pct: { 'da-bac': 60 },
      });
      assert.deepEqual(await h.store.aggregate({ ...window, fn: 'max' }), {
        temp_c: { 'da-bac': 26.5, 'mai-chau': 30 },
        humidity_pct: { 'da-bac': 60 },
      });
      assert.deepEqual(await h.store.aggregate({ ...window, fn: 'count', tags: { site: 'da-bac' } }), {
        temp_c: { 'da-bac': 3 },
        humidity_pct: { 'da-bac': 1 },
      });
      await assert.rejects(h.store.aggregate({ ...window, fields: ['status'], fn: 'mean' }), /not a numeric field/);
      await assert.rejects(h.store.aggregate({ ...window, fn: 'median' as 'mean' }), /unknown aggregate "median"/);
    });

    test("a report's minutes: per window and site, the minutes with a value and the sum of each minute's mean, yes/no as the share of yes", async () => {
      const t0 = minuteAgo(60);
      const points: Point[] = [];
      // da-bac: 10 minutes, 6 samples a minute; in minute 2 half the samples unreachable, in minutes 5-6 all;
      // its link towards the ISP always down (another series, left out by the tag).
      for (let m = 0; m < 10; m++) {
        for (let s = 0; s < 6; s++) {
          const reachable = m === 5 || m === 6 ? false : m === 2 ? s % 2 === 0 : true;
          const time = t0 + m * MINUTE + s * 10_000;
          points.push(link('da-bac', time, { reachable, rtt_ms: 40 }), link('da-bac', time, { reachable: false }, 'isp'));
          // On battery for the whole of minute 1, of four minutes of power readings.
          if (m < 4) points.push({ measurement: 'power', tags: { site: 'da-bac' }, fields: { on_mains: m !== 1, battery_pct: 80 }, time });
        }
      }
      // mai-chau: only minutes 0-3, always up.
      for (let m = 0; m < 4; m++) points.push(link('mai-chau', t0 + m * MINUTE, { reachable: true }));
      await h.store.write(points);
      await h.downsample(t0, t0 + 10 * MINUTE);
      const windows = [
        { from: t0, to: t0 + 10 * MINUTE },
        { from: t0 + 5 * MINUTE, to: t0 + 7 * MINUTE },
        { from: t0 + 20 * MINUTE, to: t0 + 30 * MINUTE },
      ];
      const [all, down, none] = await h.store.minutes({ measurement: 'link', field: 'reachable', tags: { target: 'sfu' }, windows });
      assert.deepEqual(all, { 'da-bac': { sum: 7.5, minutes: 10 }, 'mai-chau': { sum: 4, minutes: 4 } });
      assert.deepEqual(down, { 'da-bac': { sum: 0, minutes: 2 } }, 'the window ends before its `to`');
      assert.deepEqual(none, {});
      const [isp] = await h.store.minutes({ measurement: 'link', field: 'reachable', tags: { target: 'isp' }, windows: [windows[0]!] });
      assert.deepEqual(isp, { 'da-bac': { sum: 0, minutes: 10 } }, 'minutes with no yes at all count as 0');
      const [rtt] = await h.store.minutes({ measurement: 'link', field: 'rtt_ms', tags: { target: 'sfu' }, windows: [windows[0]!] });
      assert.deepEqual(rtt, { 'da-bac': { sum: 400, minutes: 10 } });
      const [mains] = await h.store.minutes({ measurement: 'power', field: 'on_mains', windows: [windows[0]!] });
      assert.deepEqual(mains, { 'da-bac': { sum: 3, minutes: 4 } });
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
    assert.deepEqual(store.identity, { major: 1, version: '1.12.2' });
    await store.close();
    const policies = await influx.query('SHOW RETENTION POLICIES ON "noc"');
    // By column name: 1.12 lists more columns than 1.8 did.
    const column = (name: string) => policies[0]?.columns.indexOf(name) ?? -1;
    const byName = Object.fromEntries((policies[0]?.values ?? []).map((row) => [row[0], row]));
    assert.equal(byName.raw?.[column('duration')], '336h0m0s');
    assert.equal(byName.raw?.[column('default')], true, 'raw is the default policy');
    assert.equal(byName.year?.[column('duration')], '9600h0m0s');
    assert.equal(byName.year?.[column('default')], false);
    const cqs = Object.fromEntries((await influx.query('SHOW CONTINUOUS QUERIES')).find((s) => s.name === 'noc')?.values ?? []);
    assert.deepEqual(Object.keys(cqs).sort(), INFLUX1_CQS);
    assert.match(String(cqs.means_1m), /SELECT mean\(\*\) INTO noc\.year\.:MEASUREMENT FROM noc\.raw\.\/\.\*\/ GROUP BY time\(1m\), \*/);
    assert.match(
      String(cqs.counts_1m_power_on_mains),
      /SELECT count\(on_mains\) AS count_on_mains INTO noc\.year\.power FROM noc\.raw\.power GROUP BY time\(1m\), \*/,
    );
    assert.match(
      String(cqs.counts_1m_power_on_mains_true),
      /SELECT count\(on_mains\) AS true_on_mains INTO noc\.year\.power FROM noc\.raw\.power WHERE on_mains = true GROUP BY time\(1m\), \*/,
    );
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

  test('a database dropped behind the store is made again by the next write', async () => {
    const store = await InfluxStore.open({ url: influx.url, database: 'dropped' });
    const t = Date.now() - 60_000;
    await store.write([link('da-bac', t, { rtt_ms: 1 })]);
    await influx.query('DROP DATABASE "dropped"');
    await store.write([link('da-bac', t + 1, { rtt_ms: 2 })]);
    const groups = await store.query(`SELECT "rtt_ms" FROM "link" WHERE time >= ${t}ms`);
    assert.deepEqual(
      groups[0]?.rows.map((r) => r.rtt_ms),
      [2],
    );
    const policies = await influx.query('SHOW RETENTION POLICIES ON "dropped"');
    assert.deepEqual(policies[0]?.values.map((row) => row[0]).sort(), ['autogen', 'raw', 'year']);
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

describe('InfluxDB 2.x store specifics', () => {
  test('buckets with 14 and 400 days, DBRP mappings for InfluxQL, and the downsampling task; opening again keeps them', async () => {
    const again = await InfluxStore.open({ url: influx2.url, database: 'noc', token: influx2.token, org: influx2.org });
    assert.equal(again.identity?.major, 2);
    assert.equal(again.identity?.version, '2.7.12');
    await again.close();
    const orgID = await orgId(influx2.client, influx2.org);
    const { BucketsAPI, DbrpsAPI } = await import('@influxdata/influxdb-client-apis');
    const buckets = (await new BucketsAPI(influx2.client).getBuckets({ orgID })).buckets ?? [];
    const retention = (name: string) => buckets.filter((b) => b.name === name).map((b) => b.retentionRules[0]?.everySeconds);
    assert.deepEqual(retention('noc/raw'), [14 * 86_400]);
    assert.deepEqual(retention('noc/year'), [400 * 86_400]);
    const mappings = (await new DbrpsAPI(influx2.client).getDBRPs({ orgID, db: 'noc' })).content ?? [];
    assert.deepEqual(mappings.map((m) => [m.retention_policy, m.default]).sort(), [
      ['raw', true],
      ['year', false],
    ]);
    const tasks = (await new TasksAPI(influx2.client).getTasks({ orgID })).tasks ?? [];
    assert.deepEqual(tasks.map((t) => [t.name, t.every, t.status]).sort(), [
      ['noc counts_1m', '1m', 'active'],
      ['noc means_1m', '1m', 'active'],
    ]);
  });

  test('without the token or the organisation, the store says which is missing and writes nothing', async () => {
    const noToken = InfluxStore.create({ url: influx2.url, database: 'other', org: influx2.org });
    await assert.rejects(
      noToken.write([link('da-bac', Date.now(), { rtt_ms: 1 })]),
      /is 2\.7\.12, which needs an API token and an organisation: set INFLUX_TOKEN$/,
    );
    const noOrg = InfluxStore.create({ url: influx2.url, database: 'other', token: influx2.token });
    await assert.rejects(noOrg.ensureSchema(), /set INFLUX_ORG$/);
    const wrongOrg = InfluxStore.create({ url: influx2.url, database: 'other', token: influx2.token, org: 'nobody' });
    await assert.rejects(wrongOrg.ensureSchema(), /no organisation "nobody" \(INFLUX_ORG\)/);
    const { BucketsAPI } = await import('@influxdata/influxdb-client-apis');
    const orgID = await orgId(influx2.client, influx2.org);
    const names = ((await new BucketsAPI(influx2.client).getBuckets({ orgID })).buckets ?? []).map((b) => b.name);
    assert.ok(!names.some((n) => n.startsWith('other/')), `no bucket made: ${names.join(', ')}`);
  });

  test('a bucket deleted behind the store is made again by the next write, and InfluxQL reads it', async () => {
    const store = await InfluxStore.open({ url: influx2.url, database: 'dropped', token: influx2.token, org: influx2.org });
    const t = Date.now() - 60_000;
    await store.write([link('da-bac', t, { rtt_ms: 1 })]);
    const { BucketsAPI } = await import('@influxdata/influxdb-client-apis');
    const buckets = new BucketsAPI(influx2.client);
    const orgID = await orgId(influx2.client, influx2.org);
    const raw = (await buckets.getBuckets({ orgID, name: 'dropped/raw' })).buckets?.[0];
    assert.ok(raw?.id);
    await buckets.deleteBucketsID({ bucketID: raw.id });
    await store.write([link('da-bac', t + 1, { rtt_ms: 2 })]);
    const groups = await store.query(`SELECT "rtt_ms" FROM "link" WHERE time >= ${t}ms`);
    assert.deepEqual(
      groups[0]?.rows.map((r) => r.rtt_ms),
      [2],
    );
  });

  test('a wrong token is "unavailable" (the operator fixes it and the buffer delivers), not a refusal', async () => {
    const store = InfluxStore.create({ url: influx2.url, database: 'noc', token: 'not-the-token', org: influx2.org });
    await assert.rejects(store.write([link('da-bac', Date.now(), { rtt_ms: 1 })]), StoreUnavailableError);
  });
});

describe('Flux and InfluxQL', () => {
  for (const [major, make] of [
    ['1.12.2', () => ({ url: influx.url, database: 'noc' })],
    ['2.7.12', () => ({ url: influx2.url, database: 'noc', token: influx2.token, org: influx2.org })],
  ] as const) {
    test(`on InfluxDB ${major}, a window's mean and count per site agree`, async () => {
      const store = await InfluxStore.open(make());
      const t0 = minuteAgo(180);
      const sites = ['cao-phong', 'kim-boi', 'lac-son'];
      let seed = 7;
      const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 200;
      const points = sites.flatMap((site, i) =>
        Array.from({ length: 300 + 50 * i }, (_, k) => link(site, t0 + k * 1700 + i, { rtt_ms: random(), loss_pct: random() / 40 })),
      );
      await store.write(points);
      const from = t0 + 30_000;
      const to = t0 + 8 * MINUTE;
      const [mean, count] = await Promise.all([
        store.aggregate({ measurement: 'link', fields: ['rtt_ms', 'loss_pct'], from, to, fn: 'mean' }),
        store.aggregate({ measurement: 'link', fields: ['rtt_ms', 'loss_pct'], from, to, fn: 'count' }),
      ]);
      const influxql = await store.query(
        `SELECT mean("rtt_ms") AS rtt_mean, count("rtt_ms") AS rtt_count, mean("loss_pct") AS loss_mean, count("loss_pct") AS loss_count ` +
          `FROM "link" WHERE time >= ${from}ms AND time <= ${to}ms GROUP BY "site"`,
      );
      await store.close();
      assert.deepEqual(Object.keys(mean.rtt_ms ?? {}).sort(), sites);
      for (const group of influxql) {
        const site = group.tags.site!;
        const row = group.rows[0]!;
        assert.equal(count.rtt_ms?.[site], row.rtt_count, `${site} rtt_ms count`);
        assert.equal(count.loss_pct?.[site], row.loss_count, `${site} loss_pct count`);
        assert.ok(Math.abs(mean.rtt_ms![site]! - (row.rtt_mean as number)) < 1e-9, `${site} rtt_ms mean`);
        assert.ok(Math.abs(mean.loss_pct![site]! - (row.loss_mean as number)) < 1e-9, `${site} loss_pct mean`);
      }
      // The window ends inside the data: the count is of what lies between from and to, not all of it.
      assert.ok(count.rtt_ms!['cao-phong']! < 300 && count.rtt_ms!['cao-phong']! > 200);
      assert.equal(influxql.length, sites.length);
    });
  }
});
