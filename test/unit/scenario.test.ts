import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '@noc/shared/sites-loader';
import { injectedFaultSchema, loadScenario, NO_SCENARIO, parseScenario, ScenarioError } from '../../probes/src/simulator/scenario.ts';
import { HEALTHY, SiteModel } from '../../probes/src/simulator/site-model.ts';
import { Timeline } from '../../probes/src/simulator/timeline.ts';

const sites = new Set((await loadRegistry()).sites.map((s) => s.id));

test('the default scenario loads and names only sites of the registry', async () => {
  const scenario = await loadScenario(fileURLToPath(new URL('../../probes/scenarios/default.json', import.meta.url)), sites);
  assert.ok(scenario.faults.length >= 6);
  assert.equal(scenario.meetings[0]?.at, 0, 'the demo meeting starts at once');
  assert.deepEqual(
    new Set(scenario.faults.map((f) => f.fault)),
    new Set(['link-degradation', 'link-cut', 'power-cut', 'ups-driver-loss', 'room-hot', 'probe-restart']),
  );
});

test('a bad scenario is refused naming the field', () => {
  const bad = (faults: unknown) => () => parseScenario(JSON.stringify({ name: 'x', faults }), 's.json', sites);
  assert.throws(
    bad([{ fault: 'link-cut', site: 'da-bac', at: 'soon', durationS: 5 }]),
    (e: unknown) => e instanceof ScenarioError && /faults\[0\]\.at/.test(e.message),
  );
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

test('a fault injected at run time is the scenario fault without "at", checked the same way', () => {
  const ok = injectedFaultSchema.parse({ fault: 'link-degradation', site: 'mai-chau', lossPct: 6 });
  assert.deepEqual(ok, { fault: 'link-degradation', site: 'mai-chau', lossPct: 6, rttMs: 250, jitterMs: 40 });
  assert.deepEqual(injectedFaultSchema.parse({ fault: 'probe-restart', site: 'da-bac' }), { fault: 'probe-restart', site: 'da-bac' });
  const field = (raw: unknown) => {
    const r = injectedFaultSchema.safeParse(raw);
    assert.equal(r.success, false, JSON.stringify(raw));
    return r.error!.issues[0]!.path.join('.') || r.error!.issues[0]!.code;
  };
  assert.equal(field({ fault: 'link-cut', site: 'da-bac', at: '+1s' }), 'unrecognized_keys');
  assert.equal(field({ fault: 'power-cut', site: 'da-bac', drainMinutes: -1 }), 'drainMinutes');
  assert.equal(field({ fault: 'room-hot', site: 'Da Bac' }), 'site');
  assert.equal(field({ fault: 'link-cut', site: 'da-bac', durationS: 'long' }), 'durationS');
  assert.equal(field({ fault: 'flood', site: 'da-bac' }), 'fault');
});

test('injected faults hold from when they start until their duration is over or they are ended, newest first', () => {
  const tl = new Timeline(
    parseScenario(
      JSON.stringify({ name: 't', faults: [{ fault: 'link-degradation', site: 'da-bac', at: '+0s', durationS: 600, lossPct: 2 }] }),
      's.json',
      sites,
    ),
  );
  assert.equal(tl.at('da-bac', 1000).degradation?.lossPct, 2);
  tl.inject('f1', { fault: 'link-degradation', site: 'da-bac', lossPct: 9, rttMs: 100, jitterMs: 10 }, 5000);
  tl.inject('f2', { fault: 'power-cut', site: 'lac-son', drainMinutes: 10, durationS: 30 }, 5000);
  assert.equal(tl.at('da-bac', 4999).degradation?.lossPct, 2, 'not before it starts');
  assert.equal(tl.at('da-bac', 5000).degradation?.lossPct, 9, 'the injected fault wins over the scenario');
  assert.deepEqual(tl.at('lac-son', 6000).powerCut, { since: 5000, drainMs: 600_000 });
  assert.deepEqual(
    tl.injected(6000).map((i) => i.id),
    ['f1', 'f2'],
  );
  assert.equal(tl.at('lac-son', 35_000).powerCut, null, 'over after durationS');
  assert.deepEqual(
    tl.expire(35_000).map((i) => i.id),
    ['f2'],
  );
  assert.equal(tl.end('f2', 36_000), null, 'an expired fault cannot be ended');
  const ended = tl.end('f1', 40_000);
  assert.equal(ended?.endsAt, 40_000);
  assert.equal(tl.at('da-bac', 40_000).degradation?.lossPct, 2, 'ended early: the scenario holds again');
  assert.deepEqual(tl.injected(40_000), []);
  assert.equal(tl.end('f1', 41_000), null);
});

test('a room page is open in a meeting, or all the time where the scenario keeps it open', () => {
  const tl = new Timeline(
    parseScenario(
      JSON.stringify({
        name: 't',
        roomsOpen: ['kim-boi'],
        meetings: [{ kind: 'hop', title: 'Họp', at: '+0s', durationMin: 1, sites: ['da-bac'] }],
      }),
      's.json',
      sites,
    ),
  );
  assert.equal(tl.at('da-bac', 0).roomOpen, true);
  assert.equal(tl.at('da-bac', 60_000).roomOpen, false, 'the meeting is over');
  assert.equal(tl.at('kim-boi', 3600_000).roomOpen, true);
  assert.equal(tl.at('kim-boi', 0).inMeeting, false);
  assert.equal(new Timeline(NO_SCENARIO).at('da-bac', 0).roomOpen, false, 'no scenario: no meeting, no media');
  assert.throws(
    () => parseScenario(JSON.stringify({ name: 'x', roomsOpen: ['atlantis'] }), 's.json', sites),
    /roomsOpen\[0\]: unknown site/,
  );
});

test("the room's media follows its link: healthy 720p at 30 fps, smaller and slower when degraded, nothing through a cut", async () => {
  const registry = await loadRegistry();
  const site = registry.sites.find((s) => s.id === 'mai-chau')!;
  const model = new SiteModel(site);
  const open = { ...HEALTHY, roomOpen: true };
  assert.deepEqual(model.media(HEALTHY), [], 'no media while the room page is closed');
  let healthy = model.media(open);
  for (let i = 0; i < 10; i++) {
    model.link(open);
    healthy = model.media(open);
  }
  const video = (s: ReturnType<SiteModel['media']>) => s.find((m) => m.tags.kind === 'video')!.fields;
  assert.deepEqual(
    healthy.map((m) => `${m.tags.kind}/${m.tags.direction}`),
    ['video/send', 'audio/send'],
  );
  assert.equal(video(healthy).width, 1280);
  assert.ok(video(healthy).fps! >= 29);
  const degraded = { ...open, degradation: { lossPct: 12, rttMs: 400, jitterMs: 60 } };
  let bad = healthy;
  for (let i = 0; i < 10; i++) {
    model.link(degraded);
    bad = model.media(degraded);
  }
  assert.ok(
    video(bad).bitrate_kbps! < video(healthy).bitrate_kbps! / 2,
    `bitrate ${video(bad).bitrate_kbps} vs ${video(healthy).bitrate_kbps}`,
  );
  assert.ok(video(bad).fps! < 20 && video(bad).width! < 1280 && video(bad).loss_pct! > 5);
  const cut = model.media({ ...open, linkCut: true });
  assert.equal(video(cut).fps, 0);
  assert.equal(video(cut).loss_pct, 100);
  const dry = model.media({ ...open, powerCut: { since: 0, drainMs: 60_000 } }, 60_000);
  assert.deepEqual(dry, [], 'the room goes dark when the UPS runs dry');
});
