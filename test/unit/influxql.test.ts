import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quoteIdent, quoteLiteral } from '../../dashboard/server/store/influxql.ts';

test('InfluxQL identifiers and literals are quoted', () => {
  assert.equal(quoteIdent('a"b'), '"a\\"b"');
  assert.equal(quoteIdent('a\\b'), '"a\\\\b"');
  assert.equal(quoteLiteral("it's"), "'it\\'s'");
  assert.equal(quoteLiteral('x\\'), "'x\\\\'");
});
