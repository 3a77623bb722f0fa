// The sites' checklists on a real NOC server: ticked by the site's own
// technician (and recorded with who and when, and in the audit log), 403 for
// another site's technician, 401 without a session, an admin acting for a
// site said so in the record, bad items refused naming the field and nothing
// saved; the shutdown checklist overdue once the grace after the end has
// passed (set to a minute here), on the board and on the site's page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SavedChecklist, SiteChecklists } from '@noc/shared/checklists';
import type { AuditEntry } from '@noc/shared/incidents';
import type { ReadinessBoard } from '@noc/shared/readiness-board';
import { fetchAs, signInNewUser } from '../fixtures/auth.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { planNow, type PlannedNow } from '../fixtures/plan-now.ts';

let noc: NocFixture;
let plans: PlannedNow[];
const cookies: Record<string, string> = {};
/** The running meeting, the one that ended a few minutes ago, and one later today or tomorrow. */
let running: string, ended: string, coming: string;

const url = (occurrence: string, site: string, kind: string) =>
  `${noc.url}/api/checklists/${encodeURIComponent(occurrence)}/${site}/${kind}`;

async function put(cookie: string | null, occurrence: string, site: string, kind: string, body: unknown) {
  const res = await fetchAs(cookie, url(occurrence, site, kind), { method: 'PUT', json: body });
  return { status: res.status, body: (await res.json()) as { checklist?: SavedChecklist; error?: string; field?: string } };
}

async function read<T>(cookie: string, path: string): Promise<T> {
  const res = await fetchAs(cookie, `${noc.url}${path}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as T;
}

before(async () => {
  noc = await startTestNocServer({ env: { NOC_SHUTDOWN_GRACE_MS: '60000' } });
  const admin = await noc.adminCookie();
  cookies.admin = admin;
  plans = [
    await planNow(noc.url, admin, { kind: 'giao-ban', title: 'Họp giao ban', startInMs: -5 * 60_000, minutes: 120 }),
    await planNow(noc.url, admin, { kind: 'sinh-hoat-chuyen-mon', title: 'Sinh hoạt chuyên môn', startInMs: -5 * 60_000, minutes: 2 }),
    await planNow(noc.url, admin, { kind: 'tap-huan', title: 'Tập huấn trực tuyến', startInMs: 5 * 3600_000, minutes: 60 }),
  ];
  [running, ended, coming] = plans.map((o) => o.key) as [string, string, string];
  cookies.daBac = await signInNewUser(noc.url, admin, {
    username: 'kt-da-bac',
    displayName: 'KTV Đà Bắc',
    role: 'technician',
    site: 'da-bac',
  });
  cookies.maiChau = await signInNewUser(noc.url, admin, { username: 'kt-mai-chau', role: 'technician', site: 'mai-chau' });
  cookies.soGddt = await signInNewUser(noc.url, admin, { username: 'kt-so', role: 'technician', site: 'so-gddt' });
  cookies.chair = await signInNewUser(noc.url, admin, { username: 'chutri', role: 'chair' });
});

after(async () => {
  await noc?.stop();
});

const allFine = { items: { equipment: { ok: true }, 'mains-power': { ok: true }, 'backup-power': { ok: true }, sound: { ok: true } } };

test("the site's own technician ticks its checklist: recorded with who and when, and audited", async () => {
  const before = Date.now();
  const saved = await put(cookies.daBac!, running, 'da-bac', 'pre', {
    items: { ...allFine.items, picture: { ok: false, note: '  Màn hình chiếu bị mờ  ' }, 'camera-frame': { ok: true } },
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const c = saved.body.checklist!;
  assert.equal(c.by, 'kt-da-bac');
  assert.equal(c.byName, 'KTV Đà Bắc');
  assert.equal(c.byRole, 'technician');
  assert.ok(c.at >= before && c.at <= Date.now());
  assert.deepEqual(c.items.picture, { ok: false, note: 'Màn hình chiếu bị mờ' });
  assert.deepEqual(c.items.sound, { ok: true });

  const got = await read<{ checklist: SavedChecklist }>(cookies.admin!, `/api/checklists/${encodeURIComponent(running)}/da-bac/pre`);
  assert.deepEqual(got.checklist, c);
  assert.deepEqual(noc.server.ctx.checklists.get(running, 'da-bac', 'pre'), c);

  const { entries } = await read<{ entries: AuditEntry[] }>(cookies.admin!, '/api/admin/audit');
  const entry = entries.find((e) => e.action === 'checklist.pre' && e.target === `checklist:${running}/da-bac`);
  assert.ok(entry, 'the save is in the audit log');
  assert.equal(entry.by, 'kt-da-bac');
  assert.equal((entry.detail as { actingFor: string | null }).actingFor, null);
});

test("another site's technician gets 403, nobody signed in 401, the chair 403; nothing is saved", async () => {
  const body = allFine;
  const other = await put(cookies.daBac!, running, 'mai-chau', 'pre', body);
  assert.equal(other.status, 403);
  assert.match(other.body.error!, /mai-chau/);
  assert.equal((await put(null, running, 'mai-chau', 'pre', body)).status, 401);
  assert.equal((await put(cookies.chair!, running, 'mai-chau', 'pre', body)).status, 403);
  assert.equal(noc.server.ctx.checklists.get(running, 'mai-chau', 'pre'), null);
  // Reading another site's checklist is refused to a technician too.
  assert.equal((await fetchAs(cookies.daBac!, url(running, 'mai-chau', 'pre'))).status, 403);
  assert.equal((await fetchAs(cookies.maiChau!, url(running, 'mai-chau', 'pre'))).status, 200);
});

test('an admin acting for a site is recorded as such', async () => {
  const saved = await put(cookies.admin!, running, 'mai-chau', 'pre', allFine);
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.checklist!.byRole, 'admin');
  assert.equal(saved.body.checklist!.by, 'admin');
  const { entries } = await read<{ entries: AuditEntry[] }>(cookies.admin!, '/api/admin/audit');
  const entry = entries.find((e) => e.action === 'checklist.pre' && e.target === `checklist:${running}/mai-chau`);
  assert.equal((entry?.detail as { actingFor: string | null } | undefined)?.actingFor, 'mai-chau');
});

test('bad checklists are refused naming the field, and change nothing', async () => {
  const cases: [string, string, unknown, string][] = [
    ['pre', 'an item found wrong without a note', { items: { sound: { ok: false } } }, 'items.sound.note'],
    ['pre', 'an item found wrong with a blank note', { items: { sound: { ok: false, note: '   ' } } }, 'items.sound.note'],
    ['pre', 'an item that is on no list', { items: { coffee: { ok: true } } }, 'items.coffee'],
    ['pre', 'a shutdown item on the pre-meeting list', { items: { 'power-cut': { ok: true } } }, 'items.power-cut'],
    ['shutdown', 'a pre-meeting item on the shutdown list', { items: { sound: { ok: true } } }, 'items.sound'],
    ['pre', '"ok" that is no boolean', { items: { sound: { ok: 'yes' } } }, 'items.sound.ok'],
    ['pre', 'no item at all', { items: {} }, 'items'],
    ['pre', 'no items', {}, 'items'],
    ['pre', 'a field of its own', { items: { sound: { ok: true } }, by: 'someone' }, 'by'],
    ['later', 'a kind that is neither', allFine, 'kind'],
  ];
  for (const [kind, what, body, field] of cases) {
    const res = await put(cookies.daBac!, running, 'da-bac', kind, body);
    assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.field, field, `${what}: ${res.body.error}`);
    assert.ok(res.body.error!.includes(field), `${what}: the message names ${field}: ${res.body.error}`);
  }
  // The earlier save stands as it was.
  assert.deepEqual(noc.server.ctx.checklists.get(running, 'da-bac', 'pre')!.items.picture, { ok: false, note: 'Màn hình chiếu bị mờ' });
  assert.equal(noc.server.ctx.checklists.get(running, 'da-bac', 'shutdown'), null);

  const notInvited = await put(cookies.soGddt!, running, 'so-gddt', 'pre', allFine);
  assert.equal(notInvited.status, 400, JSON.stringify(notInvited.body));
  assert.equal(notInvited.body.field, 'site');
  assert.equal(noc.server.ctx.checklists.get(running, 'so-gddt', 'pre'), null);
  const unknown = await put(cookies.admin!, '12345@once', 'da-bac', 'pre', allFine);
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error!, /12345@once/);
  const early = await put(cookies.daBac!, coming, 'da-bac', 'shutdown', { items: { 'equipment-off': { ok: true } } });
  assert.equal(early.status, 409, 'no shutdown checklist before the meeting begins');
  assert.equal(noc.server.ctx.checklists.get(coming, 'da-bac', 'shutdown'), null);
});

test('a shutdown checklist not ticked by the grace after the end is overdue: on the board and on the site page', async () => {
  const end = plans[1]!.end;
  assert.ok(Date.now() >= end + 60_000, 'the short meeting ended more than the grace ago');
  const tick = await put(cookies.daBac!, ended, 'da-bac', 'shutdown', {
    items: { 'equipment-off': { ok: true }, 'power-cut': { ok: true } },
  });
  assert.equal(tick.status, 200, JSON.stringify(tick.body));

  const board = await read<ReadinessBoard>(cookies.chair!, `/api/readiness-board?occurrence=${encodeURIComponent(ended)}`);
  assert.equal(board.phase, 'after');
  assert.equal(board.overdueAt, end + 60_000);
  const daBac = board.sites.find((s) => s.site === 'da-bac')!;
  const maiChau = board.sites.find((s) => s.site === 'mai-chau')!;
  assert.equal(daBac.shutdownOverdue, false);
  assert.equal(daBac.shutdown?.by, 'kt-da-bac');
  assert.equal(maiChau.shutdownOverdue, true);
  assert.equal(maiChau.shutdown, null);
  assert.equal(board.overdue, board.sites.length - 1);

  const page = await read<SiteChecklists>(cookies.maiChau!, '/api/sites/mai-chau/checklists');
  assert.equal(page.last?.occurrence.key, ended);
  assert.equal(page.last?.overdue, true);
  assert.equal(page.next?.occurrence.key, running, 'the running meeting is the next one to check for');
  const own = await read<SiteChecklists>(cookies.daBac!, '/api/sites/da-bac/checklists');
  assert.equal(own.last?.overdue, false);
  assert.equal(own.next?.checklist?.items.picture?.ok, false);

  // The running meeting's board: nothing overdue yet; its sites' checklists and states as they stand.
  const live = await read<ReadinessBoard>(cookies.chair!, '/api/readiness-board');
  assert.equal(live.occurrence?.key, running, 'the board shows the running meeting by default');
  assert.equal(live.phase, 'during');
  assert.equal(live.overdue, 0);
  const daBacLive = live.sites.find((s) => s.site === 'da-bac')!;
  assert.equal(daBacLive.state, 'not-ready', 'an item found wrong makes the site not ready');
  assert.ok(
    daBacLive.reasons.some((r) => r.code === 'checklist-item' && r.params?.item === 'picture' && r.params.note === 'Màn hình chiếu bị mờ'),
  );
  assert.equal(daBacLive.checkedBy, 'kt-da-bac');
  assert.equal(live.sites.find((s) => s.site === 'tan-lac')!.state, 'not-checked');
  assert.ok(live.choices.some((c) => c.key === coming));
});
