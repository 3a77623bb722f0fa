// Grafana's macros and template variables replaced in a dashboard query as
// Grafana's InfluxDB datasource sends it, and the schema names read from an
// InfluxQL or Flux query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInterval, substituteMacros } from '@noc/grafana/macros';
import { queryNames, schemaProblems } from '@noc/grafana/query-schema';

const ctx = { from: 1_700_000_000_000, to: 1_700_003_600_000, intervalMs: 10_000, bucket: 'noc/raw', organization: 'noc' };

test('InfluxQL: $timeFilter as absolute ms, $__interval, $site as it is and regex-escaped inside /…/', () => {
  const q =
    'SELECT mean("rtt_ms") AS "rtt_ms" FROM "link" WHERE "site" =~ /^$site$/ AND "target" = \'${target}\' AND $timeFilter GROUP BY time($__interval) fill(null)';
  assert.equal(
    substituteMacros('influxql', q, { ...ctx, variables: { site: 'da.bac(1)', target: 'sfu' } }),
    'SELECT mean("rtt_ms") AS "rtt_ms" FROM "link" WHERE "site" =~ /^da\\.bac\\(1\\)$/ AND "target" = \'sfu\' AND time >= 1700000000000ms and time <= 1700003600000ms GROUP BY time(10s) fill(null)',
  );
  assert.equal(
    substituteMacros('influxql', 'SHOW TAG VALUES FROM "link" WITH KEY = "site"', ctx),
    'SHOW TAG VALUES FROM "link" WITH KEY = "site"',
  );
});

test('Flux: v.timeRangeStart/Stop as times, v.windowPeriod, v.defaultBucket and ${var}', () => {
  const q =
    'from(bucket: v.defaultBucket)\n  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)\n  |> filter(fn: (r) => r.node == "${node}")\n  |> aggregateWindow(every: v.windowPeriod, fn: mean)';
  assert.equal(
    substituteMacros('flux', q, { ...ctx, variables: { node: 'main' } }),
    'from(bucket: "noc/raw")\n  |> range(start: time(v: "2023-11-14T22:13:20.000Z"), stop: time(v: "2023-11-14T23:13:20.000Z"))\n  |> filter(fn: (r) => r.node == "main")\n  |> aggregateWindow(every: 10s, fn: mean)',
  );
});

test('a variable without a value, a bad range or interval, and Flux without a bucket are errors naming the problem', () => {
  assert.throws(
    () => substituteMacros('influxql', 'SELECT "x" FROM "link" WHERE "site" = \'$site\'', ctx),
    /template variable \$site, which has no value/,
  );
  assert.throws(() => substituteMacros('influxql', 'SELECT 1', { ...ctx, to: ctx.from }), /must start before it ends/);
  assert.throws(
    () => substituteMacros('flux', 'from(bucket: v.defaultBucket)', { ...ctx, bucket: undefined }),
    /needs the datasource's bucket/,
  );
  assert.throws(() => formatInterval(0), /positive whole number/);
  assert.deepEqual(
    [formatInterval(10_000), formatInterval(60_000), formatInterval(1500), formatInterval(7_200_000)],
    ['10s', '1m', '1500ms', '2h'],
  );
});

test('the schema names of a query: InfluxQL fields and their columns, tags in WHERE and GROUP BY; Flux _measurement, _field and tags', () => {
  assert.deepEqual(
    queryNames(
      'influxql',
      'SELECT last("grade") AS "grade", max("mos") FROM "quality" WHERE "site" =~ /^$site$/ AND $timeFilter GROUP BY time($__interval), "site" fill(null)',
    ),
    { measurement: 'quality', fields: ['grade', 'mos'], columns: ['grade', 'max'], tags: ['site'] },
  );
  assert.deepEqual(
    queryNames(
      'flux',
      'from(bucket: v.defaultBucket)\n |> filter(fn: (r) => r._measurement == "sfu" and r["node"] == "main")\n |> filter(fn: (r) => r._field == "cpu_pct" or r._field == "rss_mb")',
    ),
    {
      measurement: 'sfu',
      fields: ['cpu_pct', 'rss_mb'],
      columns: ['cpu_pct', 'rss_mb'],
      tags: ['node'],
    },
  );
  assert.throws(() => queryNames('influxql', 'SELECT * FROM "link"'), /selects "\*"/);
  assert.throws(() => queryNames('flux', 'from(bucket: "x") |> range(start: -1h)'), /exactly one _measurement/);
  assert.deepEqual(schemaProblems(queryNames('influxql', 'SHOW TAG VALUES FROM "sfu" WITH KEY = "site"')), [
    'tag "site" is not a tag of "sfu" (tags: node, worker)',
  ]);
  assert.deepEqual(schemaProblems(queryNames('influxql', 'SHOW TAG VALUES FROM "link" WITH KEY = "site"')), []);
});
