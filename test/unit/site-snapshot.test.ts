// What a power sample says, as the wall, the site page and the incident rules
// read it: mains, battery with charge and minutes (low by NUT's flag, charge or
// runtime), or the UPS not being read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { powerFromFields, readPower } from '@noc/shared/site-snapshot';

test('a power sample keeps only fields of the right type', () => {
  assert.deepEqual(powerFromFields(5, { on_mains: false, status: 'OB', battery_pct: 80, runtime_s: Number.NaN, input_v: 'x' }), {
    at: 5,
    onMains: false,
    status: 'OB',
    batteryPct: 80,
  });
});

test('mains, battery with charge and minutes, and low by flag, charge or runtime', () => {
  assert.deepEqual(readPower({ at: 0, onMains: true, status: 'OL CHRG' }), { kind: 'mains' });
  assert.deepEqual(readPower({ at: 0, onMains: false, status: 'OB DISCHRG', batteryPct: 63.4, runtimeS: 1099 }), {
    kind: 'battery',
    pct: 63,
    minutes: 18,
    low: false,
  });
  assert.equal((readPower({ at: 0, status: 'OB DISCHRG LB', batteryPct: 60 }) as { low: boolean }).low, true, 'NUT says low');
  assert.equal((readPower({ at: 0, onMains: false, batteryPct: 25 }) as { low: boolean }).low, true, 'charge at the floor');
  assert.equal((readPower({ at: 0, onMains: false, batteryPct: 90, runtimeS: 300 }) as { low: boolean }).low, true, 'runtime at the floor');
  assert.deepEqual(readPower({ at: 0, onMains: false }), { kind: 'battery', pct: null, minutes: null, low: false });
});

test('a status that is not NUT flags means the UPS is not being read', () => {
  assert.deepEqual(readPower({ at: 0, status: 'DRIVER-NOT-CONNECTED' }), { kind: 'lost', status: 'DRIVER-NOT-CONNECTED' });
  assert.deepEqual(readPower({ at: 0, status: 'OL DATA-STALE' }), { kind: 'lost', status: 'OL DATA-STALE' });
});
