// The incident rules' settings file and maintenance windows: the shipped file
// holds every rule with the defaults the README gives; a bad value is refused naming
// the field; weekly windows are read in Asia/Ho_Chi_Minh, across midnight too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULE_IDS, maintenanceInputSchema } from '@noc/shared/incidents';
import { parseIncidentRules, RulesError } from '@noc/shared/incident-rules';
import { coveringWindow, localClock, windowActiveAt } from '@noc/shared/maintenance';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_RULES_FILE, RuleSettings } from '../../dashboard/server/incidents/rule-settings.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const shipped = () => JSON.parse(readFileSync(DEFAULT_RULES_FILE, 'utf8')) as { rules: Record<string, Record<string, unknown>> };

test('the shipped rules hold every rule, with the defaults the README gives', () => {
  const rules = parseIncidentRules(shipped());
  assert.deepEqual(Object.keys(rules.rules).sort(), [...RULE_IDS].sort());
  assert.equal(rules.rules.siteOffline.silentSeconds, 10);
  assert.deepEqual([rules.rules.lossHigh.threshold, rules.rules.lossHigh.majorThreshold, rules.rules.lossHigh.forSeconds], [1, 5, 30]);
  assert.equal(rules.rules.rttHigh.threshold, 300);
  assert.equal(rules.rules.jitterHigh.threshold, 30);
  assert.equal(rules.rules.mosLow.threshold, 3.5);
  assert.deepEqual([rules.rules.videoFrozen.minFps, rules.rules.videoFrozen.forSeconds], [10, 20]);
  assert.deepEqual([rules.rules.onBattery.severity, rules.rules.onBattery.forSeconds], ['major', 0]);
  assert.equal(rules.rules.batteryLow.severity, 'critical');
  assert.deepEqual([rules.rules.tempHigh.threshold, rules.rules.humidityHigh.threshold], [35, 80]);
  assert.equal(rules.rules.sfuMainDown.severity, 'critical');
});

const refused = (edit: (r: ReturnType<typeof shipped>) => void, field: string) => {
  const r = shipped();
  edit(r);
  assert.throws(
    () => parseIncidentRules(r, 'incident-rules.json'),
    (err: unknown) => {
      assert.ok(err instanceof RulesError);
      assert.equal(err.field, field);
      assert.match(err.message, new RegExp(`^incident-rules.json: ${field.replace(/[.[\]]/g, '\\$&')}: `));
      return true;
    },
  );
};

test('a bad value is refused naming the field', () => {
  refused((r) => (r.rules.lossHigh!.threshold = -1), 'rules.lossHigh.threshold');
  refused((r) => (r.rules.lossHigh!.recoverBelow = 2), 'rules.lossHigh.recoverBelow');
  refused((r) => (r.rules.rttHigh!.severity = 'urgent'), 'rules.rttHigh.severity');
  refused((r) => (r.rules.siteOffline!.silentSeconds = 1), 'rules.siteOffline.silentSeconds');
  refused((r) => (r.rules.tempHigh!.forSeconds = '60'), 'rules.tempHigh.forSeconds');
  refused((r) => (r.rules.tempHigh!.colour = 'red'), 'rules.tempHigh.colour');
  refused((r) => delete r.rules.mosLow, 'rules.mosLow');
  assert.throws(() => parseIncidentRules('{ "rules": ', 'x.json'), /^RulesError: x.json: invalid JSON/);
});

test('a bad rules file stops the server naming the file and the field; a bad edit keeps the rules in force and the saved file', async () => {
  const dir = await tempDir('rules');
  try {
    const bad = join(dir.path, 'bad.json');
    const r = shipped();
    r.rules.humidityHigh!.threshold = 120;
    await writeFile(bad, JSON.stringify(r));
    assert.throws(
      () => new RuleSettings(bad, join(dir.path, 'saved.json')),
      new RegExp(`^RulesError: ${bad}: rules.humidityHigh.threshold: `),
    );
    const settings = new RuleSettings(DEFAULT_RULES_FILE, join(dir.path, 'saved.json'));
    await assert.rejects(settings.replace(r), /rules.humidityHigh.threshold/);
    assert.equal(settings.current.rules.humidityHigh.threshold, 80);
    assert.equal(settings.source, DEFAULT_RULES_FILE, 'nothing saved');
    r.rules.humidityHigh!.threshold = 85;
    await settings.replace(r);
    assert.equal(
      new RuleSettings(DEFAULT_RULES_FILE, join(dir.path, 'saved.json')).current.rules.humidityHigh.threshold,
      85,
      'a saved edit wins at the next start',
    );
  } finally {
    await dir.remove();
  }
});

// 2026-12-01 is a Tuesday; 15:30 UTC is 22:30 in Hà Nội.
const at = (iso: string) => Date.parse(iso);

test('local clock and weekly windows in Asia/Ho_Chi_Minh, across midnight', () => {
  assert.deepEqual(localClock(at('2026-12-01T15:30:00Z')), { weekday: 2, minute: 22 * 60 + 30 });
  const nightly = { site: 'lac-son', reason: 'bảo trì đêm thứ Ba', weekly: { days: [2], start: '22:00', durationMinutes: 180 } };
  assert.ok(windowActiveAt(nightly, at('2026-12-01T15:30:00Z')), 'Tuesday 22:30');
  assert.ok(windowActiveAt(nightly, at('2026-12-01T17:30:00Z')), 'Wednesday 00:30, still the Tuesday window');
  assert.ok(!windowActiveAt(nightly, at('2026-12-01T18:00:00Z')), 'Wednesday 01:00: over');
  assert.ok(!windowActiveAt(nightly, at('2026-12-08T14:30:00Z')), 'next Tuesday 21:30: not yet');
  const once = {
    id: 1,
    site: null,
    reason: 'nâng cấp đường truyền toàn mạng',
    startsAt: at('2026-12-01T00:00:00Z'),
    endsAt: at('2026-12-01T01:00:00Z'),
  };
  assert.equal(coveringWindow([once], 'da-bac', at('2026-12-01T00:30:00Z'))?.id, 1, 'a window without a site covers every site');
  assert.equal(coveringWindow([once], 'da-bac', at('2026-12-01T01:00:00Z')), null, 'the end is not inside');
});

test('a window is either one stretch or weekly, with its times in order', () => {
  const field = (v: unknown) => maintenanceInputSchema.safeParse(v).error?.issues[0]?.path.join('.');
  assert.equal(field({ site: null, reason: 'x', startsAt: 5, endsAt: 4 }), 'endsAt');
  assert.equal(field({ site: null, reason: 'x', startsAt: 5 }), 'endsAt');
  assert.equal(field({ site: null, reason: 'x' }), 'weekly');
  assert.equal(
    field({ site: null, reason: 'x', startsAt: 1, endsAt: 2, weekly: { days: [1], start: '22:00', durationMinutes: 5 } }),
    'weekly',
  );
  assert.equal(field({ site: null, reason: 'x', weekly: { days: [1], start: '25:00', durationMinutes: 5 } }), 'weekly.start');
  assert.equal(field({ site: null, reason: '', weekly: { days: [1], start: '22:00', durationMinutes: 5 } }), 'reason');
});
