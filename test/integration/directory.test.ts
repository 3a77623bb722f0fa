// The directory admins edit, on a real NOC server: the file seeds the contacts
// once, then the state database is the source (a restart with another file
// keeps the edits); a contact added shows on its site's page; bad input is a
// 400 naming the field and changes nothing; each change is in the audit log.
// Without NOC_SMTP_URL the mail status says e-mail is off.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import type { AuditPage } from '@noc/shared/audit-query';
import type { DirectoryContact, SiteProfile } from '@noc/shared/directory';
import type { Incident } from '@noc/shared/incidents';
import type { MailStatus } from '@noc/shared/mail';
import { waitFor } from '@noc/shared/wait';
import { fetchAs } from '../fixtures/auth.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
let noc: NocFixture;
let admin: string;
let port: number;

const start = (env: NodeJS.ProcessEnv = {}) =>
  startTestNocServer({ port, env, dataDir: `${dir.path}/noc`, secretFile: `${dir.path}/secret.key` });

const contact = {
  name: 'Đinh Công Khánh',
  unit: 'TTGDTX huyện Đà Bắc',
  duty: 'Kỹ thuật viên trực phòng trực tuyến',
  phone: '0218 3 000 150',
  email: 'khanhdc.dabac@hoabinh.edu.vn',
  site: 'da-bac',
};

async function list(): Promise<DirectoryContact[]> {
  const res = await fetchAs(admin, `${noc.url}/api/admin/directory`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { contacts: DirectoryContact[] }).contacts;
}

const profile = async (site: string): Promise<SiteProfile> =>
  (await (await fetchAs(admin, `${noc.url}/api/sites/${site}/profile`)).json()) as SiteProfile;

before(async () => {
  dir = await tempDir('directory');
  port = await freePort();
  noc = await start();
  admin = await noc.adminCookie();
});

after(async () => {
  await noc?.stop();
  await dir?.remove();
});

test('the file seeds the directory with its technicians, the chair and the provider contact', async () => {
  const contacts = await list();
  assert.equal(contacts.length, 17);
  assert.ok(contacts.every((c) => Number.isInteger(c.id) && c.id > 0));
  assert.deepEqual(
    contacts.filter((c) => c.kind !== 'technician').map((c) => `${c.kind}:${c.site}`),
    ['chair:so-gddt', 'isp:so-gddt'],
  );
  assert.deepEqual(
    contacts.filter((c) => c.site === 'da-bac').map((c) => c.name),
    ['Xa Văn Dũng', 'Lò Thị Hương'],
  );
});

test('an admin adds, changes and removes a contact; the site page reads the directory', async () => {
  const created = await fetchAs(admin, `${noc.url}/api/admin/directory`, { method: 'POST', json: contact });
  assert.equal(created.status, 201, await created.clone().text());
  const { contact: added } = (await created.json()) as { contact: DirectoryContact };
  assert.equal(added.kind, 'technician', 'a technician unless said otherwise');
  assert.ok((await profile('da-bac')).contacts.some((c) => c.email === contact.email));

  const changed = await fetchAs(admin, `${noc.url}/api/admin/directory/${added.id}`, {
    method: 'PUT',
    json: { ...contact, phone: '0912 345 678', duty: 'Trưởng nhóm kỹ thuật' },
  });
  assert.equal(changed.status, 200, await changed.clone().text());
  const onPage = (await profile('da-bac')).contacts.find((c) => c.email === contact.email);
  assert.equal(onPage?.phone, '0912 345 678');
  assert.equal(onPage?.duty, 'Trưởng nhóm kỹ thuật');

  const removed = await fetchAs(admin, `${noc.url}/api/admin/directory/${added.id}`, { method: 'DELETE' });
  assert.equal(removed.status, 204);
  assert.ok(!(await profile('da-bac')).contacts.some((c) => c.email === contact.email));
  const again = await fetchAs(admin, `${noc.url}/api/admin/directory/${added.id}`, { method: 'DELETE' });
  assert.equal(again.status, 404);
  assert.deepEqual(await again.json(), { error: `no contact #${added.id}` });

  const audit = (await (await fetchAs(admin, `${noc.url}/api/admin/audit?target=contact:${added.id}`)).json()) as AuditPage;
  assert.deepEqual(
    audit.entries.map((e) => `${e.by} ${e.action}`),
    ['admin contact.delete', 'admin contact.update', 'admin contact.create'],
  );
  assert.deepEqual((audit.entries[1]!.detail as { to: { phone: string } }).to.phone, '0912 345 678');
});

test('bad contacts are refused naming the field, and nothing changes', async () => {
  const before = await list();
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ ...contact, email: 'khanh@' }, 'email', /^invalid contact: email: /],
    [{ ...contact, phone: 'gọi tôi' }, 'phone', /^invalid contact: phone: must be a phone number$/],
    [{ ...contact, name: '  ' }, 'name', /^invalid contact: name: /],
    [{ ...contact, site: 'ha-noi' }, 'site', /^invalid contact: site: unknown site "ha-noi"$/],
    [{ ...contact, kind: 'boss' }, 'kind', /^invalid contact: kind: /],
    [{ ...contact, extra: 1 }, 'extra', /^invalid contact: extra: Unrecognized key/],
  ];
  for (const [body, field, message] of cases) {
    const res = await fetchAs(admin, `${noc.url}/api/admin/directory`, { method: 'POST', json: body });
    assert.equal(res.status, 400, JSON.stringify(body));
    const answer = (await res.json()) as { error: string; field?: string };
    assert.equal(answer.field ?? '', field, answer.error);
    assert.match(answer.error, message);
  }
  const first = before[0]!;
  const bad = await fetchAs(admin, `${noc.url}/api/admin/directory/${first.id}`, { method: 'PUT', json: { ...first, email: 'x' } });
  assert.equal(bad.status, 400);
  assert.deepEqual(await list(), before);
});

test('after the seed the database is the source: a restart with another directory file keeps the edits', async () => {
  const created = await fetchAs(admin, `${noc.url}/api/admin/directory`, { method: 'POST', json: { ...contact, site: 'yen-thuy' } });
  assert.equal(created.status, 201);
  const edited = await list();
  const other = `${dir.path}/other-directory.json`;
  await writeFile(other, JSON.stringify({ contacts: [{ ...contact, name: 'Người khác', email: 'khac@hoabinh.edu.vn' }], equipment: {} }));
  await noc.server.close();
  noc = await start({ NOC_DIRECTORY_FILE: other });
  admin = await noc.adminCookie();
  assert.deepEqual(await list(), edited);
  assert.ok((await profile('yen-thuy')).contacts.some((c) => c.email === contact.email));
});

test('without NOC_SMTP_URL e-mail is off, and nothing is queued', async () => {
  // The SFU is absent: its incident opens and is notified, and no message is queued for it.
  await waitFor(
    'an incident notified',
    async () => {
      const res = await fetchAs(admin, `${noc.url}/api/incidents?state=active`);
      return ((await res.json()) as { incidents: Incident[] }).incidents.some((i) => i.suppressedBy === null);
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  const res = await fetchAs(admin, `${noc.url}/api/admin/mail`);
  const status = (await res.json()) as MailStatus;
  assert.equal(status.configured, false);
  assert.equal(status.server, null);
  assert.deepEqual(status.outbox, []);
});
