// Meeting plans (Điều 7) on a real NOC server and a real SFU node: the regular
// meetings of shared/data/schedule.json become plans on the first start and
// never again; operators and admins make and change plans, a technician reads
// those inviting its site and may not write; more than 40 attendees at a point
// is refused naming the site; the calendar is the admins'; and a plan opens its
// SFU meeting at its start, retrying while the SFU is away, once per occurrence
// across a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry } from '@noc/shared/incidents';
import type { MeetingRecord } from '@noc/shared/meeting';
import type { MeetingPlan, PlanCalendar, PlanInput, PlanOccurrence } from '@noc/shared/meeting-plans';
import { waitFor } from '@noc/shared/wait';
import { fetchAs, signInNewUser } from '../fixtures/auth.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const CENTRES = ['tinh', 'da-bac', 'mai-chau', 'tan-lac', 'lac-son', 'cao-phong', 'kim-boi', 'luong-son', 'lac-thuy', 'yen-thuy'];
/** A wall-clock time in Hà Nội (UTC+7) as ms since the epoch. */
const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h - 7, mi);

let dir: { path: string; remove(): Promise<void> };
let sfuPort: number;
let noc: NocFixture;
let sfu: SfuFixture | null = null;
const cookies = { admin: '', operator: '', chair: '', technician: '' };

const startNoc = () =>
  startTestNocServer({ dataDir: dir.path, sfuUrl: `http://127.0.0.1:${sfuPort}`, env: { NOC_PLAN_OPEN_RETRY_MS: '300' } });

async function call<T>(who: keyof typeof cookies, method: string, path: string, json?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetchAs(cookies[who], `${noc.url}${path}`, { method, ...(json === undefined ? {} : { json }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function signInAll(): Promise<void> {
  cookies.admin = await noc.adminCookie();
  const fresh = !noc.server.ctx.auth.users.get('dieuhanh');
  if (fresh) {
    cookies.operator = await signInNewUser(noc.url, cookies.admin, { username: 'dieuhanh', role: 'operator' });
    cookies.chair = await signInNewUser(noc.url, cookies.admin, { username: 'chutri', role: 'chair' });
    cookies.technician = await signInNewUser(noc.url, cookies.admin, { username: 'kt-da-bac', role: 'technician', site: 'da-bac' });
  }
}

const meeting = (over: Partial<PlanInput> = {}): PlanInput => ({
  kind: 'hop',
  title: 'Họp triển khai nhiệm vụ GDTX',
  content: 'Triển khai nhiệm vụ năm học',
  chair: 'Phó Giám đốc Sở',
  invitedSites: ['da-bac', 'mai-chau'],
  attendees: { 'da-bac': 25, 'mai-chau': 30 },
  officialLetter: '125/SGDĐT-GDTX',
  timing: { type: 'once', start: vn(2031, 3, 4, 8), end: vn(2031, 3, 4, 10) },
  ...over,
});

const plansAs = async (who: keyof typeof cookies) => (await call<{ plans: MeetingPlan[] }>(who, 'GET', '/api/plans')).body.plans;
const audit = async () => (await call<{ entries: AuditEntry[] }>('admin', 'GET', '/api/admin/audit')).body.entries;
const meetingsNow = async () => (await call<{ meetings: MeetingRecord[] }>('admin', 'GET', '/api/meetings')).body.meetings;

before(async () => {
  dir = await tempDir('plans');
  sfuPort = await freePort();
  noc = await startNoc();
  await signInAll();
});

after(async () => {
  await noc?.stop();
  await sfu?.stop();
  await dir?.remove();
});

test('on the first start the regular meetings of schedule.json become three plans inviting every centre', async () => {
  const plans = await plansAs('admin');
  assert.deepEqual(
    plans.map((p) => [p.kind, p.seeded, p.timing.type === 'recurring' ? p.timing.days : null]),
    [
      ['giao-ban', true, [25]],
      ['sinh-hoat-chuyen-mon', true, [15]],
      ['tap-huan', true, [10]],
    ],
  );
  for (const p of plans) {
    assert.deepEqual(p.invitedSites, CENTRES);
    assert.equal(p.chair, 'Lãnh đạo Sở');
    assert.ok(Object.values(p.attendees).every((n) => n > 0 && n <= 40));
  }
  assert.ok((await audit()).some((e) => e.action === 'plan.seed'));
});

test('an operator makes and changes a plan, each change in the audit log; occurrences follow', async () => {
  const made = await call<{ plan: MeetingPlan }>('operator', 'POST', '/api/plans', meeting());
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.plan.createdBy, 'dieuhanh');
  assert.equal(made.body.plan.seeded, false);
  const id = made.body.plan.id;

  const changed = await call<{ plan: MeetingPlan }>('admin', 'PUT', `/api/plans/${id}`, meeting({ title: 'Họp triển khai (dời lịch)' }));
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.plan.title, 'Họp triển khai (dời lịch)');

  const range = `from=${vn(2031, 3, 1)}&to=${vn(2031, 4, 1)}`;
  const { body } = await call<{ occurrences: PlanOccurrence[] }>('chair', 'GET', `/api/plans/occurrences?${range}`);
  const mine = body.occurrences.find((o) => o.planId === id);
  assert.equal(mine?.key, `${id}@once`);
  assert.equal(mine?.title, 'Họp triển khai (dời lịch)');
  assert.equal(mine?.officialLetter, '125/SGDĐT-GDTX');
  assert.deepEqual(
    body.occurrences.map((o) => o.start),
    [...body.occurrences.map((o) => o.start)].sort((a, b) => a - b),
  );

  const actions = (await audit()).filter((e) => e.target === `plan:${id}`).map((e) => [e.action, e.by]);
  assert.deepEqual(actions.sort(), [
    ['plan.create', 'dieuhanh'],
    ['plan.update', 'admin'],
  ]);

  assert.equal((await call('operator', 'DELETE', `/api/plans/${id}`)).status, 204);
  assert.ok(!(await plansAs('admin')).some((p) => p.id === id));
  assert.ok((await audit()).some((e) => e.action === 'plan.delete' && e.target === `plan:${id}`));
});

test('41 attendees at a site are refused naming the site, an unknown site is named, an end before the start is refused; nothing changes', async () => {
  const before = await plansAs('admin');
  const tooMany = await call<{ error: string; field: string }>('operator', 'POST', '/api/plans', meeting({ attendees: { 'da-bac': 41 } }));
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.field, 'attendees.da-bac');
  assert.match(tooMany.body.error, /Đà Bắc: 41 người dự vượt quá 40 người mỗi điểm cầu \(Điều 2\.3, 4\.3\)/);

  const unknown = await call<{ error: string; field: string }>(
    'operator',
    'POST',
    '/api/plans',
    meeting({ invitedSites: ['da-bac', 'atlantis'] }),
  );
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.field, 'invitedSites[1]');
  assert.match(unknown.body.error, /unknown site "atlantis"/);

  const notInvited = await call<{ error: string; field: string }>(
    'operator',
    'POST',
    '/api/plans',
    meeting({ attendees: { 'kim-boi': 10 } }),
  );
  assert.equal(notInvited.status, 400);
  assert.equal(notInvited.body.field, 'attendees.kim-boi');

  const backwards = await call<{ field: string }>(
    'operator',
    'POST',
    '/api/plans',
    meeting({ timing: { type: 'once', start: vn(2031, 3, 4, 10), end: vn(2031, 3, 4, 8) } }),
  );
  assert.equal(backwards.status, 400);
  assert.equal(backwards.body.field, 'timing.end');

  // A change of a seeded plan to 45 attendees is refused the same way.
  const seeded = before[0]!;
  const edit = await call<{ error: string }>('admin', 'PUT', `/api/plans/${seeded.id}`, {
    ...meeting(),
    invitedSites: ['da-bac'],
    attendees: { 'da-bac': 45 },
  });
  assert.equal(edit.status, 400);
  assert.match(edit.body.error, /Đà Bắc: 45 người dự vượt quá 40 người mỗi điểm cầu/);
  assert.deepEqual(await plansAs('admin'), before);
});

test('a technician reads the plans inviting its site and may not write; the chair may not write either', async () => {
  const elsewhere = await call<{ plan: MeetingPlan }>(
    'operator',
    'POST',
    '/api/plans',
    meeting({ invitedSites: ['mai-chau'], attendees: {} }),
  );
  assert.equal(elsewhere.status, 201);
  const visible = await plansAs('technician');
  assert.ok(visible.length >= 3);
  assert.ok(visible.every((p) => p.invitedSites.includes('da-bac')));
  assert.ok(!visible.some((p) => p.id === elsewhere.body.plan.id));
  assert.ok((await plansAs('admin')).some((p) => p.id === elsewhere.body.plan.id));

  const forbidden = await call<{ error: string }>('technician', 'POST', '/api/plans', meeting());
  assert.equal(forbidden.status, 403);
  assert.equal((await call('technician', 'PUT', `/api/plans/${elsewhere.body.plan.id}`, meeting())).status, 403);
  assert.equal((await call('technician', 'DELETE', `/api/plans/${elsewhere.body.plan.id}`)).status, 403);
  assert.equal((await call('chair', 'POST', '/api/plans', meeting())).status, 403);
  assert.equal((await call('operator', 'DELETE', `/api/plans/${elsewhere.body.plan.id}`)).status, 204);
});

test("the calendar is the admins': a holiday and the shift rule move the giao ban, with the rule's date kept", async () => {
  assert.equal((await call('operator', 'GET', '/api/plans/calendar')).status, 403);
  assert.equal((await call('operator', 'PUT', '/api/plans/calendar', { shift: 'later', holidays: [] })).status, 403);
  const initial = await call<{ calendar: PlanCalendar }>('admin', 'GET', '/api/plans/calendar');
  assert.deepEqual(initial.body.calendar, { shift: 'earlier', holidays: [], timeZone: 'Asia/Ho_Chi_Minh' });

  // 25 May 2032 is a Tuesday: a holiday then, and "later" holds the giao ban on Wednesday the 26th.
  const set = await call<{ calendar: PlanCalendar }>('admin', 'PUT', '/api/plans/calendar', {
    shift: 'later',
    holidays: [{ date: '2032-05-25', name: 'Nghỉ bù' }],
  });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const range = `from=${vn(2032, 5, 20)}&to=${vn(2032, 5, 31)}`;
  const { body } = await call<{ occurrences: PlanOccurrence[] }>('technician', 'GET', `/api/plans/occurrences?${range}`);
  const giaoBan = body.occurrences.find((o) => o.kind === 'giao-ban');
  assert.equal(giaoBan?.start, vn(2032, 5, 26, 8));
  assert.equal(giaoBan?.movedFrom, vn(2032, 5, 25, 8));
  assert.match(giaoBan!.key, /@2032-05-25$/);

  const bad = await call<{ field: string }>('admin', 'PUT', '/api/plans/calendar', {
    shift: 'later',
    holidays: [{ date: '2032-02-30', name: 'x' }],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'holidays[0].date');
  const badRule = await call<{ field: string }>('admin', 'PUT', '/api/plans/calendar', { shift: 'sideways', holidays: [] });
  assert.equal(badRule.status, 400);
  assert.equal(badRule.body.field, 'shift');
  assert.ok((await audit()).some((e) => e.action === 'plan.calendar' && e.by === 'admin'));
  assert.equal((await call('admin', 'PUT', '/api/plans/calendar', { shift: 'earlier', holidays: [] })).status, 200);
});

let openedKey = '';
let openedTitle = '';
let openedMeetingId = '';

test('a plan opens its SFU meeting at its start with its kind, title and sites; while the SFU is away it retries', async () => {
  const start = Date.now() + 3000;
  openedTitle = `Họp đột xuất ${start}`;
  const made = await call<{ plan: MeetingPlan }>(
    'operator',
    'POST',
    '/api/plans',
    meeting({ title: openedTitle, kind: 'hoi-nghi', timing: { type: 'once', start, end: start + 30 * 60_000 } }),
  );
  assert.equal(made.status, 201);
  openedKey = `${made.body.plan.id}@once`;
  const { store } = noc.server.ctx.plans;
  assert.equal(noc.server.ctx.plans.occurrence(openedKey)?.start, start);

  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(store.opening(openedKey), null, 'nothing tried before the start');

  // No SFU listens yet: the attempt fails, is recorded, and is tried again.
  const failing = await waitFor('failed attempts', () => {
    const o = store.opening(openedKey);
    return o && o.attempts >= 2 ? o : undefined;
  });
  assert.ok(failing.attempts >= 2);
  assert.equal(failing.openedAt, null);
  assert.match(failing.lastError ?? '', /signalling/);
  assert.ok(Date.now() >= start);

  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile });
  const opened = await waitFor('the planned meeting on the SFU', async () => (await meetingsNow()).find((m) => m.title === openedTitle), {
    timeoutMs: 30_000,
  });
  assert.equal(opened.kind, 'hoi-nghi');
  assert.deepEqual(opened.invitedSites, ['da-bac', 'mai-chau']);
  assert.ok(opened.createdAt >= start, 'opened at its start, not before');
  assert.equal(opened.loadTest, false);
  const record = store.opening(openedKey);
  assert.equal(record?.meetingId, opened.id);
  assert.ok(record?.openedAt != null && record.lastError === null);
  openedMeetingId = opened.id;
});

test('after a restart the plans are not seeded again and the opened meeting is not opened twice; with every plan deleted, none comes back', async () => {
  assert.ok(openedMeetingId, 'the previous test opened the meeting');
  const plansBefore = await plansAs('admin');
  await noc.stop();
  noc = await startNoc();
  await signInAll();
  assert.deepEqual(await plansAs('admin'), plansBefore);
  // The opener checks every second; give it a few rounds and the meetings watch a poll.
  await new Promise((r) => setTimeout(r, 3000));
  const same = (await meetingsNow()).filter((m) => m.title === openedTitle);
  assert.deepEqual(
    same.map((m) => m.id),
    [openedMeetingId],
  );
  assert.equal(noc.server.ctx.plans.store.opening(openedKey)?.meetingId, openedMeetingId);

  for (const p of plansBefore) assert.equal((await call('admin', 'DELETE', `/api/plans/${p.id}`)).status, 204);
  await noc.stop();
  noc = await startNoc();
  await signInAll();
  assert.deepEqual(await plansAs('admin'), []);
  assert.equal((await call<{ occurrence: PlanOccurrence | null }>('admin', 'GET', '/api/plans/next')).body.occurrence, null);
});
