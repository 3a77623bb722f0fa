import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readServerConfig } from '../../dashboard/server/config.ts';

test('INFLUX_TOKEN and INFLUX_ORG are read, empty meaning unset', () => {
  const config = readServerConfig({ INFLUX_URL: 'http://127.0.0.1:8086/', INFLUX_TOKEN: 'tok', INFLUX_ORG: 'so-gddt' });
  assert.equal(config.influxUrl, 'http://127.0.0.1:8086');
  assert.equal(config.influxToken, 'tok');
  assert.equal(config.influxOrg, 'so-gddt');
  assert.equal(config.influxDb, 'noc');
  const unset = readServerConfig({ INFLUX_TOKEN: '', INFLUX_ORG: '' });
  assert.equal(unset.influxToken, null);
  assert.equal(unset.influxOrg, null);
});

test('an INFLUX_DB that cannot name a database and its buckets is refused, naming it', () => {
  assert.equal(readServerConfig({ INFLUX_DB: 'noc-2026.a_b' }).influxDb, 'noc-2026.a_b');
  for (const bad of ['noc/raw', 'a"b', 'a b', 'x'.repeat(65)]) {
    assert.throws(() => readServerConfig({ INFLUX_DB: bad }), new RegExp(`INFLUX_DB "${bad.slice(0, 10)}.*is not a database name`));
  }
});
