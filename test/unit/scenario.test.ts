import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '@noc/shared/sites-loader';
import { loadScenario, parseScenario, ScenarioError } from '../../probes/src/simulator/scenario.ts';
import { Timeline } from '../../probes/src/simulator/timeline.ts';

const sites = new Set((await loadRegistry()).sites.map((s) => s.id));

test('the default scenario loads and names only sites of the registry', async () => {
  const scenario = await loadScenario(fileURLToPath(new URL('../../probes/scenarios/default.json', import.meta.url)), sites);
  assert.ok(scenario.faults.length >= 6);
  assert.deepEqual(new Set(scenario.faults.map((f) => f.fault)), new Set(['link-degradation', 'link-cut', 'power-cut', 'ups-driver-loss', 'room-hot', 'probe-restart']));
});

test('a bad scenario is refused naming the field', () => {
  const bad = (faults: unknown) => () => parseScenario(JSON.stringify({ name: 'x', faults }), 's.json', sites);
  assert.throws(bad([{ fault: 'link-cut', site: 'da-bac', at: 'soon', durationS: 5 }]), (e: unknown) => e instanceof ScenarioError && /faults\[0\]\.at/.test(e.message));
  assert.throws(bad([{ fault: 'flood', site: 'da-bac', at: '+1m' }]), /faults\[0\]\.fault/);
  assert.throws(bad([{ fault: 'link-cut', site: 'atlantis', at: '+1m', durationS: 5 }]), /faults\[0\]\.site: unknown site "atlantis"/);
  assert.throws(() => parseScenario('{', 's.json', sites), /invalid JSON/);
});

test('the timeline says which faults hold at a site and when', () => {
  const scenario = parseScenario(
    JSON.stringify({
      name: 't',
      meetings: [{ kind: 'hop', title: 'Họp', at: '+1m', durationMin: 10, sites: ['da-bac'] }],
      faults: [
        { fault: 'link-cut', site: 'da-bac', at: '+30s', durationS: 60 },
        { fault: 'room-hot', site: 'da-bac', at: '+2m', durationS: 60, tempC: 38 },
        { fault: 'power-cut', site: 'lac-son', at: '+1m', durationS: 600, drainMinutes: 20 },
        { fault: 'probe-restart', site: 'yen-thuy', at: '+90s' },
      ],
    }),
    's.json',
    sites,
  );
  const tl = new Timeline(scenario);
  assert.equal(tl.at('da-bac', 29_000).linkCut, false);
  assert.equal(tl.at('da-bac', 30_000).linkCut, true);
  assert.equal(tl.at('da-bac', 90_000).linkCut, false);
  assert.equal(tl.at('da-bac', 61_000).inMeeting, true);
  assert.equal(tl.at('mai-chau', 61_000).inMeeting, false);
  assert.deepEqual(tl.at('da-bac', 150_000).room, { tempC: 38, humidityPct: 85 });
  assert.deepEqual(tl.at('lac-son', 120_000).powerCut, { since: 60_000, drainMs: 20 * 60_000 });
  assert.deepEqual(tl.restartsBetween(60_000, 90_000), ['yen-thuy']);
  assert.deepEqual(tl.restartsBetween(90_000, 120_000), []);
});
