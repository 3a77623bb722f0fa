// The regulation's rules for one meeting (sfu/src/meetings/meeting-policy.ts),
// on plain members and without any media: the floor, the speaking queue, the
// 40 seats of a site, the invitation list, the dial policy, the layout kept by
// the control centre, the chat, and the breaches recorded for the incidents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessRole } from '@noc/shared/access-token';
import type { MeetingRecord } from '@noc/shared/meeting';
import { MAX_SEATS_PER_SITE } from '@noc/shared/sites';
import { MeetingError, type MeetingErrorCode } from '../../sfu/src/meetings/meeting-error.ts';
import { MeetingPolicy, refuseDial, requireRole, type Member } from '../../sfu/src/meetings/meeting-policy.ts';
import { createPolicyLog, type PolicyLog } from '../../sfu/src/meetings/policy-log.ts';

const INVITED = ['da-bac', 'mai-chau', 'tan-lac'];

let nextId = 0;
const member = (role: AccessRole, site: string | null = null, name?: string): Member => ({ id: `m${++nextId}`, role, site, name });

function setUp(
  opts: { carried?: Pick<MeetingRecord, 'floor' | 'queue' | 'layout' | 'createdAt'>; loadTest?: boolean; testCall?: boolean } = {},
) {
  const log: PolicyLog = createPolicyLog(() => {});
  let clock = 1_000;
  const policy = new MeetingPolicy({
    id: 'm-1',
    kind: 'giao-ban',
    title: 'Giao ban tháng',
    invitedSites: INVITED,
    log,
    now: () => (clock += 10),
    ...opts,
  });
  return { policy, log };
}

/** Asserts that `fn` is refused with a meeting error of `code` (and a message matching `message`). */
function refused(fn: () => unknown, code: MeetingErrorCode, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof MeetingError, `a meeting error, not ${String(err)}`);
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test('the floor: granted to an invited site, which leaves the queue; taken back; a microphone opens only with it', () => {
  const { policy, log } = setUp();
  const daBac = member('site', 'da-bac');
  policy.admit(daBac);
  assert.equal(policy.micMayOpen('da-bac'), false);
  refused(() => policy.requireFloorToOpenMic(daBac), 'floor-required', /floor/);
  assert.deepEqual(
    log.list().map((e) => [e.type, e.site, e.meeting]),
    [['mic-without-floor', 'da-bac', 'm-1']],
    'the breach is recorded',
  );

  assert.equal(policy.requestFloor(daBac, undefined), true);
  assert.equal(policy.grantFloor('operator', 'da-bac'), null, 'nobody held the floor before');
  assert.equal(policy.floor, 'da-bac');
  assert.deepEqual(policy.queue(), [], 'the granted request leaves the queue');
  assert.equal(policy.layout.featuredSite, 'da-bac', 'following the speaker, the layout features it');
  assert.equal(policy.micMayOpen('da-bac'), true);
  assert.equal(policy.micMayOpen('mai-chau'), false);
  policy.requireFloorToOpenMic(daBac);
  assert.equal(log.list().length, 1, 'an allowed microphone is no breach');

  assert.equal(policy.grantFloor('chair', 'mai-chau'), 'da-bac', 'the chair moves the floor on');
  assert.equal(policy.micMayOpen('da-bac'), false);
  assert.equal(policy.revokeFloor('operator'), 'mai-chau');
  assert.equal(policy.floor, null);
  assert.equal(policy.revokeFloor('operator'), null, 'nothing to take back');

  refused(() => policy.grantFloor('site', 'da-bac'), 'not-allowed', /a site may not give the floor/);
  refused(() => policy.grantFloor('seat', 'da-bac'), 'not-allowed');
  refused(() => policy.revokeFloor('site'), 'not-allowed');
  refused(() => policy.grantFloor('operator', 'lac-son'), 'not-in-meeting', /lac-son/);
  assert.equal(policy.floor, null, 'a refused grant changes nothing');
});

test('the speaking queue keeps the order requests came in, once per site, and loses a request when dismissed', () => {
  const { policy } = setUp();
  const [daBac, maiChau, tanLac] = INVITED.map((s) => member('site', s));
  const operator = member('operator', null, 'Tổ CNTT');
  const chair = member('chair');
  for (const m of [daBac!, maiChau!, tanLac!, operator, chair]) policy.admit(m);

  assert.equal(policy.requestFloor(maiChau!, undefined), true);
  assert.equal(policy.requestFloor(operator, 'tan-lac'), true);
  assert.equal(policy.requestFloor(chair, 'da-bac'), true);
  assert.equal(policy.requestFloor(maiChau!, 'mai-chau'), false, 'a site already queued is not queued again');
  assert.deepEqual(
    policy.queue().map((r) => [r.site, r.by]),
    [
      ['mai-chau', 'site'],
      ['tan-lac', 'operator'],
      ['da-bac', 'chair'],
    ],
  );
  const times = policy.queue().map((r) => r.at);
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
    'each request keeps the time it was raised',
  );

  refused(() => policy.requestFloor(daBac!, 'mai-chau'), 'not-allowed', /only for itself/);
  refused(() => policy.requestFloor(member('seat', 'tan-lac'), 'tan-lac'), 'not-allowed', /a seat may not raise a speaking request/);
  refused(() => policy.requestFloor(operator, undefined), 'bad-request', /name the site/);
  refused(() => policy.requestFloor(operator, 'lac-son'), 'not-in-meeting');

  policy.grantFloor('operator', 'tan-lac');
  assert.deepEqual(
    policy.queue().map((r) => r.site),
    ['mai-chau', 'da-bac'],
  );
  assert.equal(policy.requestFloor(tanLac!, undefined), false, 'the site with the floor is not queued');
  refused(() => policy.dismiss('site', 'mai-chau'), 'not-allowed');
  assert.equal(policy.dismiss('chair', 'mai-chau'), true);
  assert.equal(policy.dismiss('chair', 'mai-chau'), false, 'nothing left to dismiss');
  assert.deepEqual(
    policy.queue().map((r) => r.site),
    ['da-bac'],
  );
});

test(`a site has at most ${MAX_SEATS_PER_SITE} seats: the next one is refused, and a seat that leaves frees its place`, () => {
  const { policy } = setUp();
  const seats = Array.from({ length: MAX_SEATS_PER_SITE }, (_, i) => member('seat', 'tan-lac', `Ghế ${i + 1}`));
  for (const seat of seats) policy.admit(seat);
  refused(() => policy.admit(member('seat', 'tan-lac')), 'seat-limit', /40/);
  policy.admit(member('seat', 'da-bac'));
  policy.admit(member('site', 'tan-lac'));
  assert.deepEqual(
    policy.state().present.find((p) => p.site === 'tan-lac'),
    { site: 'tan-lac', endpoint: true, seats: MAX_SEATS_PER_SITE },
    'the conference PC is no seat, and the refused seat is not counted',
  );
  assert.equal(policy.depart(seats[0]!), true);
  assert.equal(policy.depart(seats[0]!), false, 'a member leaves once');
  policy.admit(member('seat', 'tan-lac'));
  refused(() => policy.admit(member('seat', 'tan-lac')), 'seat-limit');
});

test('a site not invited may not join, nor its seats, and the attempt is recorded; the control centre needs no invitation', () => {
  const { policy, log } = setUp();
  refused(() => policy.admit(member('site', 'lac-son')), 'not-invited', /not invited/);
  refused(() => policy.admit(member('seat', 'lac-son')), 'not-invited');
  assert.deepEqual(
    log.list().map((e) => [e.type, e.site]),
    [
      ['uninvited-join', 'lac-son'],
      ['uninvited-join', 'lac-son'],
    ],
  );
  assert.equal(policy.members().length, 0);
  policy.admit(member('operator'));
  policy.admit(member('chair'));
  assert.equal(policy.members().length, 2);

  refused(() => policy.invite('site', 'lac-son'), 'not-allowed');
  assert.equal(policy.invite('operator', 'lac-son'), true);
  assert.equal(policy.invite('operator', 'lac-son'), false, 'already invited');
  policy.admit(member('site', 'lac-son'));
  assert.ok(policy.state().present.some((p) => p.site === 'lac-son' && p.endpoint));
});

test("a site's new conference PC replaces its earlier one; seats stay", () => {
  const { policy } = setUp();
  const first = member('site', 'da-bac');
  const seat = member('seat', 'da-bac');
  policy.admit(first);
  policy.admit(seat);
  const second = member('site', 'da-bac');
  assert.deepEqual(policy.admit(second), [first]);
  assert.deepEqual(policy.members(), [seat, second]);
});

test('removing a site takes its members out, its request, its floor and its featured place', () => {
  const { policy } = setUp();
  const daBac = member('site', 'da-bac');
  const seat = member('seat', 'da-bac');
  const maiChau = member('site', 'mai-chau');
  for (const m of [daBac, seat, maiChau]) policy.admit(m);
  policy.requestFloor(daBac, undefined);
  policy.grantFloor('operator', 'da-bac');
  policy.requestFloor(daBac, undefined);
  refused(() => policy.remove('chair', 'da-bac'), 'not-allowed');
  assert.deepEqual(policy.remove('operator', 'da-bac'), [daBac, seat]);
  assert.deepEqual(policy.members(), [maiChau]);
  assert.equal(policy.isInvited('da-bac'), false);
  assert.equal(policy.floor, null);
  assert.equal(policy.layout.featuredSite, null);
  refused(() => policy.admit(member('site', 'da-bac')), 'not-invited');
  refused(() => policy.remove('operator', 'da-bac'), 'not-in-meeting');
});

test('a site may not call another point: refused and recorded; the control centre is told to invite instead', () => {
  const { log } = setUp();
  const dial = (caller: Pick<Member, 'role' | 'site'>) => () => refuseDial(log, caller, 'mai-chau', 'm-1');
  refused(dial({ role: 'site', site: 'da-bac' }), 'dial-refused', /Điều 9\.2/);
  refused(dial({ role: 'seat', site: 'tan-lac' }), 'dial-refused');
  assert.deepEqual(
    log.list().map((e) => [e.type, e.site, e.meeting]),
    [
      ['dial-outside-policy', 'da-bac', 'm-1'],
      ['dial-outside-policy', 'tan-lac', 'm-1'],
    ],
  );
  refused(dial({ role: 'operator', site: null }), 'bad-request', /site\.invite/);
  assert.equal(log.list().length, 2, "the control centre's attempt is no breach");
});

test('only sites send media; the layout is set by the control centre only, and only with invited sites', () => {
  const { policy } = setUp();
  policy.requireSender(member('site', 'da-bac'));
  refused(() => policy.requireSender(member('seat', 'da-bac')), 'not-allowed', /only receives/);
  refused(() => policy.requireSender(member('operator')), 'not-allowed');
  refused(() => requireRole('seat', 'send'), 'not-allowed', /a seat may not send media/);

  for (const role of ['site', 'seat', 'chair'] as const) {
    refused(() => policy.setLayout(role, { grid: 9 }), 'not-allowed', /change the layout/);
  }
  assert.deepEqual(policy.layout, { featuredSite: null, grid: 4, followSpeaker: true }, 'refused changes leave the layout');
  assert.deepEqual(policy.setLayout('operator', { featuredSite: 'mai-chau', grid: 9, followSpeaker: false }), {
    featuredSite: 'mai-chau',
    grid: 9,
    followSpeaker: false,
  });
  refused(() => policy.setLayout('operator', { featuredSite: 'lac-son' }), 'not-in-meeting');
  assert.deepEqual(policy.setLayout('operator', { grid: 16 }), { featuredSite: 'mai-chau', grid: 16, followSpeaker: false });
  policy.grantFloor('operator', 'da-bac');
  assert.equal(policy.layout.featuredSite, 'mai-chau', 'not following the speaker, the floor leaves the layout alone');
});

test('the chat: sites and the control centre write, seats read; messages carry who wrote them and the latest 200 are kept', () => {
  const { policy } = setUp();
  const daBac = member('site', 'da-bac');
  const operator = member('operator', null, 'Tổ CNTT Sở');
  const message = policy.chat(daBac, 'Đà Bắc đã sẵn sàng');
  assert.deepEqual({ ...message, at: 0 }, { from: 'da-bac', role: 'site', text: 'Đà Bắc đã sẵn sàng', at: 0 });
  assert.equal(policy.chat(operator, 'Bắt đầu').from, 'Tổ CNTT Sở');
  refused(() => policy.chat(member('seat', 'tan-lac'), 'xin chào'), 'not-allowed', /write in the chat/);
  refused(() => policy.chat(daBac, '   '), 'bad-request');
  for (let i = 0; i < 250; i++) policy.chat(operator, `tin ${i}`);
  const history = policy.chatHistory();
  assert.equal(history.length, 200);
  assert.equal(history.at(-1)!.text, 'tin 249');
  assert.equal(history[0]!.text, 'tin 50');
});

test('a meeting carried on from the other node keeps its floor, queue, layout and start; its record leaves out who is present', () => {
  const carried = {
    floor: 'mai-chau',
    queue: [{ site: 'tan-lac', at: 5, by: 'site' as const }],
    layout: { featuredSite: 'da-bac', grid: 9 as const, followSpeaker: false },
    createdAt: 42,
  };
  const { policy } = setUp({ carried });
  policy.admit(member('site', 'da-bac'));
  assert.deepEqual(policy.record('backup'), {
    id: 'm-1',
    kind: 'giao-ban',
    title: 'Giao ban tháng',
    invitedSites: INVITED,
    ...carried,
    loadTest: false,
    testCall: false,
    activeOn: 'backup',
  });
  assert.equal(policy.micMayOpen('mai-chau'), true);
  assert.deepEqual(policy.state().present, [{ site: 'da-bac', endpoint: true, seats: 0 }]);
});

test('a readiness test call says so in its state and record; a meeting made without the mark is a real one', () => {
  assert.equal(setUp().policy.state().testCall, false);
  const call = setUp({ testCall: true }).policy;
  assert.equal(call.state().testCall, true);
  assert.equal(call.record('main').testCall, true);
});

test('plain RTP transports: only a load-test token, only in a load-test meeting; the meeting says which it is', () => {
  const real = setUp().policy;
  assert.equal(real.state().loadTest, false);
  refused(() => real.requirePlainTransport(true), 'not-allowed', /meeting m-1 is not a load test/);
  refused(() => real.requirePlainTransport(false), 'not-allowed', /need a load-test token/);
  const loadTest = setUp({ loadTest: true }).policy;
  assert.equal(loadTest.state().loadTest, true);
  assert.equal(loadTest.record('main').loadTest, true);
  refused(() => loadTest.requirePlainTransport(false), 'not-allowed', /need a load-test token/);
  loadTest.requirePlainTransport(true);
});
