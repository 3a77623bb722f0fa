// The alerts the wall lists: which site conditions open one, with what
// severity and since when, and what the main SFU being down suppresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HealthReport } from '@noc/shared/health';
import { AlertBook, healthConditions, isSfuMainDown, siteConditions, type SiteSnapshot } from '@noc/shared/site-alerts';

const NOW = 1_750_000_000_000;

function healthy(patch: Partial<SiteSnapshot> = {}): SiteSnapshot {
  return {
    site: 'da-bac',
    lastHeartbeat: NOW - 800,
    grade: 'good',
    link: { at: NOW - 900, rttMs: 45, jitterMs: 3 },
    power: { at: NOW - 1000, onMains: true, status: 'OL', batteryPct: 100, runtimeS: 1800 },
    env: { at: NOW - 1000, tempC: 27, humidityPct: 65 },
    spool: [
      [NOW - 2000, 0],
      [NOW - 1000, 0],
    ],
    ...patch,
  };
}

const keys = (s: SiteSnapshot, opts = {}) => siteConditions(s, NOW, opts).map((c) => `${c.severity}:${c.key}`);

test('a healthy site raises nothing', () => {
  assert.deepEqual(keys(healthy()), []);
});

test('no heartbeat for 10 s: stale since the last one, and nothing else from the old figures', () => {
  assert.deepEqual(keys(healthy({ lastHeartbeat: NOW - 10_000 })), [], 'exactly 10 s is still in time');
  const old = healthy({ lastHeartbeat: NOW - 10_001, grade: 'terrible', power: { at: NOW - 11_000, onMains: false, batteryPct: 10 } });
  const conditions = siteConditions(old, NOW);
  assert.deepEqual(conditions, [{ site: 'da-bac', severity: 'critical', key: 'stale', params: {}, since: NOW - 10_001 }]);
  assert.deepEqual(keys(healthy({ lastHeartbeat: null })), ['critical:stale'], 'never heard of');
});

test('quality, RTT and jitter past their thresholds', () => {
  assert.deepEqual(keys(healthy({ grade: 'bad' })), ['warning:qualityBad']);
  assert.deepEqual(keys(healthy({ grade: 'terrible' })), ['major:qualityTerrible']);
  assert.deepEqual(keys(healthy({ grade: 'ok' })), []);
  assert.deepEqual(keys(healthy({ link: { at: NOW, rttMs: 300, jitterMs: 30 } })), [], 'the thresholds themselves are fine');
  const slow = siteConditions(healthy({ link: { at: NOW, rttMs: 312.4, jitterMs: 31.26 } }), NOW);
  assert.deepEqual(
    slow.map((c) => [c.key, c.params]),
    [
      ['rttHigh', { rtt: 312 }],
      ['jitterHigh', { jitter: 31.3 }],
    ],
  );
});

test('on battery: major with charge and minutes left; low battery: critical', () => {
  const onBattery = siteConditions(healthy({ power: { at: NOW, onMains: false, status: 'OB DISCHRG', batteryPct: 63, runtimeS: 1090 } }), NOW);
  assert.deepEqual(onBattery.map((c) => [c.severity, c.key, c.params]), [['major', 'onBattery', { pct: 63, minutes: 18 }]]);
  assert.deepEqual(keys(healthy({ power: { at: NOW, status: 'OB DISCHRG LB', batteryPct: 40, runtimeS: 900 } })), ['critical:batteryLow'], 'NUT low-battery flag');
  assert.deepEqual(keys(healthy({ power: { at: NOW, onMains: false, batteryPct: 25, runtimeS: 900 } })), ['critical:batteryLow'], 'charge');
  assert.deepEqual(keys(healthy({ power: { at: NOW, onMains: false, batteryPct: 80, runtimeS: 300 } })), ['critical:batteryLow'], 'runtime');
  assert.deepEqual(keys(healthy({ power: { at: NOW, onMains: true, status: 'OL CHRG', batteryPct: 20 } })), [], 'charging on mains');
});

test('a UPS that is not being read is reported with the status NUT gave', () => {
  const lost = siteConditions(healthy({ power: { at: NOW, status: 'DRIVER-NOT-CONNECTED' } }), NOW);
  assert.deepEqual(lost.map((c) => [c.severity, c.key, c.params]), [['warning', 'upsLost', { status: 'DRIVER-NOT-CONNECTED' }]]);
  assert.deepEqual(keys(healthy({ power: { at: NOW, status: 'UPSD-UNREACHABLE' } })), ['warning:upsLost']);
  assert.deepEqual(keys(healthy({ power: { at: NOW - 61_000, status: 'UPSD-UNREACHABLE' } })), [], 'a reading a minute old says nothing');
});

test('a hot or humid room', () => {
  assert.deepEqual(keys(healthy({ env: { at: NOW, tempC: 35, humidityPct: 80 } })), []);
  const room = siteConditions(healthy({ env: { at: NOW, tempC: 36.24, humidityPct: 84.6 } }), NOW);
  assert.deepEqual(
    room.map((c) => [c.key, c.params]),
    [
      ['tempHigh', { temp: 36.2 }],
      ['humidityHigh', { humidity: 85 }],
    ],
  );
});

test('a probe spool that keeps growing over the last 30 s', () => {
  const growing: [number, number][] = [
    [NOW - 40_000, 0],
    [NOW - 25_000, 12],
    [NOW - 10_000, 30],
    [NOW - 1000, 45],
  ];
  assert.deepEqual(siteConditions(healthy({ spool: growing }), NOW).map((c) => [c.key, c.params]), [['spoolGrowing', { depth: 45 }]]);
  const draining: [number, number][] = [
    [NOW - 20_000, 90],
    [NOW - 1000, 40],
  ];
  assert.deepEqual(keys(healthy({ spool: draining })), [], 'a spool that drains after an outage is fine');
  const small: [number, number][] = [
    [NOW - 20_000, 1],
    [NOW - 1000, 5],
  ];
  assert.deepEqual(keys(healthy({ spool: small })), [], 'a few samples waiting are normal');
});

function health(sfu: 'up' | 'down', sfuBackup: 'up' | 'down' | 'disabled'): HealthReport {
  const c = (state: 'up' | 'down' | 'disabled', detail: string) => ({ state, detail, checkedAt: NOW });
  return {
    status: sfu === 'up' ? 'ok' : 'down',
    time: NOW,
    components: {
      store: { ...c('up', 'influxd answers'), kind: 'influxdb' },
      sfu: c(sfu, sfu === 'up' ? '2 workers' : 'no answer on /health for 6 s'),
      sfuBackup: c(sfuBackup, 'backup'),
      simulator: { ...c('up', ''), sitesReporting: 12, sitesTotal: 12 },
    },
  };
}

test('the main SFU down is critical at the Sở and silences the link alarms it causes', () => {
  const down = health('down', 'up');
  assert.deepEqual(healthConditions(down, 'so-gddt', 'tp-hoa-binh'), [
    { site: 'so-gddt', severity: 'critical', key: 'sfuMainDown', params: { detail: 'no answer on /health for 6 s' } },
  ]);
  assert.equal(isSfuMainDown(down), true);
  const cut = healthy({ grade: 'terrible', link: { at: NOW, rttMs: 900, jitterMs: 80 }, power: { at: NOW, onMains: false, batteryPct: 70 } });
  assert.deepEqual(keys(cut, { sfuMainDown: true }), ['major:onBattery'], 'power is not the SFU’s doing');
  assert.deepEqual(healthConditions(health('up', 'down'), 'so-gddt', 'tp-hoa-binh').map((c) => c.key), ['sfuBackupDown']);
  assert.deepEqual(healthConditions(health('up', 'disabled'), 'so-gddt', 'tp-hoa-binh'), []);
  assert.deepEqual(healthConditions(null, 'so-gddt', 'tp-hoa-binh'), []);
});

test('the book keeps when each alert opened, lists the newest first and closes what ended', () => {
  const book = new AlertBook();
  const battery = { site: 'mai-chau', severity: 'major', key: 'onBattery', params: { pct: 90 } } as const;
  const hot = { site: 'tan-lac', severity: 'warning', key: 'tempHigh', params: { temp: 36 } } as const;
  const stale = { site: 'da-bac', severity: 'critical', key: 'stale', params: {}, since: NOW - 30_000 } as const;
  assert.deepEqual(
    book.update(NOW, [battery]).map((a) => [a.site, a.since]),
    [['mai-chau', NOW]],
  );
  const later = book.update(NOW + 5000, [{ ...battery, params: { pct: 88 } }, hot, stale]);
  assert.deepEqual(
    later.map((a) => [a.site, a.key, a.since]),
    [
      ['tan-lac', 'tempHigh', NOW + 5000],
      ['mai-chau', 'onBattery', NOW],
      ['da-bac', 'stale', NOW - 30_000],
    ],
  );
  assert.deepEqual(later[1]!.params, { pct: 88 }, 'figures follow the data');
  assert.deepEqual(
    book.update(NOW + 6000, [hot]).map((a) => a.key),
    ['tempHigh'],
  );
  assert.equal(book.update(NOW + 7000, [battery])[0]!.since, NOW + 7000, 'a condition back again is a new alert');
});
