// The directory, audit log and e-mail panels in Chromium against a NOC server
// (embedded store, no SMTP server configured): an admin adds a contact on
// /directory (a bad e-mail refused at its field, in Vietnamese), it reaches the
// site page's contacts, and removes another; the audit page lists what was
// done in Vietnamese and filters it; the admin page says e-mail is off. An
// operator has no link to either page and is refused them. Screenshots:
// test-results/directory.png, audit.png, admin-mail.png (1920×1080).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DirectoryContact, SiteProfile } from '@noc/shared/directory';
import type { Incident } from '@noc/shared/incidents';
import { waitFor } from '@noc/shared/wait';
import { addSessionCookie, fetchAs, signInNewUser } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';

const builtApp = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));
const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
let noc: NocFixture;
let browser: Browser;
let admin: string;
const contexts: BrowserContext[] = [];

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  noc = await startTestNocServer();
  browser = await launchChromium();
  await mkdir(resultsDir, { recursive: true });
  admin = await noc.adminCookie();
});
after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await noc?.stop();
});

async function pageAs(cookie: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-US', timezoneId: 'America/New_York' });
  contexts.push(context);
  await addSessionCookie(context, noc.url, cookie);
  const page = await context.newPage();
  watchConsole(page);
  return page;
}

const contacts = async (): Promise<DirectoryContact[]> =>
  ((await (await fetchAs(admin, `${noc.url}/api/admin/directory`)).json()) as { contacts: DirectoryContact[] }).contacts;

test('an admin adds a contact on the directory page, a bad e-mail refused at its field; the site page lists it', async () => {
  const page = await pageAs(admin);
  await page.goto(`${noc.url}/directory`);
  const rows = page.locator('[data-testid="directory"] tr[data-contact]');
  await onPage(page, 'the directory listed', async () => (await rows.count()) === 17);
  assert.equal((await page.locator('h2').first().textContent())?.trim(), 'Danh bạ cán bộ kỹ thuật');
  assert.equal(await page.locator('tr[data-kind="chair"] .pill').textContent(), 'Chủ trì cuộc họp');

  await page.getByTestId('contact-add').click();
  const form = page.getByTestId('contact-create-form');
  await form.getByTestId('contact-name').fill('Đinh Công Khánh');
  await form.getByTestId('contact-unit').fill('TTGDTX huyện Đà Bắc');
  await form.getByTestId('contact-duty').fill('Kỹ thuật viên trực phòng trực tuyến');
  await form.getByTestId('contact-phone').fill('0218 3 000 150');
  await form.getByTestId('contact-email').fill('khanhdc.dabac@');
  await form.getByTestId('contact-site').selectOption('da-bac');
  await form.getByTestId('contact-submit').click();
  const emailError = form.locator('[data-field-error="email"]');
  await onPage(page, 'the e-mail refused at its field', async () => (await emailError.count()) === 1);
  assert.equal(await emailError.textContent(), 'Địa chỉ thư điện tử không hợp lệ.');
  assert.equal((await contacts()).length, 17, 'nothing was added');

  await form.getByTestId('contact-email').fill('khanhdc.dabac@hoabinh.edu.vn');
  await form.getByTestId('contact-submit').click();
  await onPage(page, 'the new contact listed', async () => (await rows.count()) === 18);
  assert.match((await page.getByTestId('directory-status').textContent()) ?? '', /Đã lưu Đinh Công Khánh/);
  await page.getByTestId('directory-site-filter').selectOption('da-bac');
  await onPage(page, 'the filter on Đà Bắc', async () => (await rows.count()) === 3);
  await page.screenshot({ path: `${resultsDir}directory.png` });
  await page.getByTestId('directory-site-filter').selectOption('');

  const profile = (await (await fetchAs(admin, `${noc.url}/api/sites/da-bac/profile`)).json()) as SiteProfile;
  assert.ok(profile.contacts.some((c) => c.email === 'khanhdc.dabac@hoabinh.edu.vn'));

  // Remove Yên Thủy's technician, after the confirmation in its row.
  const yenThuy = page.locator('tr[data-site="yen-thuy"]');
  await yenThuy.locator('[data-action="delete"]').click();
  await page.getByTestId('contact-delete-confirm').locator('[data-action="confirm-delete"]').click();
  await onPage(page, 'the contact removed', async () => (await yenThuy.count()) === 0);
  assert.ok(!(await contacts()).some((c) => c.site === 'yen-thuy'));
});

test('the audit page lists what was done in Vietnamese, filters by action, and the admin page says e-mail is off', async () => {
  // An acknowledgement to find there: a UPS on battery at Mai Châu, acknowledged through the API.
  const res = await fetch(`${noc.url}/api/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${noc.tokenFor('mai-chau')}` },
    body: JSON.stringify({ samples: [{ measurement: 'power', tags: {}, fields: { on_mains: false, battery_pct: 70 } }] }),
  });
  assert.equal(res.status, 202);
  let incident: Incident | undefined;
  await waitFor('the on-battery incident', async () => {
    const r = await fetchAs(admin, `${noc.url}/api/incidents?site=mai-chau&state=active`);
    incident = ((await r.json()) as { incidents: Incident[] }).incidents.find((i) => i.rule === 'onBattery');
    return incident !== undefined;
  });
  const ack = await fetchAs(admin, `${noc.url}/api/incidents/${incident!.id}/ack`, {
    method: 'POST',
    json: { comment: 'Đã gọi điện TTGDTX Mai Châu' },
  });
  assert.equal(ack.status, 200);

  const page = await pageAs(admin);
  await page.goto(`${noc.url}/audit`);
  const entries = page.locator('[data-testid="audit-entries"] tr[data-entry]');
  await onPage(page, 'the audit log listed', async () => (await entries.count()) >= 3);
  const actions = await entries.locator('td:nth-child(3)').allTextContents();
  assert.deepEqual(actions.slice(0, 3), ['Tiếp nhận sự cố', 'Xóa liên hệ', 'Thêm liên hệ']);
  assert.match((await entries.first().locator('td.detail').textContent()) ?? '', /comment: Đã gọi điện TTGDTX Mai Châu/);
  assert.match((await page.getByTestId('audit-range').textContent()) ?? '', /^1–\d+ trên \d+ mục$/);

  await page.getByTestId('audit-action').selectOption('contact.');
  await page.getByTestId('audit-apply').click();
  await onPage(page, 'only the directory changes', async () => {
    const shown = await entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    return shown.length === 2 && shown.every((a) => a?.startsWith('contact.'));
  });
  await page.screenshot({ path: `${resultsDir}audit.png` });

  await page.goto(`${noc.url}/admin`);
  const off = page.getByTestId('mail-off');
  await onPage(page, 'the mail panel', async () => (await off.count()) === 1);
  assert.match((await off.textContent()) ?? '', /Chưa cấu hình máy chủ thư \(NOC_SMTP_URL, NOC_MAIL_FROM\)/);
  await page.getByTestId('admin-mail').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${resultsDir}admin-mail.png` });
});

test('an operator has no link to the directory or the audit log, and is refused them', async () => {
  const operator = await signInNewUser(noc.url, admin, { username: 'dieuhanh-e2e', role: 'operator' });
  const page = await pageAs(operator);
  await page.goto(`${noc.url}/incidents`);
  await onPage(page, 'the navigation', async () => (await page.getByTestId('nav').count()) === 1);
  assert.equal(await page.getByTestId('nav-directory').count(), 0);
  assert.equal(await page.getByTestId('nav-audit').count(), 0);
  for (const path of ['/directory', '/audit']) {
    await page.goto(`${noc.url}${path}`);
    const denied = page.getByTestId('access-denied');
    await onPage(page, `${path} refused`, async () => (await denied.count()) === 1);
    assert.equal(await page.locator('[data-testid="directory"], [data-testid="audit"]').count(), 0);
  }
});
