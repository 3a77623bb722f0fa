// The incident engine on a clock the test moves, with the shipped default rules
// and a real state database: each rule opens and resolves with its timing, a
// loss oscillating around its threshold for 5 minutes is one incident, a
// cause suppresses the alarms it explains, maintenance silences, a restart
// keeps one incident, a returning cause reopens its incident.
import { after, beforeEach, test } from 'node:test';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import assert from 'node:assert/strict';
import type { Fields } from '@noc/shared/metrics';
import type { MeetingRecord } from '@noc/shared/meeting';
import { engineBench, upHealth, type EngineBench } from '../fixtures/incident-engine.ts';

let b: EngineBench;
const open: EngineBench[] = [];
beforeEach(async () => {
  b = await engineBench();
  open.push(b);
  b.run(30); // a healthy half minute first: every site known
});
after(async () => {
  for (const x of open) await x.close();
});

/** One second of a site that reports, with these link figures instead of healthy ones. */
function siteSecond(site: string, link: Fields, extra: { power?: Fields; env?: Fields } = {}): void {
  b.feed(site, 'probe', { seq: 1, spool_depth: 0 });
  b.feed(site, 'link', link, { target: 'sfu' });
  b.feed(site, 'power', extra.power ?? { on_mains: true, status: 'OL', battery_pct: 100, runtime_s: 1800 });
  b.feed(site, 'env', extra.env ?? { temp_c: 26, humidity_pct: 60 });
}
const HEALTHY_LINK = { rtt_ms: 40, jitter_ms: 3, loss_pct: 0 };

/** Runs until `done` holds (at most `max` s); answers the seconds it took. */
function runUntil(max: number, each: (t: number) => void, done: () => boolean, except: string[]): number {
  for (let s = 1; s <= max; s++) {
    b.run(1, each, except);
    if (done()) return s;
  }
  assert.fail(`not within ${max} s`);
}

test('a healthy network raises nothing', () => {
  b.run(120);
  assert.deepEqual(b.incidents(), []);
});

test('site offline: critical once the probe is silent 10 s, resolved 5 s after it speaks again', () => {
  const opened = runUntil(
    15,
    () => {},
    () => b.incidents('siteOffline', 'da-bac').length > 0,
    ['da-bac'],
  );
  assert.ok(opened >= 10 && opened <= 11, `opened after ${opened} s`);
  const [i] = b.incidents('siteOffline', 'da-bac');
  assert.equal(i!.severity, 'critical');
  assert.deepEqual(
    b.notices.map((n) => `${n.event}:${n.incident.rule}`),
    ['opened:siteOffline'],
  );
  const resolved = runUntil(
    10,
    () => siteSecond('da-bac', HEALTHY_LINK),
    () => b.incidents('siteOffline')[0]!.state === 'resolved',
    ['da-bac'],
  );
  assert.ok(resolved >= 5 && resolved <= 6, `resolved after ${resolved} s`);
  assert.equal(b.incidents().length, 1, 'no link alarm from the silent stretch');
});

test('loss above 1 % for 30 s is a warning, above 5 % major; below 0.5 % for 60 s resolves it', () => {
  const opened = runUntil(
    60,
    () => siteSecond('mai-chau', { ...HEALTHY_LINK, loss_pct: 3 }),
    () => b.incidents('lossHigh').length > 0,
    ['mai-chau'],
  );
  // The 20 s mean passes 1 % after ~7 s of 3 % loss; then the 30 s `for`.
  assert.ok(opened >= 30 && opened <= 40, `opened after ${opened} s`);
  assert.equal(b.incidents('lossHigh')[0]!.severity, 'warning');
  b.run(15, () => siteSecond('mai-chau', { ...HEALTHY_LINK, loss_pct: 8 }), ['mai-chau']);
  const [i] = b.incidents('lossHigh');
  assert.equal(i!.severity, 'major');
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['opened', 'severity'],
  );
  const resolved = runUntil(
    100,
    () => siteSecond('mai-chau', HEALTHY_LINK),
    () => b.incidents('lossHigh')[0]!.state === 'resolved',
    ['mai-chau'],
  );
  assert.ok(resolved >= 60 && resolved <= 80, `resolved after ${resolved} s`);
  assert.equal(b.incidents('lossHigh').length, 1);
  const timeline = b.store.timeline(i!.id).map((e) => e.kind);
  assert.deepEqual(timeline.slice(0, 2), ['opened', 'evidence']);
  assert.ok(timeline.includes('severity') && timeline.at(-1) === 'resolved', timeline.join(','));
});

test('loss oscillating around the threshold for 5 minutes gives exactly one incident, opened once', () => {
  // 40 s at 1.8 %, 20 s at 0.3 %, five times: the 20 s mean swings across 1 % every minute.
  b.run(300, (t) => siteSecond('lac-thuy', { ...HEALTHY_LINK, loss_pct: Math.floor(t / 1000) % 60 < 40 ? 1.8 : 0.3 }), ['lac-thuy']);
  const list = b.incidents('lossHigh', 'lac-thuy');
  assert.equal(list.length, 1);
  assert.equal(list[0]!.state, 'open');
  assert.equal(list[0]!.reopenCount, 0);
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['opened'],
  );
});

test('RTT, jitter and MOS past their thresholds for 30 s', () => {
  b.run(45, () => siteSecond('kim-boi', { rtt_ms: 450, jitter_ms: 45, loss_pct: 0.8 }), ['kim-boi']);
  const rules = b
    .incidents(undefined, 'kim-boi')
    .map((i) => i.rule)
    .sort();
  assert.deepEqual(rules, ['jitterHigh', 'mosLow', 'rttHigh']);
  assert.equal(b.incidents('rttHigh')[0]!.params.rtt, 450);
  const explainedBy = b.incidents('mosLow')[0]!.suppressedBy;
  assert.ok(
    [b.incidents('rttHigh')[0]!.id, b.incidents('jitterHigh')[0]!.id].includes(explainedBy!),
    'the low MOS is explained by the RTT or jitter alarm',
  );
  assert.deepEqual(b.notices.map((n) => n.incident.rule).sort(), ['jitterHigh', 'rttHigh'], 'and not sent');
});

test('frozen video counts only during a meeting the site is invited to', () => {
  const frozen = (site: string) => () => {
    siteSecond(site, HEALTHY_LINK);
    b.feed(site, 'media', { fps: 0, width: 1280, height: 720 }, { kind: 'video', direction: 'send' });
  };
  b.run(40, frozen('tan-lac'), ['tan-lac']);
  assert.deepEqual(b.incidents('videoFrozen'), [], 'no meeting, no alarm');
  b.meetings = [meeting(['tan-lac', 'so-gddt'], b.now)];
  const opened = runUntil(30, frozen('tan-lac'), () => b.incidents('videoFrozen').length > 0, ['tan-lac']);
  assert.ok(opened >= 20 && opened <= 21, `opened after ${opened} s`);
  const [i] = b.incidents('videoFrozen');
  assert.equal(i!.severity, 'major');
  assert.equal(i!.meeting?.title, 'Giao ban tháng 12');
  assert.equal(i!.meeting?.floor, 'so-gddt');
});

test('UPS on battery is major at once and ends with the mains; a low battery is critical', () => {
  b.run(
    1,
    () => siteSecond('lac-son', HEALTHY_LINK, { power: { on_mains: false, status: 'OB DISCHRG', battery_pct: 90, runtime_s: 1500 } }),
    ['lac-son'],
  );
  const [onBattery] = b.incidents('onBattery');
  assert.equal(onBattery!.severity, 'major');
  assert.equal(onBattery!.params.minutes, 25);
  b.run(
    2,
    () => siteSecond('lac-son', HEALTHY_LINK, { power: { on_mains: false, status: 'OB DISCHRG LB', battery_pct: 20, runtime_s: 240 } }),
    ['lac-son'],
  );
  assert.equal(b.incidents('batteryLow')[0]!.severity, 'critical');
  b.run(1, () => siteSecond('lac-son', HEALTHY_LINK), ['lac-son']);
  assert.equal(b.incidents('onBattery')[0]!.state, 'resolved', 'recovery at once');
});

test('a UPS whose runtime is shorter than the time left in the running meeting is critical', () => {
  // Created 90 min ago, a meeting is taken to last 120 min: 30 min left, the UPS has 10.
  b.meetings = [meeting(['yen-thuy'], b.now - 90 * 60_000)];
  b.run(
    1,
    () => siteSecond('yen-thuy', HEALTHY_LINK, { power: { on_mains: false, status: 'OB DISCHRG', battery_pct: 80, runtime_s: 600 } }),
    ['yen-thuy'],
  );
  const [low] = b.incidents('batteryLow');
  assert.equal(low!.params.reason, 'meeting');
  assert.equal(low!.params.meetingMinutesLeft, 30);
});

test("the time left in a running meeting is its plan's: the occurrence of its title, else of its kind", () => {
  // Created 90 min ago, but its plan says it ends in 50 min: the UPS's 10 minutes fall short of that.
  b.meetings = [meeting(['yen-thuy'], b.now - 90 * 60_000)];
  const occurrence = (title: string, end: number): PlanOccurrence => ({
    key: `1@${title}`,
    planId: 1,
    kind: 'giao-ban',
    title,
    content: '',
    chair: 'Lãnh đạo Sở',
    invitedSites: ['yen-thuy'],
    attendees: {},
    officialLetter: '',
    start: b.now - 90 * 60_000,
    end,
    movedFrom: null,
  });
  b.planned = [occurrence('Sinh hoạt khác', b.now + 20 * 60_000), occurrence('Giao ban tháng 12', b.now + 50 * 60_000)];
  const onBattery = () =>
    siteSecond('yen-thuy', HEALTHY_LINK, { power: { on_mains: false, status: 'OB DISCHRG', battery_pct: 80, runtime_s: 600 } });
  b.run(1, onBattery, ['yen-thuy']);
  const [low] = b.incidents('batteryLow');
  assert.equal(low!.params.reason, 'meeting');
  assert.equal(low!.params.meetingMinutesLeft, 50, 'the end of the plan with its title, not of the other of its kind');
});

test('a planned meeting ending sooner than the UPS runs raises no low-battery alarm', () => {
  b.meetings = [meeting(['yen-thuy'], b.now - 90 * 60_000)];
  // Its plan ends in 5 minutes; the 120-minute default would have left 30.
  b.planned = [
    {
      key: '1@2026-12-01',
      planId: 1,
      kind: 'giao-ban',
      title: 'Họp giao ban tháng 12/2026',
      content: '',
      chair: 'Lãnh đạo Sở',
      invitedSites: ['yen-thuy'],
      attendees: {},
      officialLetter: '',
      start: b.now - 90 * 60_000,
      end: b.now + 5 * 60_000,
      movedFrom: null,
    },
  ];
  b.run(
    1,
    () => siteSecond('yen-thuy', HEALTHY_LINK, { power: { on_mains: false, status: 'OB DISCHRG', battery_pct: 80, runtime_s: 600 } }),
    ['yen-thuy'],
  );
  assert.equal(b.incidents('batteryLow').length, 0);
  assert.equal(b.incidents('onBattery').length, 1, 'on battery all the same');
});

test('a UPS not being read, a hot or humid room, a growing spool', () => {
  let depth = 0;
  b.run(
    65,
    () => {
      siteSecond('cao-phong', HEALTHY_LINK, { power: { status: 'DRIVER-NOT-CONNECTED' }, env: { temp_c: 38, humidity_pct: 86 } });
      b.feed('luong-son', 'probe', { seq: 1, spool_depth: (depth += 3) });
      b.feed('luong-son', 'link', HEALTHY_LINK, { target: 'sfu' });
    },
    ['cao-phong', 'luong-son'],
  );
  const rules = b
    .incidents()
    .map((i) => `${i.site}:${i.rule}`)
    .sort();
  assert.deepEqual(rules, ['cao-phong:humidityHigh', 'cao-phong:tempHigh', 'cao-phong:upsLost', 'luong-son:spoolGrowing']);
});

test('main SFU down: one critical incident; the link and offline alarms it causes are kept as suppressed, not notified', () => {
  b.health = upHealth(b.now, 'down');
  // Every echo to the SFU is lost; da-bac's probe goes silent as well.
  const everyoneLoses = () => {
    for (const s of b.sites) if (s.id !== 'da-bac') siteSecond(s.id, { rtt_ms: 0, jitter_ms: 0, loss_pct: 100 });
  };
  b.run(
    50,
    everyoneLoses,
    b.sites.map((s) => s.id),
  );
  const [main] = b.incidents('sfuMainDown');
  assert.equal(main!.site, 'so-gddt');
  assert.equal(main!.severity, 'critical');
  const effects = b.incidents().filter((i) => i.rule !== 'sfuMainDown');
  assert.ok(effects.length >= 11, `${effects.length} site alarms recorded`);
  assert.ok(
    effects.every((i) => i.suppressedBy === main!.id),
    'each is suppressed by the main SFU incident',
  );
  assert.ok(
    effects.some((i) => i.rule === 'siteOffline' && i.site === 'da-bac'),
    'da-bac went silent too',
  );
  assert.deepEqual(
    b.notices.map((n) => `${n.event}:${n.incident.rule}`),
    ['opened:sfuMainDown'],
    'one notification for one cause',
  );
  // Back up: the alarms it explained were never announced, so their resolutions are not sent either.
  b.health = upHealth(b.now);
  runUntil(
    120,
    () => {},
    () => b.store.active().length === 0,
    [],
  );
  assert.deepEqual(
    b.notices.map((n) => `${n.event}:${n.incident.rule}`),
    ['opened:sfuMainDown', 'resolved:sfuMainDown'],
  );
});

test('an alarm that outlasts the cause explaining it is sent once it has held its own `for` time after the cause resolved', () => {
  b.health = upHealth(b.now, 'down');
  const kimBoiLoses = () => siteSecond('kim-boi', { ...HEALTHY_LINK, loss_pct: 6 });
  b.run(45, kimBoiLoses, ['kim-boi']);
  const [loss] = b.incidents('lossHigh', 'kim-boi');
  const [main] = b.incidents('sfuMainDown');
  assert.equal(loss!.suppressedBy, main!.id);
  b.health = upHealth(b.now);
  runUntil(60, kimBoiLoses, () => b.store.get(main!.id)!.state === 'resolved', ['kim-boi']);
  const resolvedAt = b.now;
  runUntil(60, kimBoiLoses, () => b.store.get(loss!.id)!.suppressedBy === null, ['kim-boi']);
  assert.ok(b.now - resolvedAt >= 30_000, `stood on its own ${(b.now - resolvedAt) / 1000} s after the cause resolved`);
  assert.deepEqual(
    b.notices.map((n) => `${n.event}:${n.incident.rule}`),
    ['opened:sfuMainDown', 'resolved:sfuMainDown', 'unsuppressed:lossHigh'],
  );
});

test('a site offline suppresses its own link alarm opened before it', () => {
  b.run(40, () => siteSecond('da-bac', { ...HEALTHY_LINK, loss_pct: 6 }), ['da-bac']);
  const [loss] = b.incidents('lossHigh', 'da-bac');
  assert.equal(loss!.suppressedBy, null);
  b.run(12, () => {}, ['da-bac']);
  const [offline] = b.incidents('siteOffline', 'da-bac');
  assert.equal(b.store.get(loss!.id)!.suppressedBy, offline!.id);
  assert.ok(b.store.timeline(loss!.id).some((e) => e.kind === 'suppressed'));
  // The loss alarm was announced before the site went silent: what was told open is told resolved.
  runUntil(
    120,
    () => siteSecond('da-bac', HEALTHY_LINK),
    () => b.store.get(loss!.id)!.state === 'resolved',
    [],
  );
  assert.deepEqual(
    b.notices.map((n) => `${n.event}:${n.incident.rule}`),
    ['opened:lossHigh', 'opened:siteOffline', 'resolved:siteOffline', 'resolved:lossHigh'],
  );
});

test('in a maintenance window an alarm is recorded but not notified', () => {
  b.windows = [
    {
      id: 7,
      site: 'lac-son',
      reason: 'thay ắc quy UPS',
      startsAt: b.now - 1000,
      endsAt: b.now + 3600_000,
      createdBy: 'dieuhanh',
      createdAt: b.now,
    },
  ];
  b.run(
    2,
    () => siteSecond('lac-son', HEALTHY_LINK, { power: { on_mains: false, status: 'OB DISCHRG', battery_pct: 90, runtime_s: 1500 } }),
    ['lac-son'],
  );
  const [i] = b.incidents('onBattery');
  assert.equal(i!.maintenanceWindow, 7);
  assert.deepEqual(b.notices, []);
  assert.ok(b.changes.length > 0, 'the record still reaches the live feed');
});

test('a restart in the middle of an open incident keeps exactly one, which then resolves', () => {
  const onBattery = { power: { on_mains: false, status: 'OB DISCHRG', battery_pct: 90, runtime_s: 1500 } };
  b.run(5, () => siteSecond('lac-son', HEALTHY_LINK, onBattery), ['lac-son']);
  b.restart();
  b.run(20, () => siteSecond('lac-son', HEALTHY_LINK, onBattery), ['lac-son']);
  assert.equal(b.incidents('onBattery').length, 1);
  b.run(2, () => siteSecond('lac-son', HEALTHY_LINK), ['lac-son']);
  const list = b.incidents('onBattery');
  assert.equal(list.length, 1);
  assert.equal(list[0]!.state, 'resolved');
  assert.deepEqual(b.incidents('siteOffline'), [], 'a restart does not call every site offline');
});

test('a cause that comes back within the reopen time reopens its incident', () => {
  const onBattery = { power: { on_mains: false, status: 'OB DISCHRG', battery_pct: 90, runtime_s: 1500 } };
  b.run(3, () => siteSecond('lac-son', HEALTHY_LINK, onBattery), ['lac-son']);
  b.run(60);
  b.run(3, () => siteSecond('lac-son', HEALTHY_LINK, onBattery), ['lac-son']);
  const list = b.incidents('onBattery');
  assert.equal(list.length, 1);
  assert.equal(list[0]!.reopenCount, 1);
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['opened', 'resolved', 'reopened'],
  );
  b.run(2);
  b.run(31 * 60);
  b.run(3, () => siteSecond('lac-son', HEALTHY_LINK, onBattery), ['lac-son']);
  assert.equal(b.incidents('onBattery').length, 2, 'after the reopen time it is a new incident');
});

test('policy breaches: one incident per kind and site, each breach on its timeline, cleared after 10 quiet minutes', () => {
  b.engine.onBreach({
    type: 'mic-without-floor',
    site: 'kim-boi',
    meeting: 'm1',
    detail: 'kim-boi opened its microphone without the floor',
    at: b.now,
  });
  b.run(5);
  b.engine.onBreach({ type: 'mic-without-floor', site: 'kim-boi', meeting: 'm1', detail: 'again', at: b.now });
  b.run(5);
  const [i] = b.incidents('micWithoutFloor');
  assert.equal(b.incidents('micWithoutFloor').length, 1);
  assert.ok(b.store.timeline(i!.id).some((e) => e.kind === 'evidence' && e.text === 'again'));
  b.run(601);
  assert.equal(b.incidents('micWithoutFloor')[0]!.state, 'resolved');
});

test('a critical incident nobody acknowledged in 10 minutes escalates, once', () => {
  b.run(10 * 60 + 15, () => {}, ['da-bac']);
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['opened', 'escalated'],
  );
  assert.ok(b.incidents('siteOffline')[0]!.escalatedAt !== null);
});

test('a reopened critical incident gets its full time before it escalates', () => {
  b.run(15, () => {}, ['da-bac']);
  runUntil(
    30,
    () => {},
    () => b.incidents('siteOffline')[0]!.state === 'resolved',
    [],
  );
  b.run(12 * 60); // longer than the escalation time, shorter than the reopen time
  b.run(15, () => {}, ['da-bac']);
  assert.equal(b.incidents('siteOffline')[0]!.reopenCount, 1);
  b.run(9 * 60, () => {}, ['da-bac']);
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['opened', 'resolved', 'reopened'],
    'not escalated 9 minutes after it reopened',
  );
  b.run(90, () => {}, ['da-bac']);
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['opened', 'resolved', 'reopened', 'escalated'],
  );
});

test('a restart while a site is still offline neither resolves nor reopens its incident', () => {
  b.run(15, () => {}, ['da-bac']);
  const [offline] = b.incidents('siteOffline');
  b.restart();
  b.run(30, () => {}, ['da-bac']);
  assert.equal(b.store.get(offline!.id)!.state, 'open');
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['opened'],
  );
});

test('offline is judged by when heartbeats arrive, not by a probe clock that runs 15 s late', () => {
  b.run(
    60,
    () => {
      b.engine.onPoints([{ measurement: 'probe', tags: { site: 'da-bac' }, fields: { seq: 1, spool_depth: 0 }, time: b.now - 15_000 }]);
    },
    ['da-bac'],
  );
  assert.deepEqual(b.incidents('siteOffline'), []);
});

test('a rule switched off closes what it had open, which then does not escalate', () => {
  b.run(15, () => {}, ['da-bac']);
  b.rules.rules.siteOffline.enabled = false;
  b.run(11 * 60, () => {}, ['da-bac']);
  const [i] = b.incidents('siteOffline');
  assert.equal(i!.state, 'resolved');
  assert.equal(i!.resolveCause, 'the rule was switched off');
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['opened', 'resolved'],
  );
});

test('a breach the NOC reads late (after a restart, an unreachable SFU) still opens its incident', () => {
  b.engine.onBreach({
    type: 'dial-outside-policy',
    site: 'luong-son',
    meeting: 'm1',
    detail: 'luong-son tried to call mai-chau',
    at: b.now - 20_000,
  });
  b.run(3);
  assert.equal(b.incidents('dialOutsidePolicy', 'luong-son').length, 1);
});

test('when its maintenance window ends inside another, an alarm stays silent until the last one is over', () => {
  const window = (id: number, startsAt: number, endsAt: number, site: string | null) => ({
    id,
    site,
    reason: 'bảo trì',
    startsAt,
    endsAt,
    createdBy: 'dieuhanh',
    createdAt: b.now,
  });
  b.windows = [window(1, b.now - 1000, b.now + 10_000, 'lac-son'), window(2, b.now + 5000, b.now + 30_000, null)];
  const onBattery = { power: { on_mains: false, status: 'OB DISCHRG', battery_pct: 90, runtime_s: 1500 } };
  b.run(20, () => siteSecond('lac-son', HEALTHY_LINK, onBattery), ['lac-son']);
  const [i] = b.incidents('onBattery');
  assert.equal(i!.maintenanceWindow, 2, 'the network-wide window took over');
  assert.equal(b.notices.length, 0, 'nothing sent while a window covers it');
  b.run(15, () => siteSecond('lac-son', HEALTHY_LINK, onBattery), ['lac-son']);
  assert.deepEqual(
    b.notices.map((n) => n.event),
    ['unsuppressed'],
  );
});

function meeting(invitedSites: string[], createdAt: number): MeetingRecord {
  return {
    id: 'm-1',
    kind: 'giao-ban',
    title: 'Giao ban tháng 12',
    invitedSites,
    floor: 'so-gddt',
    queue: [],
    layout: { featuredSite: null, grid: 9, followSpeaker: true },
    createdAt,
    loadTest: false,
    activeOn: 'main',
  };
}
