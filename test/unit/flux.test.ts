import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fluxAggregate, fluxCountsTask, fluxMeansTask, fluxMinutes, fluxString } from '../../dashboard/server/store/flux.ts';

test('Flux strings escape quotes, backslashes and interpolation', () => {
  assert.equal(fluxString('a"b'), '"a\\"b"');
  assert.equal(fluxString('a\\b'), '"a\\\\b"');
  assert.equal(fluxString('${x}'), '"\\${x}"');
});

test('an aggregate reads one window from the bucket of its source, with the year fields on year', () => {
  const q = fluxAggregate('noc', {
    measurement: 'env',
    fields: ['temp_c'],
    from: Date.UTC(2026, 0, 1),
    to: Date.UTC(2026, 0, 2) - 1,
    fn: 'max',
    source: 'year',
    tags: { site: 'da-bac"' },
  });
  assert.match(q, /^from\(bucket: "noc\/year"\)/);
  assert.match(q, /range\(start: 2026-01-01T00:00:00\.000Z, stop: 2026-01-02T00:00:00\.000Z\)/);
  assert.match(q, /set: \["mean_temp_c"\]/);
  assert.match(q, /r\["site"\] == "da-bac\\""/);
  assert.match(q, /aggregateWindow\(every: 86400000ms, offset: 0ms, fn: max, createEmpty: false\)/);
});

test('an aggregate no store could answer is refused before any Flux is made', () => {
  const base = { measurement: 'env', fields: ['temp_c'], from: 0, to: 1000, fn: 'mean' } as const;
  assert.throws(() => fluxAggregate('noc', { ...base, fields: ['temp_c) |> drop('] }), /not a numeric field of env/);
  assert.throws(() => fluxAggregate('noc', { ...base, fn: 'sum' as 'mean' }), /unknown aggregate "sum"/);
  assert.throws(() => fluxAggregate('noc', { ...base, to: -1 }), /end after it starts/);
  assert.throws(() => fluxAggregate('noc', { ...base, fields: [] }), /at least one field/);
});

test('the downsampling task reads the raw bucket and writes mean_<field> into year every minute', () => {
  const task = fluxMeansTask('noc');
  assert.match(task, /option task = \{name: "noc means_1m", every: 1m\}/);
  assert.match(task, /from\(bucket: "noc\/raw"\)/);
  assert.match(task, /"mean_" \+ r\._field/);
  assert.match(task, /to\(bucket: "noc\/year"\)/);
});

test('the counts task writes count_<field> and true_<field> of every yes/no field into year every minute', () => {
  const task = fluxCountsTask('noc');
  assert.match(task, /option task = \{name: "noc counts_1m", every: 1m\}/);
  assert.match(task, /types\.isType\(v: r\._value, type: "bool"\)/);
  assert.match(task, /"count_" \+ r\._field/);
  assert.match(
    task,
    /r\._value == true\)\n {2}\|> aggregateWindow\(every: 1m, fn: count, createEmpty: false, timeSrc: "_start"\)\n {2}\|> map\(fn: \(r\) => \(\{r with _field: "true_" \+ r\._field\}\)\)/,
  );
});

test("a minutes query reads a numeric field's means, and a yes/no field's share of yes from its counts", () => {
  const windows = [{ from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 1, 1) }];
  const rtt = fluxMinutes('noc', { measurement: 'link', field: 'rtt_ms', windows }, 'sum');
  assert.match(rtt, /r\._field == "mean_rtt_ms"/);
  assert.doesNotMatch(rtt, /pivot/);
  const up = fluxMinutes('noc', { measurement: 'link', field: 'reachable', tags: { target: 'sfu' }, windows }, 'count');
  assert.match(up, /r\._field == "count_reachable" or r\._field == "true_reachable"/);
  assert.match(up, /pivot\(rowKey: \["_time"\], columnKey: \["_field"\], valueColumn: "_value"\)/);
  assert.match(up, /if exists r\.true_reachable then float\(v: r\.true_reachable\) else 0\.0\) \/ float\(v: r\.count_reachable\)/);
  assert.match(up, /\|> count\(\)/);
});
