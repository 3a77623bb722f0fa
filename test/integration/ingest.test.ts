// A sample a probe sends reaches the real InfluxDB through the gateway, and a
// bad one is refused with the field named and nothing written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { LiveEvent } from '@noc/shared/live';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { fetchAs } from '../fixtures/auth.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';

async function ingest(noc: NocFixture, body: unknown, token: string | null = noc.tokenFor('da-bac'), raw?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${noc.url}/api/ingest`, { method: 'POST', headers, body: raw ?? JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: string; field?: string; accepted?: number } };
}

const link = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  measurement: 'link',
  tags: { target: 'sfu' },
  fields,
  ...extra,
});

describe('ingest gateway with a real InfluxDB', () => {
  let influx: InfluxdFixture;
  let noc: NocFixture;
  const countLinks = async () => {
    const series = await influx.query('SELECT count("rtt_ms") FROM "link"');
    return (series[0]?.values[0]?.[1] as number | undefined) ?? 0;
  };

  before(async () => {
    influx = await startTestInfluxd();
    noc = await startTestNocServer({ influxUrl: influx.url });
  });
  after(async () => {
    await noc?.stop();
    await influx?.stop();
  });

  test('a sample written through the gateway is read back from InfluxDB, stamped with the probe site', async () => {
    const time = Date.now() - 1000;
    const res = await ingest(noc, { samples: [link({ rtt_ms: 42.5, loss_pct: 0.4, reachable: true }, { time })] });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.accepted, 1);
    const series = await influx.query(`SELECT "rtt_ms", "loss_pct", "reachable", "site", "target" FROM "link" WHERE time = ${time}ms`);
    assert.deepEqual(series[0]?.values, [[time, 42.5, 0.4, true, 'da-bac', 'sfu']]);
    // The same point through the API the wall reloads its charts from.
    const history = (await (
      await fetchAs(await noc.adminCookie(), `${noc.url}/api/history?measurement=link&field=rtt_ms&target=sfu`)
    ).json()) as {
      series: Record<string, [number, number][]>;
    };
    assert.deepEqual(history.series['da-bac'], [[time, 42.5]]);
  });

  test('the database is created with 14-day raw retention and a 400-day downsampled policy', async () => {
    const policies = await influx.query('SHOW RETENTION POLICIES ON "noc"');
    // By column name: 1.12 lists more columns than 1.8 did.
    const column = (name: string) => policies[0]?.columns.indexOf(name) ?? -1;
    const byName = Object.fromEntries((policies[0]?.values ?? []).map((row) => [row[0], row]));
    assert.equal(byName.raw?.[column('duration')], '336h0m0s');
    assert.equal(byName.raw?.[column('default')], true, 'raw is the default policy');
    assert.equal(byName.year?.[column('duration')], '9600h0m0s');
    const cqs = await influx.query('SHOW CONTINUOUS QUERIES');
    assert.ok(
      cqs.some((s) => s.name === 'noc' && s.values.some((row) => row[0] === 'means_1m')),
      JSON.stringify(cqs),
    );
  });

  const refusals: [string, unknown, number, RegExp, string | undefined][] = [
    ['a negative RTT', { samples: [link({ rtt_ms: -1 })] }, 400, />=0/, 'samples[0].fields.rtt_ms'],
    ['loss above 100%', { samples: [link({ loss_pct: 130 })] }, 400, /<=100/, 'samples[0].fields.loss_pct'],
    ['a number given as text', { samples: [link({ rtt_ms: '12' })] }, 400, /expected number/, 'samples[0].fields.rtt_ms'],
    ['an unknown field', { samples: [link({ rtt: 12 })] }, 400, /Unrecognized key/, 'samples[0].fields.rtt'],
    [
      'a site tag set by the probe',
      { samples: [{ measurement: 'link', tags: { target: 'sfu', site: 'so-gddt' }, fields: { rtt_ms: 1 } }] },
      400,
      /Unrecognized key/,
      'samples[0].tags.site',
    ],
    [
      'an unknown measurement',
      { samples: [{ measurement: 'cpu', tags: {}, fields: { x: 1 } }] },
      400,
      /measurement/,
      'samples[0].measurement',
    ],
    [
      'a sample from the SFU measurement',
      { samples: [{ measurement: 'sfu', tags: { node: 'main', worker: '1' }, fields: { rooms: 1 } }] },
      400,
      /measurement/,
      'samples[0].measurement',
    ],
    ['a sample with no fields', { samples: [link({})] }, 400, /at least one field/, 'samples[0].fields'],
    ['a time in the future', { samples: [link({ rtt_ms: 1 }, { time: Date.now() + 3600_000 })] }, 400, /future/, 'samples[0].time'],
    ['an empty batch', { samples: [] }, 400, /at least one sample/, 'samples'],
    [
      'a bad sample after a good one',
      { samples: [link({ rtt_ms: 5 }), link({ jitter_ms: -4 })] },
      400,
      />=0/,
      'samples[1].fields.jitter_ms',
    ],
  ];
  for (const [what, body, status, message, field] of refusals) {
    test(`${what} is refused with ${status} naming the field, and nothing is written`, async () => {
      const before = await countLinks();
      const res = await ingest(noc, body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.body.error ?? '', message);
      assert.equal(res.body.field, field);
      assert.equal(await countLinks(), before);
    });
  }

  test('malformed JSON, Infinity and NaN, a missing or forged token and an oversized body are refused', async () => {
    const before = await countLinks();
    const bad = await ingest(noc, null, noc.tokenFor('da-bac'), '{"samples": [');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error ?? '', /JSON/);
    // JSON has no NaN; 1e999 parses to Infinity, and "NaN" is text: both are refused with the field named.
    const infinite = await ingest(
      noc,
      null,
      noc.tokenFor('da-bac'),
      '{"samples":[{"measurement":"link","tags":{"target":"sfu"},"fields":{"rtt_ms":1e999}}]}',
    );
    assert.equal(infinite.status, 400, JSON.stringify(infinite.body));
    assert.equal(infinite.body.field, 'samples[0].fields.rtt_ms');
    const nan = await ingest(noc, { samples: [link({ jitter_ms: 'NaN' })] });
    assert.equal(nan.status, 400);
    assert.equal(nan.body.field, 'samples[0].fields.jitter_ms');
    const anonymous = await ingest(noc, { samples: [link({ rtt_ms: 1 })] }, null);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.body.error ?? '', /token/);
    const forged = await ingest(noc, { samples: [link({ rtt_ms: 1 })] }, `so-gddt.${'A'.repeat(43)}`);
    assert.equal(forged.status, 401);
    const unknownSite = await ingest(noc, { samples: [link({ rtt_ms: 1 })] }, noc.tokenFor('no-such-site'));
    assert.equal(unknownSite.status, 403);
    const huge = await ingest(
      noc,
      null,
      noc.tokenFor('da-bac'),
      JSON.stringify({ samples: [link({ rtt_ms: 1 })], pad: 'x'.repeat(300_000) }),
    );
    assert.equal(huge.status, 413);
    assert.equal(await countLinks(), before);
    // The server is still serving.
    assert.equal((await ingest(noc, { samples: [link({ rtt_ms: 7 })] })).status, 202);
  });

  test("an SFU node's token writes media for any site and its own load, but nothing for another node", async () => {
    const { issueNodeToken } = await import('@noc/shared/probe-token');
    const token = issueNodeToken(noc.server.ctx.secret, 'main');
    const media = {
      measurement: 'media',
      tags: { site: 'yen-thuy', kind: 'video', direction: 'send', node: 'main' },
      fields: { bitrate_kbps: 812.5, score: 9 },
    };
    const ok = await ingest(
      noc,
      { samples: [media, { measurement: 'sfu', tags: { node: 'main', worker: '4242' }, fields: { producers: 3 } }] },
      token,
    );
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
    const rows = await influx.query(`SELECT "bitrate_kbps" FROM "media" WHERE "site" = 'yen-thuy' AND "node" = 'main'`);
    assert.equal(rows[0]?.values[0]?.[1], 812.5);
    const other = await ingest(noc, { samples: [{ ...media, tags: { ...media.tags, node: 'backup' } }] }, token);
    assert.equal(other.status, 422, 'a sample outside the token’s scope is the batch’s fault, not the token’s');
    assert.equal(other.body.field, 'samples[0].tags.node');
    const unknown = await ingest(noc, { samples: [{ ...media, tags: { ...media.tags, site: 'atlantis' } }] }, token);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.field, 'samples[0].tags.site');
    const probeLink = await ingest(noc, { samples: [link({ rtt_ms: 1 })] }, token);
    assert.equal(probeLink.status, 400, 'a node does not send link samples');
  });

  test("a room page's access token sends only its own site's media figures", async () => {
    const { issueAccessToken } = await import('@noc/shared/access-token');
    const exp = Date.now() + 60_000;
    const token = issueAccessToken(noc.server.ctx.secret, { role: 'site', site: 'tan-lac', exp });
    const media = { measurement: 'media', tags: { kind: 'video', direction: 'recv' }, fields: { fps: 14.5, freeze_count: 0 } };
    const ok = await ingest(noc, { samples: [media] }, token);
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
    const rows = await influx.query(`SELECT "fps", "node" FROM "media" WHERE "site" = 'tan-lac' AND "direction" = 'recv'`);
    assert.deepEqual(
      rows[0]?.values.map((r) => [r[1], r[2]]),
      [[14.5, null]],
    );
    const linkFromPage = await ingest(noc, { samples: [link({ rtt_ms: 3 })] }, token);
    assert.equal(linkFromPage.status, 422);
    const posingAsNode = await ingest(noc, { samples: [{ ...media, tags: { ...media.tags, node: 'main' } }] }, token);
    assert.equal(posingAsNode.status, 422);
    const operator = issueAccessToken(noc.server.ctx.secret, { role: 'operator', exp });
    assert.equal((await ingest(noc, { samples: [media] }, operator)).status, 403);
    const expired = issueAccessToken(noc.server.ctx.secret, { role: 'site', site: 'tan-lac', exp: Date.now() - 1 });
    assert.equal((await ingest(noc, { samples: [media] }, expired)).status, 401);
  });

  test('accepted samples go out on the live feed', async () => {
    const socket = new WebSocket(`${noc.url.replace('http', 'ws')}/api/live`, { headers: { cookie: await noc.adminCookie() } });
    const events: LiveEvent[] = [];
    socket.on('message', (data) => events.push(JSON.parse(String(data)) as LiveEvent));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    try {
      const hello = await waitForEvent(events, (e) => e.type === 'hello');
      assert.equal(hello.type === 'hello' && hello.sites.length, 12);
      await ingest(noc, { samples: [link({ rtt_ms: 77.7 })] }, noc.tokenFor('kim-boi'));
      const got = await waitForEvent(events, (e) => e.type === 'samples');
      assert.ok(got.type === 'samples');
      assert.equal(got.samples[0]?.site, 'kim-boi');
      assert.equal(got.samples[0]?.fields.rtt_ms, 77.7);
    } finally {
      socket.close();
    }
  });

  test('when InfluxDB is down the gateway keeps accepting into its on-disk buffer, and health says so', async () => {
    const own = await startTestInfluxd();
    const noc2 = await startTestNocServer({ influxUrl: own.url });
    try {
      await own.stop();
      const res = await ingest(
        noc2,
        { samples: [link({ rtt_ms: 3 }), link({ rtt_ms: 4 }, { time: Date.now() - 1 })] },
        noc2.tokenFor('da-bac'),
      );
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.body.accepted, 2);
      const health = await noc2.server.ctx.health.check();
      assert.equal(health.components.store.state, 'down');
      assert.match(health.components.store.detail, /unreachable.*; 2 samples kept in the ingest buffer until it answers/);
      assert.equal(health.status, 'down');
    } finally {
      await noc2.stop();
    }
  });
});

describe('ingest gateway with the embedded store', () => {
  test('a sample is stored and read back through the history API', async () => {
    const noc = await startTestNocServer();
    try {
      assert.equal(noc.server.ctx.store.kind, 'embedded');
      const time = Date.now() - 500;
      const res = await ingest(noc, {
        samples: [link({ rtt_ms: 12.25 }, { time }), { measurement: 'probe', tags: {}, fields: { seq: 1 } }],
      });
      assert.equal(res.status, 202);
      const admin = await noc.adminCookie();
      const history = (await (await fetchAs(admin, `${noc.url}/api/history?measurement=link&field=rtt_ms&target=sfu`)).json()) as {
        series: Record<string, [number, number][]>;
      };
      assert.deepEqual(history.series, { 'da-bac': [[time, 12.25]] });
      const bad = await fetchAs(admin, `${noc.url}/api/history?measurement=link&field=status`);
      assert.equal(bad.status, 400);
      assert.deepEqual(await bad.json(), {
        error:
          'invalid history query: field: "status" is not a numeric field of link (one of: rtt_ms, jitter_ms, loss_pct, up_kbps, down_kbps)',
        field: 'field',
      });
    } finally {
      await noc.stop();
    }
  });
});

async function waitForEvent(events: LiveEvent[], match: (e: LiveEvent) => boolean): Promise<LiveEvent> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = events.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching live event; got ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
