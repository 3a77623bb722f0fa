// The incident pages in Chromium against the whole system (scripts/start.ts,
// the simulated sites, rules with short `for` times): faults injected into two
// sites show up as incidents in the list; the control centre acknowledges a
// lost link, files the ISP ticket and notes that the chair was told (Điều
// 9.2); a technician sees its own site only and resolves its own incident, which
// reopens while the cause holds; a maintenance window and the rule thresholds
// are set from their pages; an admin adds a webhook and its test delivery
// arrives signed at a receiver on loopback. Screenshots: test-results/incidents-list.png,
// incident-timeline.png, maintenance.png, rules.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Webhook } from '@noc/shared/incidents';
import { NOC_TIME_ZONE, wallClock } from '@noc/shared/zoned-time';
import { addSessionCookie, signIn } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { NOC_ADMIN_PASSWORD } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { DEMO_PASSWORD, startSystem, type SystemFixture } from '../fixtures/system.ts';
import { startWebhookReceiver } from '../fixtures/webhook-receiver.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
let system: SystemFixture;
let browser: Browser;
const contexts: BrowserContext[] = [];
const faults: string[] = [];

before(async () => {
  system = await startSystem();
  browser = await launchChromium();
  await mkdir(resultsDir, { recursive: true });
  for (const fault of [
    { fault: 'link-cut', site: 'da-bac', durationS: 600 },
    { fault: 'power-cut', site: 'lac-son', durationS: 600, drainMinutes: 40 },
  ]) {
    const res = await fetch(`${system.controlUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    assert.equal(res.status, 201, await res.clone().text());
    faults.push(((await res.json()) as { id: string }).id);
  }
});
after(async () => {
  await fetch(`${system.controlUrl}/faults`, { method: 'DELETE' }).catch(() => {});
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await system?.stop();
});

/**
 * A page at 1920×1080 signed in as `username`, in a browser set to American
 * English in New York: the pages must still show Vietnamese dates on the NOC's clock.
 */
async function pageAs(username: string, password = DEMO_PASSWORD): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'en-US', timezoneId: 'America/New_York' });
  contexts.push(context);
  await addSessionCookie(context, system.url, await signIn(system.url, username, password));
  const page = await context.newPage();
  watchConsole(page);
  return page;
}

const two = (n: number): string => String(n).padStart(2, '0');
/** "31/12/2026 16:30": a moment as the NOC's clock reads it, the way a Vietnamese user types it. */
function typedVi(at: number): string {
  const c = wallClock(NOC_TIME_ZONE, at);
  return `${two(c.day)}/${two(c.month)}/${c.year} ${two(c.hour)}:${two(c.minute)}`;
}

const row = (page: Page, site: string, rule: string) =>
  page.locator(`[data-field="incident-list"] [data-incident][data-site="${site}"][data-rule="${rule}"]`);
const stateText = async (page: Page) => ((await page.locator('[data-field="state"]').first().textContent()) ?? '').trim();

let linkIncident = 0;

test('the control centre sees both incidents in the list, newest first, and filters by site', async () => {
  const page = await pageAs('dieuhanh');
  await page.goto(`${system.url}/incidents`);
  await onPage(
    page,
    'Đà Bắc offline and Lạc Sơn on battery in the list',
    async () => (await row(page, 'da-bac', 'siteOffline').count()) === 1 && (await row(page, 'lac-son', 'onBattery').count()) === 1,
    30_000,
  );
  const openedOrder = await page.$$eval('[data-field="incident-list"] [data-incident]', (rows) =>
    rows.map((r) => r.getAttribute('data-site')),
  );
  assert.ok(
    openedOrder.indexOf('da-bac') < openedOrder.indexOf('lac-son'),
    `Đà Bắc went offline ~10 s after Lạc Sơn lost the mains: ${openedOrder.join(', ')}`,
  );
  assert.match((await row(page, 'lac-son', 'onBattery').textContent()) ?? '', /Mất điện lưới/);
  await page.screenshot({ path: `${resultsDir}incidents-list.png` });
  await page.selectOption('[data-filter="site"]', 'lac-son');
  await onPage(page, 'only Lạc Sơn', async () => {
    const sites = await page.$$eval('[data-field="incident-list"] [data-incident]', (rows) => rows.map((r) => r.getAttribute('data-site')));
    return sites.length > 0 && sites.every((s) => s === 'lac-son');
  });
  assert.match(page.url(), /site=lac-son/, 'the filter is in the address');
  // From an hour ago, typed day/month/year on the NOC's clock whatever the browser's language and zone.
  const from = Math.floor((Date.now() - 3600_000) / 60_000) * 60_000;
  await page.fill('[name="from"]', typedVi(from));
  await page.press('[name="from"]', 'Enter');
  await onPage(page, 'the time filter in the address', async () => new URL(page.url()).searchParams.get('from') === String(from));
  assert.equal(await page.inputValue('[name="from"]'), typedVi(from), 'the field shows day/month/year and a 24-hour time');
  await onPage(page, 'Lạc Sơn still listed from an hour ago', async () => (await row(page, 'lac-son', 'onBattery').count()) === 1);
  await page.close();
});

test('a lost link: acknowledged with a comment, the ISP ticket filed, the chair told, all on the timeline', async () => {
  const page = await pageAs('dieuhanh');
  await page.goto(`${system.url}/incidents?site=da-bac`);
  await onPage(page, 'the Đà Bắc incident', async () => (await row(page, 'da-bac', 'siteOffline').count()) === 1, 20_000);
  await row(page, 'da-bac', 'siteOffline').click();
  await onPage(
    page,
    'the incident page',
    async () => /\/incidents\/\d+$/.test(new URL(page.url()).pathname) && (await page.locator('[data-field="timeline"]').count()) === 1,
  );
  linkIncident = Number(new URL(page.url()).pathname.split('/').at(-1));
  await page.fill('[data-form="ack"] textarea', 'Đã gọi điện cho kỹ thuật viên Đà Bắc');
  await page.click('[data-action="ack"]');
  await onPage(page, 'acknowledged', async () => /Đã tiếp nhận/.test(await stateText(page)));
  await page.fill('[data-form="isp"] [name="ticket"]', 'VT-2026-1201');
  await page.fill('[data-form="isp"] [name="cause"]', 'Đứt cáp quang đoạn Tu Lý');
  await page.fill('[data-form="isp"] [name="fix"]', 'Viettel hàn nối lại cáp');
  await page.fill('[data-form="isp"] [name="expectedAt"]', '31/12/2026 16:30');
  await page.press('[data-form="isp"] [name="expectedAt"]', 'Tab');
  assert.equal(await page.inputValue('[data-form="isp"] [name="expectedAt"]'), '31/12/2026 16:30');
  await page.click('[data-action="isp"]');
  await onPage(
    page,
    'the ISP ticket on the timeline',
    async () => (await page.locator('[data-field="timeline"] [data-kind="isp"]').count()) === 1,
  );
  const isp = (await page.locator('[data-field="timeline"] [data-kind="isp"]').textContent()) ?? '';
  assert.match(isp, /31\/12\/2026/, 'the expected date as typed');
  assert.match(isp, /16:30/, "the expected time on the NOC's clock, not the browser's");
  await page.fill('[data-form="chair"] textarea', 'Đã báo chủ trì điểm cầu qua điện thoại');
  await page.click('[data-action="chair"]');
  await onPage(
    page,
    '"chair informed" on the timeline',
    async () => (await page.locator('[data-field="timeline"] [data-kind="chair-informed"]').count()) === 1,
  );
  const kinds = await page.$$eval('[data-field="timeline"] [data-kind]', (els) => els.map((e) => e.getAttribute('data-kind')));
  for (const k of ['opened', 'evidence', 'acknowledged', 'isp', 'chair-informed'])
    assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
  const timeline = (await page.locator('[data-field="timeline"]').textContent()) ?? '';
  assert.match(timeline, /VT-2026-1201/);
  assert.match(timeline, /kéo dài \d+ giây/, "the NOC's own lines in Vietnamese");
  await page.screenshot({ path: `${resultsDir}incident-timeline.png`, fullPage: true });
  await page.close();
});

test('a technician sees only its own site, resolves its own incident, and it reopens while the power is still out', async () => {
  const page = await pageAs('kt-lac-son');
  await page.goto(`${system.url}/incidents/${linkIncident}`);
  await onPage(page, "another site's incident refused", async () => (await page.locator('[data-testid="incident-missing"]').count()) === 1);
  assert.equal(await page.locator('[data-action="ack"]').count(), 0);
  await page.goto(`${system.url}/incidents`);
  await onPage(page, 'its own incident in the list', async () => (await row(page, 'lac-son', 'onBattery').count()) === 1);
  const sites = await page.$$eval('[data-field="incident-list"] [data-incident]', (rows) => rows.map((r) => r.getAttribute('data-site')));
  assert.ok(
    sites.every((s) => s === 'lac-son'),
    sites.join(', '),
  );
  assert.equal(await page.locator('[data-filter="site"]').count(), 0, 'no site filter for a technician');
  await row(page, 'lac-son', 'onBattery').click();
  await onPage(page, 'the incident page', async () => (await page.locator('[data-form="resolve"]').count()) === 1);
  await page.fill('[data-form="resolve"] textarea', 'Đã chạy máy phát điện');
  await page.click('[data-action="resolve"]');
  await onPage(
    page,
    'resolved by hand, then reopened by the NOC',
    async () => (await page.locator('[data-field="timeline"] [data-kind="reopened"]').count()) >= 1,
    15_000,
  );
  assert.match((await page.locator('[data-field="timeline"] [data-kind="resolved"]').textContent()) ?? '', /máy phát/);
  await page.close();
});

test('a maintenance window is set from its page, and an admin saves the rule thresholds', async () => {
  const page = await pageAs('dieuhanh');
  await page.goto(`${system.url}/maintenance`);
  await onPage(page, 'the window form', async () => (await page.locator('[data-testid="window-form"]').count()) === 1);
  await page.selectOption('[data-testid="window-site"]', 'tan-lac');
  await page.fill('[data-testid="window-reason"]', 'Bảo dưỡng điều hòa phòng trực tuyến');
  await page.check('[data-kind="weekly"]');
  for (const d of [2, 4]) await page.check(`[data-day="${d}"]`);
  await page.fill('[data-testid="window-weekly-start"]', '22:00');
  await page.fill('[data-testid="window-duration"]', '120');
  await page.click('[data-action="create-window"]');
  await onPage(page, 'the window in the list', async () => (await page.locator('[data-field="window-list"] [data-window]').count()) === 1);
  assert.match((await page.locator('[data-field="window-list"]').textContent()) ?? '', /Tân Lạc/);
  await page.screenshot({ path: `${resultsDir}maintenance.png`, fullPage: true });
  await page.close();

  const admin = await pageAs('admin', NOC_ADMIN_PASSWORD);
  await admin.goto(`${system.url}/rules`);
  await onPage(admin, 'the rules form', async () => (await admin.locator('[name="rules.lossHigh.threshold"]').count()) === 1);
  await admin.fill('[name="rules.lossHigh.threshold"]', '2');
  await admin.locator('[name="rules.lossHigh.threshold"]').blur();
  await admin.click('[data-action="save-rules"]');
  await onPage(
    admin,
    'saved',
    async () =>
      /incident-rules\.json/.test((await admin.locator('[data-field="rules-source"]').textContent()) ?? '') &&
      (await admin.locator('[data-testid="rules-status"]').count()) === 1,
  );
  const res = await fetch(`${system.url}/api/incident-rules`, {
    headers: { cookie: await signIn(system.url, 'admin', NOC_ADMIN_PASSWORD) },
  });
  assert.equal(((await res.json()) as { rules: { rules: { lossHigh: { threshold: number } } } }).rules.rules.lossHigh.threshold, 2);
  await admin.screenshot({ path: `${resultsDir}rules.png` });
  await admin.close();
});

test('an admin adds a webhook on the admin page; its test delivery arrives signed and shows in the delivery log', async () => {
  const receiver = await startWebhookReceiver();
  try {
    const page = await pageAs('admin', NOC_ADMIN_PASSWORD);
    await page.goto(`${system.url}/admin`);
    await onPage(page, 'the webhooks panel', async () => (await page.locator('[data-testid="webhook-add"]').count()) === 1);
    await page.click('[data-testid="webhook-add"]');
    await page.fill('[data-testid="webhook-name"]', 'Tổ CNTT Sở');
    await page.fill('[data-testid="webhook-url"]', receiver.url);
    await page.fill('[data-testid="webhook-secret"]', receiver.secret);
    await page.check('[data-testid="webhook-escalation"]');
    await page.click('[data-testid="webhook-create-submit"]');
    const row = page.locator('[data-testid="admin-webhooks"] [data-webhook]');
    await onPage(page, 'the webhook in the list', async () => (await row.count()) === 1);
    await row.locator('[data-action="test"]').click();
    const got = await onPage(
      page,
      'the test delivery at the receiver',
      async () => receiver.received.find((r) => r.payload.event === 'test'),
      10_000,
    );
    assert.ok(got.signatureValid, 'signed with the key given on the page');
    await row.locator('[data-action="deliveries"]').click();
    await onPage(
      page,
      'the delivery in the log',
      async () => {
        await page
          .locator('[data-action="reload-deliveries"]')
          .click()
          .catch(() => {});
        return (await page.locator('[data-testid="webhook-deliveries"] [data-event="test"][data-state="delivered"]').count()) === 1;
      },
      10_000,
    );
    // Edited in its row: a key too short is refused at its field and changes nothing; with the key
    // left empty, the new name and severity are saved, the rest (escalation, the key) kept.
    await row.locator('[data-action="edit"]').click();
    const form = page.locator('[data-testid="webhook-edit-form"]');
    await form.locator('[data-testid="webhook-secret"]').fill('ngắn');
    await form.locator('[data-testid="webhook-edit-submit"]').click();
    await onPage(page, 'the short key refused', async () => (await form.locator('[data-field-error="secret"]').count()) === 1);
    const hooks = async () =>
      ((await (await page.request.get(`${system.url}/api/admin/webhooks`)).json()) as { webhooks: Webhook[] }).webhooks;
    assert.equal((await hooks())[0]!.name, 'Tổ CNTT Sở', 'nothing saved');
    await form.locator('[data-testid="webhook-secret"]').fill('');
    await form.locator('[data-testid="webhook-name"]').fill('Tổ CNTT Sở (trực đêm)');
    await form.locator('[data-testid="webhook-min-severity"]').selectOption('critical');
    await page.screenshot({ path: `${resultsDir}webhook-edit.png`, fullPage: true });
    await form.locator('[data-testid="webhook-edit-submit"]').click();
    await onPage(
      page,
      'the row shows the change',
      async () => /trực đêm/.test((await row.textContent()) ?? '') && (await form.count()) === 0,
    );
    assert.match((await row.textContent()) ?? '', /Nghiêm trọng/);
    const [saved] = await hooks();
    assert.deepEqual(
      { name: saved!.name, minSeverity: saved!.minSeverity, escalation: saved!.escalation, enabled: saved!.enabled },
      { name: 'Tổ CNTT Sở (trực đêm)', minSeverity: 'critical', escalation: true, enabled: true },
    );
    await row.locator('[data-action="test"]').click();
    await onPage(
      page,
      'a second test delivery, signed with the kept key',
      async () => receiver.received.filter((r) => r.payload.event === 'test' && r.signatureValid).length === 2,
      10_000,
    );
    await page.close();
  } finally {
    await receiver.close();
  }
});
