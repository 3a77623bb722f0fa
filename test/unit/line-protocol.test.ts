import { test } from 'node:test';
import assert from 'node:assert/strict';
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
