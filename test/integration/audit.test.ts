// The audit log on a real NOC server: what an acknowledgement, a user change
// and a rule change wrote (who, action, target, detail), read back through
// `GET /api/admin/audit` with its filters (who, action, target, time range)
// and paging; bad filters are refused naming the field.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditPage } from '@noc/shared/audit-query';
import type { Incident } from '@noc/shared/incidents';
import type { RulesAnswer } from '@noc/shared/http-api';
import { waitFor } from '@noc/shared/wait';
import { fetchAs, signInNewUser } from '../fixtures/auth.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';

let noc: NocFixture;
let admin: string;
let operator: string;
let started: number;

async function audit(query: string): Promise<AuditPage> {
  const res = await fetchAs(admin, `${noc.url}/api/admin/audit${query}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as AuditPage;
}

before(async () => {
  started = Date.now();
  noc = await startTestNocServer();
  admin = await noc.adminCookie();
  operator = await signInNewUser(noc.url, admin, { username: 'dieuhanh-audit', role: 'operator' });
});

after(async () => {
  await noc?.stop();
});

test('an acknowledgement: who, the action, the incident and the comment', async () => {
  // A UPS on battery at Đà Bắc, through the ingest gateway: an incident at once.
  const res = await fetch(`${noc.url}/api/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${noc.tokenFor('da-bac')}` },
    body: JSON.stringify({ samples: [{ measurement: 'power', tags: {}, fields: { on_mains: false, battery_pct: 90 } }] }),
  });
  assert.equal(res.status, 202);
  let incident: Incident | undefined;
  await waitFor(
    'the on-battery incident',
    async () => {
      const r = await fetchAs(admin, `${noc.url}/api/incidents?site=da-bac&state=active`);
      incident = ((await r.json()) as { incidents: Incident[] }).incidents.find((i) => i.rule === 'onBattery');
      return incident !== undefined;
    },
    { timeoutMs: 15_000, intervalMs: 100 },
  );
  const ack = await fetchAs(operator, `${noc.url}/api/incidents/${incident!.id}/ack`, {
    method: 'POST',
    json: { comment: 'Đã gọi TTGDTX Đà Bắc, đang chạy máy phát' },
  });
  assert.equal(ack.status, 200, await ack.clone().text());

  const page = await audit(`?target=incident:${incident!.id}`);
  assert.equal(page.total, 1);
  const [entry] = page.entries;
  assert.equal(entry!.by, 'dieuhanh-audit');
  assert.equal(entry!.action, 'incident.acknowledge');
  assert.equal(entry!.target, `incident:${incident!.id}`);
  assert.deepEqual(entry!.detail, { comment: 'Đã gọi TTGDTX Đà Bắc, đang chạy máy phát' });
  assert.ok(entry!.at >= started && entry!.at <= Date.now());
});

test('a user change: created and changed, the new password never written', async () => {
  await signInNewUser(noc.url, admin, { username: 'kt-mai-chau-audit', role: 'technician', site: 'mai-chau' });
  const patch = await fetchAs(admin, `${noc.url}/api/admin/users/kt-mai-chau-audit`, {
    method: 'PATCH',
    json: { displayName: 'Hà Văn Tuấn', password: 'mat-khau-moi-2026' },
  });
  assert.equal(patch.status, 200, await patch.clone().text());
  const page = await audit('?target=user:kt-mai-chau-audit');
  assert.deepEqual(
    page.entries.map((e) => [e.by, e.action, e.target, e.detail]),
    [
      ['admin', 'user.update', 'user:kt-mai-chau-audit', { displayName: 'Hà Văn Tuấn', password: '(changed)' }],
      ['admin', 'user.create', 'user:kt-mai-chau-audit', { displayName: 'kt-mai-chau-audit', role: 'technician', site: 'mai-chau' }],
    ],
  );
  assert.ok(!JSON.stringify(await audit('')).includes('mat-khau-moi-2026'), 'the password is nowhere in the log');
});

test('a rule change: each value changed, before and after', async () => {
  const current = (await (await fetchAs(admin, `${noc.url}/api/incident-rules`)).json()) as RulesAnswer;
  const rules = structuredClone(current.rules);
  const before = rules.rules.tempHigh.threshold;
  rules.rules.tempHigh.threshold = 33;
  rules.rules.lossHigh.forSeconds = 45;
  const put = await fetchAs(admin, `${noc.url}/api/incident-rules`, { method: 'PUT', json: rules });
  assert.equal(put.status, 200, await put.clone().text());
  const page = await audit('?action=rules.replace');
  assert.equal(page.total, 1);
  assert.equal(page.entries[0]!.by, 'admin');
  assert.equal(page.entries[0]!.target, 'incident-rules');
  const { changed } = page.entries[0]!.detail as { changed: { path: string; from: unknown; to: unknown }[] };
  assert.deepEqual(
    changed.sort((a, b) => a.path.localeCompare(b.path)),
    [
      { path: 'rules.lossHigh.forSeconds', from: current.rules.rules.lossHigh.forSeconds, to: 45 },
      { path: 'rules.tempHigh.threshold', from: before, to: 33 },
    ],
  );
});

test('filters: who, a family of actions, a time range; pages of the newest first', async () => {
  const all = await audit('?limit=500');
  assert.equal(all.total, all.entries.length);
  assert.ok(all.total >= 5);
  const times = all.entries.map((e) => e.at);
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
    'newest first',
  );

  const byOperator = await audit('?by=dieuhanh-audit');
  assert.ok(byOperator.total >= 1 && byOperator.entries.every((e) => e.by === 'dieuhanh-audit'));
  const users = await audit('?action=user.');
  assert.ok(users.entries.length >= 3 && users.entries.every((e) => e.action.startsWith('user.')));
  assert.equal((await audit('?action=user')).total, 0, 'without its dot an action is matched exactly');

  const first = await audit('?limit=2');
  const second = await audit('?limit=2&offset=2');
  assert.equal(first.total, all.total);
  assert.deepEqual([...first.entries, ...second.entries], all.entries.slice(0, 4));

  const after = await audit(`?from=${Date.now() + 60_000}`);
  assert.deepEqual(after, { entries: [], total: 0 });
  const within = await audit(`?from=${started}&to=${Date.now() + 1}`);
  assert.equal(within.total, all.total);
});

test('bad filters are refused naming the field', async () => {
  for (const [query, field] of [
    ['?limit=0', 'limit'],
    ['?limit=abc', 'limit'],
    ['?from=200&to=100', 'to'],
    ['?offset=-1', 'offset'],
    ['?who=admin', 'who'],
  ] as const) {
    const res = await fetchAs(admin, `${noc.url}/api/admin/audit${query}`);
    assert.equal(res.status, 400, query);
    const body = (await res.json()) as { error: string; field?: string };
    assert.match(body.error, /^invalid audit query: /);
    assert.equal(body.field ?? '', field, `${query}: ${body.error}`);
  }
});
