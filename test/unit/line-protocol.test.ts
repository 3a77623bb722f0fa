import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quoteIdent, quoteLiteral, toLineProtocol } from '../../dashboard/server/store/line-protocol.ts';

test('points are written as line protocol with escaping and float numbers', () => {
  const line = toLineProtocol([
    {
      measurement: 'power',
      tags: { site: 'da bac,x=1' },
      fields: { battery_pct: 100, status: 'OB "DISCHRG"', on_mains: false, input_v: 228.5 },
      time: 1700000000123,
    },
  ]);
  assert.equal(line, 'power,site=da\\ bac\\,x\\=1 battery_pct=100.0,status="OB \\"DISCHRG\\"",on_mains=false,input_v=228.5 1700000000123');
});

test('non-finite numbers are refused rather than written', () => {
  assert.throws(() => toLineProtocol([{ measurement: 'env', tags: {}, fields: { temp_c: NaN }, time: 1 }]), /non-finite/);
});

test('InfluxQL identifiers and literals are quoted', () => {
  assert.equal(quoteIdent('a"b'), '"a\\"b"');
  assert.equal(quoteLiteral("it's"), "'it\\'s'");
});
