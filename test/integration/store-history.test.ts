// The history API the wall and the reports read: raw points for the last
// minutes, means over buckets for longer windows, the latest value per site.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { fetchAs } from '../fixtures/auth.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';

const MINUTE = 60_000;

interface History {
  since: number;
  resolution: { source: 'raw' | 'year'; bucketSeconds: number | null };
  series: Record<string, [number, number][]>;
}

describe('history API on InfluxDB', () => {
  let influx: InfluxdFixture;
  let noc: NocFixture;
  const m = Math.floor((Date.now() - 40 * MINUTE) / MINUTE) * MINUTE;

  before(async () => {
    influx = await startTestInfluxd();
    noc = await startTestNocServer({ influxUrl: influx.url });
    const samples = [10, 20, 60].map((rtt, i) => ({
      measurement: 'link',
      tags: { target: 'isp' },
      fields: { rtt_ms: rtt },
      time: m + i * 20_000,
    }));
    const res = await fetch(`${noc.url}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${noc.tokenFor('lac-son')}` },
      body: JSON.stringify({ samples }),
    });
    assert.equal(res.status, 202);
  });
  after(async () => {
    await noc?.stop();
    await influx?.stop();
  });

  const get = async (query: string) => {
    const res = await fetchAs(await noc.adminCookie(), `${noc.url}/api/history${query}`);
    return { status: res.status, body: (await res.json()) as History & { values?: Record<string, [number, number]>; error?: string } };
  };

  test('the last 15 minutes are raw points; two hours are 30-second means', async () => {
    const recent = await get(`?measurement=link&field=rtt_ms&target=isp&from=${m}&to=${m + 15 * MINUTE}`);
    assert.deepEqual(recent.body.resolution, { source: 'raw', bucketSeconds: null });
    assert.deepEqual(recent.body.series, {
      'lac-son': [
        [m, 10],
        [m + 20_000, 20],
        [m + 40_000, 60],
      ],
    });
    const hours = await get('?measurement=link&field=rtt_ms&target=isp&minutes=120');
    assert.deepEqual(hours.body.resolution, { source: 'raw', bucketSeconds: 30 });
    assert.deepEqual(hours.body.series, {
      'lac-son': [
        [m, 15],
        [m + 30_000, 60],
      ],
    });
  });

  test('a year-long window is drawn from the 400-day policy', async () => {
    const year = await get('?measurement=link&field=rtt_ms&minutes=525600');
    assert.equal(year.status, 200);
    assert.deepEqual(year.body.resolution, { source: 'year', bucketSeconds: 86_400 });
  });

  test('the latest value per site', async () => {
    const last = await get('/last?measurement=link&field=rtt_ms&target=isp');
    assert.deepEqual(last.body.values, { 'lac-son': [m + 40_000, 60] });
  });

  test('a window that ends before it starts, or reaches past 400 days, is refused naming the parameter', async () => {
    const backwards = await get(`?measurement=link&field=rtt_ms&from=${m}&to=${m - 1}`);
    assert.equal(backwards.status, 400);
    assert.match(backwards.body.error ?? '', /to: must be after from/);
    // A start in the future with no end: the window would end (now) before it starts.
    const future = await get(`?measurement=link&field=rtt_ms&from=${Date.now() + 3_600_000}`);
    assert.equal(future.status, 400);
    assert.match(future.body.error ?? '', /from: must be before now/);
    const empty = await get('?measurement=link&field=rtt_ms&from=');
    assert.equal(empty.status, 400);
    assert.match(empty.body.error ?? '', /from: must be a time in epoch milliseconds/);
    const tooLong = await get('?measurement=link&field=rtt_ms&minutes=1000000');
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error ?? '', /minutes/);
  });

  test('history answers 503 while InfluxDB is down', async () => {
    const own = await startTestInfluxd();
    const noc2 = await startTestNocServer({ influxUrl: own.url });
    try {
      await own.stop();
      const res = await fetchAs(await noc2.adminCookie(), `${noc2.url}/api/history?measurement=link&field=rtt_ms`);
      assert.equal(res.status, 503);
      assert.match(((await res.json()) as { error: string }).error, /unavailable/);
    } finally {
      await noc2.stop();
    }
  });
});
