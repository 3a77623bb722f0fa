import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escape } from '@influxdata/influxdb-client';
import { toLine } from '../../dashboard/server/store/line-protocol.ts';

test('a point is one line: escaped names, tags and strings, numbers as floats, booleans, ms time', () => {
  assert.equal(
    toLine({
      measurement: 'power',
      tags: { site: 'a site, with=odd' },
      fields: { status: 'OB "DISCHRG" \\ LB', battery_pct: 100, on_mains: false },
      time: 1700000000123.4,
    }),
    'power,site=a\\ site\\,\\ with\\=odd status="OB \\"DISCHRG\\" \\\\ LB",battery_pct=100,on_mains=false 1700000000123',
  );
  assert.equal(toLine({ measurement: 'link', tags: {}, fields: { rtt_ms: 0.25 }, time: 5 }), 'link rtt_ms=0.25 5');
});

test('tag values and strings are escaped exactly as influxdb-client escapes them, whatever they hold', () => {
  const odd = ['plain', 'a b', 'a,b', 'a=b', 'back\\slash', 'line\nbreak', 'tab\there', 'cr\rhere', 'quote"d', '', 'Đà Bắc'];
  for (const s of odd) {
    const line = toLine({ measurement: 'power', tags: { site: s || 'x' }, fields: { status: s }, time: 1 });
    assert.equal(line, `power,site=${escape.tag(s || 'x')} status=${escape.quoted(s)} 1`, JSON.stringify(s));
  }
});
