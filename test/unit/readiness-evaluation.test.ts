// The readiness evaluation (Điều 8.2): a test call's figures against the
// incident rules' thresholds, the latest power and room readings, the site's
// checklist and, for a big meeting, the last capacity test, summed up as ready,
// not ready (with every reason and its figures) or not checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIncidentRules } from '@noc/shared/incident-rules';
import type { LoadTestRun } from '@noc/shared/load-test';
import type { ChecklistRecord, TestCallFigures } from '@noc/shared/readiness';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  evaluateReadiness,
  READING_MAX_AGE_MS,
  type ReadinessInput,
  type TestCallOutcome,
} from '../../dashboard/server/readiness/evaluate-readiness.ts';

const NOW = Date.UTC(2026, 11, 24, 1, 0);
const rules = parseIncidentRules(readFileSync(fileURLToPath(new URL('../../shared/data/incident-rules.json', import.meta.url)), 'utf8'));
const thresholds = rules.rules;

const good = { lossPct: 0.2, jitterMs: 5, fps: 29.8, audioLevel: 0.2 };
const figures = (over: Partial<TestCallFigures> = {}): TestCallFigures => ({
  durationMs: 30_000,
  send: { ...good },
  recv: { ...good },
  rttMs: 40,
  ...over,
});
const joined = (f: TestCallFigures = figures()): TestCallOutcome => ({ opened: true, joined: true, figures: f });

function input(over: Partial<ReadinessInput> = {}): ReadinessInput {
  return {
    occurrence: '3@2026-12-25',
    site: 'da-bac',
    call: joined(),
    power: { at: NOW - 2000, onMains: true, status: 'OL', batteryPct: 100, runtimeS: 1800 },
    env: { at: NOW - 2000, tempC: 27, humidityPct: 62 },
    checklist: null,
    capacity: { needed: false },
    thresholds,
    checkedBy: 'tự động',
    now: NOW,
    ...over,
  };
}

const codes = (i: Partial<ReadinessInput>) => evaluateReadiness(input(i)).reasons.map((r) => r.code);

function run(over: Partial<LoadTestRun>): LoadTestRun {
  return {
    id: 7,
    settings: { scenario: 'capacity' } as LoadTestRun['settings'],
    status: 'finished',
    startedBy: 'dieuhanh',
    startedAt: NOW - 86_400_000,
    endedAt: NOW - 86_000_000,
    reason: null,
    summary: null,
    curve: [],
    verdict: { holds: true, checks: [] } as unknown as LoadTestRun['verdict'],
    ...over,
  };
}

test('a site whose call, power and room are all within the thresholds is ready, with its figures kept', () => {
  const r = evaluateReadiness(input());
  assert.equal(r.state, 'ready');
  assert.deepEqual(r.reasons, []);
  assert.equal(r.testCall?.send.lossPct, 0.2);
  assert.equal(r.checkedBy, 'tự động');
  assert.equal(r.checkedAt, NOW);
  assert.equal(r.occurrence, '3@2026-12-25');
});

test('loss, jitter, a low frame rate and silence in either direction, and a long round trip, are reasons with their figures', () => {
  const r = evaluateReadiness(
    input({
      call: joined(
        figures({
          send: { lossPct: 6.24, jitterMs: 5, fps: 29, audioLevel: 0.3 },
          recv: { lossPct: 0.1, jitterMs: 45, fps: 6, audioLevel: 0 },
          rttMs: 420,
        }),
      ),
    }),
  );
  assert.equal(r.state, 'not-ready');
  assert.deepEqual(r.reasons, [
    { code: 'loss-high', params: { direction: 'send', value: 6.2, threshold: thresholds.lossHigh.threshold } },
    { code: 'jitter-high', params: { direction: 'recv', value: 45, threshold: thresholds.jitterHigh.threshold } },
    { code: 'fps-low', params: { direction: 'recv', value: 6, threshold: thresholds.videoFrozen.minFps } },
    { code: 'audio-silent', params: { direction: 'recv' } },
    { code: 'rtt-high', params: { value: 420, threshold: thresholds.rttHigh.threshold } },
  ]);
});

test('a figure exactly at its threshold passes; just past it does not', () => {
  const at = thresholds.lossHigh.threshold;
  assert.deepEqual(codes({ call: joined(figures({ send: { ...good, lossPct: at } })) }), []);
  assert.deepEqual(codes({ call: joined(figures({ send: { ...good, lossPct: at + 0.01 } })) }), ['loss-high']);
});

test('no media in a direction is one reason for it, not one per figure', () => {
  const none = { lossPct: null, jitterMs: null, fps: null, audioLevel: null };
  assert.deepEqual(evaluateReadiness(input({ call: joined(figures({ recv: none })) })).reasons, [
    { code: 'no-media', params: { direction: 'recv' } },
  ]);
});

test('a site that did not join is not ready; a call that could not be opened leaves it not checked', () => {
  const missed = evaluateReadiness(input({ call: { opened: true, joined: false } }));
  assert.equal(missed.state, 'not-ready');
  assert.deepEqual(missed.reasons, [{ code: 'not-joined' }]);
  assert.equal(missed.testCall, null);
  const closed = evaluateReadiness(
    input({ call: { opened: false, error: 'signalling at ws://127.0.0.1:9/signalling: connection failed' } }),
  );
  assert.equal(closed.state, 'not-checked');
  assert.equal(closed.reasons[0]?.code, 'call-not-opened');
  assert.match(String(closed.reasons[0]?.params?.error), /connection failed/);
});

test('power: on battery, a low battery and a short runtime are reasons; no recent reading is one too', () => {
  const minRuntime = thresholds.batteryLow.minRuntimeSeconds;
  const r = evaluateReadiness(
    input({ power: { at: NOW - 1000, onMains: false, status: 'OB DISCHRG', batteryPct: 10, runtimeS: minRuntime - 60 } }),
  );
  assert.deepEqual(r.reasons, [
    { code: 'on-battery', params: { pct: 10 } },
    { code: 'battery-low', params: { value: 10, threshold: thresholds.batteryLow.minBatteryPct } },
    { code: 'runtime-short', params: { minutes: Math.round((minRuntime - 60) / 6) / 10, threshold: Math.round(minRuntime / 6) / 10 } },
  ]);
  assert.deepEqual(codes({ power: null }), ['power-unknown']);
  assert.deepEqual(codes({ power: { at: NOW - READING_MAX_AGE_MS - 1, onMains: true } }), ['power-unknown']);
  assert.deepEqual(codes({ power: { at: NOW, status: 'DRIVER-NOT-CONNECTED' } }), ['power-unknown']);
});

test('room: heat and humidity past the room rules are reasons; no recent reading is one too', () => {
  assert.deepEqual(evaluateReadiness(input({ env: { at: NOW, tempC: 36.44, humidityPct: 85 } })).reasons, [
    { code: 'temp-high', params: { value: 36.4, threshold: thresholds.tempHigh.threshold } },
    { code: 'humidity-high', params: { value: 85, threshold: thresholds.humidityHigh.threshold } },
  ]);
  assert.deepEqual(codes({ env: null }), ['room-unknown']);
});

test("the site's checklist: an item found wrong makes it not ready; ticked or not yet looked at does not", () => {
  const checklist: ChecklistRecord = {
    occurrence: '3@2026-12-25',
    site: 'da-bac',
    kind: 'pre',
    items: { equipment: { ok: true }, sound: { ok: false, note: 'loa rè' } },
    by: 'kt-da-bac',
    at: NOW - 60_000,
  };
  const r = evaluateReadiness(input({ checklist }));
  assert.deepEqual(r.reasons, [{ code: 'checklist-item', params: { item: 'sound', note: 'loa rè' } }]);
  assert.equal(r.checklist, checklist);
  assert.deepEqual(codes({ checklist: { ...checklist, items: { equipment: { ok: true } } } }), []);
});

test('a big meeting needs a capacity test that held: none, or one that did not hold, is a reason', () => {
  assert.deepEqual(codes({ capacity: { needed: true, run: null } }), ['capacity-untested']);
  assert.deepEqual(codes({ capacity: { needed: true, run: run({}) } }), []);
  const failed = run({ status: 'failed', verdict: null, reason: 'Artillery exited' });
  assert.deepEqual(evaluateReadiness(input({ capacity: { needed: true, run: failed } })).reasons, [
    { code: 'capacity-failed', params: { run: 7, failed: 'Artillery exited' } },
  ]);
  assert.deepEqual(codes({ capacity: { needed: false } }), []);
});
