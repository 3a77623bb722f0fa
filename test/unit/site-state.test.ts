// The one site-state reducer the incident engine, the wall and the site page
// share: a site is heard by when its heartbeats arrive at the NOC, so late,
// early, replayed and out-of-order samples, and the window's edge, are judged
// alike everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySample, emptySiteState, isHeard, SITE_STATE_LIMITS, type SiteState, type StateSample } from '@noc/shared/site-state';

const WINDOW = SITE_STATE_LIMITS.heartbeatWindowMs;
const ALLOWANCE = SITE_STATE_LIMITS.deliveryAllowanceMs;
const T0 = 1_800_000_000_000;

const beat = (time: number, fields: StateSample['fields'] = { seq: 1 }): StateSample => ({
  measurement: 'probe',
  tags: { site: 'da-bac' },
  fields,
  time,
});
/** The state read anew (no narrowing carried over from an earlier assertion). */
const fresh = (s: SiteState): SiteState => s;
/** Delivers `samples` as one batch arriving at `receivedAt`. */
function arrive(state: SiteState, receivedAt: number, ...samples: StateSample[]): void {
  for (const s of samples) applySample(state, s, { now: receivedAt, receivedAt });
}

test('a heartbeat sent within the delivery allowance counts when it was taken; the site is heard for exactly the window after it', () => {
  const s = emptySiteState('da-bac');
  assert.equal(isHeard(s, T0), false, 'never heard');
  arrive(s, T0, beat(T0 - 300));
  assert.equal(s.lastHeartbeat, T0 - 300);
  assert.equal(isHeard(s, T0 - 300 + WINDOW), true, 'at the edge of the window');
  assert.equal(isHeard(s, T0 - 300 + WINDOW + 1), false, 'one ms past it');
});

test('a heartbeat delivered late (beyond the allowance) counts no earlier than its arrival less the allowance', () => {
  const s = emptySiteState('da-bac');
  arrive(s, T0, beat(T0 - 100));
  arrive(s, T0 + 5000, beat(T0 + 1000));
  assert.equal(s.lastHeartbeat, T0 + 5000 - ALLOWANCE);
});

test('a probe clock running late: heard by arrival (less the allowance), not at its own time', () => {
  const s = emptySiteState('da-bac');
  for (let i = 0; i < 30; i++) arrive(s, T0 + i * 1000, beat(T0 + i * 1000 - 15_000));
  assert.equal(s.lastHeartbeat, T0 + 29_000 - ALLOWANCE, 'its arrival less the allowance, not its own time');
  assert.equal(isHeard(s, T0 + 30_000), true);
});

test('a probe clock running ahead (early samples) claims nothing beyond the arrival', () => {
  const s = emptySiteState('da-bac');
  arrive(s, T0, beat(T0 + 60_000));
  assert.equal(s.lastHeartbeat, T0, 'not in the future');
  assert.equal(isHeard(s, T0 + WINDOW + 1), false, 'silent a window after the last arrival, whatever the clock says');
  arrive(s, T0 + 1000, beat(T0 + 61_000));
  assert.equal(s.lastHeartbeat, T0 + 1000);
});

test('a spool replay of old heartbeats does not make a dead site look alive', () => {
  const s = emptySiteState('da-bac');
  for (let i = 0; i <= 5; i++) arrive(s, T0 + i * 1000, beat(T0 + i * 1000 - 100));
  // Silent for a minute, then a batch of heartbeats from before the silence.
  const at = T0 + 65_000;
  assert.equal(isHeard(s, at), false);
  arrive(s, at, beat(T0 - 30_000), beat(T0 + 6_000 - 100), beat(T0 + 7_000 - 100), beat(T0 + 8_000 - 100));
  assert.equal(isHeard(s, at), false, 'still silent after the replay');
  assert.equal(s.lastHeartbeat, T0 + 8_000, 'the replay says the site was heard when those would have arrived');
  // A live heartbeat after it brings the site back at once.
  arrive(s, at + 500, beat(at + 400));
  assert.equal(s.lastHeartbeat, at + 400);
  assert.equal(isHeard(s, at + 500), true);
});

test('a replay with a late clock is told from the late clock itself', () => {
  const s = emptySiteState('da-bac');
  for (let i = 0; i <= 5; i++) arrive(s, T0 + i * 1000, beat(T0 + i * 1000 - 15_000));
  arrive(s, T0 + 60_000, beat(T0 + 6_000 - 15_000));
  assert.equal(isHeard(s, T0 + 60_000), false);
});

test('out-of-order heartbeats never move the last heartbeat back', () => {
  const s = emptySiteState('da-bac');
  arrive(s, T0, beat(T0 - 100));
  arrive(s, T0 + 1000, beat(T0 + 900), beat(T0 + 400));
  assert.equal(s.lastHeartbeat, T0 + 900);
  arrive(s, T0 + 1500, beat(T0 - 5_000));
  assert.equal(s.lastHeartbeat, T0 + 900, 'an older one arriving later does not move it back');
  arrive(s, T0 + 4000, beat(T0 - 5_000));
  assert.equal(s.lastHeartbeat, T0 + 4000 - ALLOWANCE, 'but it is still a heartbeat that arrived, less the allowance');
});

test('a probe clock that jumps back while the site is heard keeps it heard', () => {
  const s = emptySiteState('da-bac');
  for (let i = 0; i < 5; i++) arrive(s, T0 + i * 1000, beat(T0 + i * 1000));
  for (let i = 5; i < 30; i++) arrive(s, T0 + i * 1000, beat(T0 + i * 1000 - 60_000));
  assert.equal(s.lastHeartbeat, T0 + 29_000 - ALLOWANCE);
});

test('a silent site that comes back with another clock is heard once that lag has held for a window', () => {
  const s = emptySiteState('da-bac');
  for (let i = 0; i < 5; i++) arrive(s, T0 + i * 1000, beat(T0 + i * 1000));
  // Silent for a minute, then back with its clock a minute late: at first that looks replayed.
  const back = T0 + 64_000;
  for (let i = 0; i < 10; i++) {
    arrive(s, back + i * 1000, beat(back + i * 1000 - 60_000));
    assert.equal(isHeard(s, back + i * 1000), false, `${i} s after it came back`);
  }
  arrive(s, back + 10_000, beat(back + 10_000 - 60_000));
  assert.equal(s.lastHeartbeat, back + 10_000 - ALLOWANCE, 'the new lag is taken after a window of it');
  arrive(s, back + 11_000, beat(back + 11_000 - 60_000));
  assert.equal(s.lastHeartbeat, back + 11_000 - ALLOWANCE);
});

test('heartbeats read back from the store count at their own time, never later than now', () => {
  const s = emptySiteState('da-bac');
  applySample(s, beat(T0 - 12_000), { now: T0, receivedAt: null });
  assert.equal(s.lastHeartbeat, T0 - 12_000);
  assert.equal(isHeard(s, T0), false);
  applySample(s, beat(T0 + 5_000), { now: T0, receivedAt: null });
  assert.equal(s.lastHeartbeat, T0, 'a clock ahead in the store claims nothing beyond now');
});

test('figures keep the newest sample by its own time; an older one arriving later changes nothing', () => {
  const s = emptySiteState('da-bac');
  const power = (time: number, on_mains: boolean): StateSample => ({
    measurement: 'power',
    tags: { site: 'da-bac' },
    fields: { on_mains },
    time,
  });
  arrive(s, T0, power(T0, false));
  arrive(s, T0 + 1000, power(T0 - 5000, true));
  assert.deepEqual(s.power, { at: T0, onMains: false });
  // The probe's figures of one moment, read field by field, are joined.
  arrive(s, T0, beat(T0, { seq: 7 }), beat(T0, { spool_depth: 3 }));
  assert.deepEqual(s.probe, { at: T0, fields: { seq: 7, spool_depth: 3 } });
  assert.deepEqual(s.spool, [[T0, 3]]);
});

test('media of the SFU node does not count as what the site sends', () => {
  const s = emptySiteState('da-bac');
  const video = (node?: 'main'): StateSample => ({
    measurement: 'media',
    tags: { site: 'da-bac', kind: 'video', direction: 'send', ...(node ? { node } : {}) },
    fields: { fps: 25 },
    time: T0,
  });
  arrive(s, T0, video('main'));
  assert.equal(s.video, null);
  arrive(s, T0, video());
  assert.equal(fresh(s).video?.fps, 25);
});

test('link samples towards the SFU set the latest figures and vote for the grade', () => {
  const s = emptySiteState('da-bac');
  const link = (time: number, target: string): StateSample => ({
    measurement: 'link',
    tags: { site: 'da-bac', target },
    fields: { rtt_ms: 40, jitter_ms: 2, loss_pct: 0 },
    time,
  });
  arrive(s, T0, link(T0, 'isp'));
  assert.equal(s.link, null, 'only the link towards the SFU');
  for (let i = 0; i < 5; i++) arrive(s, T0 + i * 1000, link(T0 + i * 1000, 'sfu'));
  assert.equal(fresh(s).link?.at, T0 + 4000);
  assert.equal(s.quality.current(T0 + 4000).grade, 'good');
});
