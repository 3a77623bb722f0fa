// The plan editor (/plans) in Chromium against a real NOC server whose plans
// were seeded from shared/data/schedule.json: an admin sets a holiday on the
// next giao ban's date and sees it moved, with the rule's date noted; makes a
// one-off hội nghị, where 45 attendees at Đà Bắc are refused naming the site
// before 30 are accepted; the new meeting is listed with its official letter.
// The chair has no link to the page. Screenshot: test-results/plans-1920x1080.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MeetingPlan } from '@noc/shared/meeting-plans';
import { NOC_TIME_ZONE, wallClock } from '@noc/shared/zoned-time';
import { addSessionCookie, fetchAs, signInNewUser } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
let noc: NocFixture;
let browser: Browser;
let admin: string;
let chair: string;
const contexts: BrowserContext[] = [];

before(async () => {
  noc = await startTestNocServer();
  browser = await launchChromium();
  await mkdir(resultsDir, { recursive: true });
  admin = await noc.adminCookie();
  chair = await signInNewUser(noc.url, admin, { username: 'chutri', role: 'chair' });
});
after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await noc?.stop();
});

async function pageAs(cookie: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  contexts.push(context);
  await addSessionCookie(context, noc.url, cookie);
  const page = await context.newPage();
  watchConsole(page);
  return page;
}

/** The next 25th on Vietnam's clock, YYYY-MM-DD (next month's once this one's has begun). */
function next25th(): string {
  const c = wallClock(NOC_TIME_ZONE, Date.now());
  let { year, month } = c;
  if (c.day >= 25) {
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return `${year}-${String(month).padStart(2, '0')}-25`;
}

test('an admin moves the giao ban off a holiday and plans a hội nghị, 45 at Đà Bắc refused naming the site', async () => {
  const page = await pageAs(admin);
  await page.goto(`${noc.url}/plans`);
  await page.locator('[data-testid="nav-plans"]').waitFor();
  const list = page.locator('[data-field="occurrence-list"]');
  await onPage(page, 'the seeded meetings to come', async () => (await list.locator('tr[data-kind="giao-ban"]').count()) >= 3);
  assert.ok((await list.locator('tr[data-kind="sinh-hoat-chuyen-mon"]').count()) >= 3);

  // A holiday on the next 25th: the giao ban moves to the working day before, noting the 25th.
  const holiday = next25th();
  const calendar = page.locator('[data-testid="calendar-form"]');
  await calendar.locator('[data-action="add-holiday"]').click();
  await calendar.locator('input[name="holiday-date-0"]').fill(holiday);
  await calendar.locator('input[name="holiday-name-0"]').fill('Nghỉ bù');
  await calendar.locator('[data-action="save-calendar"]').click();
  const key = `@${holiday}`;
  const moved = list.locator(`tr[data-occurrence$="${key}"][data-kind="giao-ban"] [data-field="moved-from"]`);
  await onPage(page, 'the giao ban moved off the holiday', async () => (await moved.count()) === 1);
  const [y, m] = holiday.split('-');
  assert.match((await moved.textContent()) ?? '', new RegExp(`Dời từ .*25/${m}/${y}`));

  // A one-off hội nghị for Đà Bắc and Mai Châu.
  const form = page.locator('[data-testid="plan-form"]');
  await form.locator('[data-testid="plan-kind"]').selectOption('hoi-nghi');
  await form.locator('[data-testid="plan-title"]').fill('Hội nghị tổng kết năm học');
  await form.locator('[data-testid="plan-chair"]').fill('Giám đốc Sở');
  await form.locator('[data-testid="plan-letter"]').fill('212/SGDĐT-GDTX');
  await form.locator('[data-invite="da-bac"]').check();
  await form.locator('[data-invite="mai-chau"]').check();
  await form.locator('[data-attendees="da-bac"]').fill('45');
  await form.locator('[data-action="save-plan"]').click();
  const refusal = form.locator('[data-field-error="attendees.da-bac"]');
  await onPage(page, 'the refusal at Đà Bắc', async () => (await refusal.count()) === 1);
  assert.equal((await refusal.textContent())?.trim(), 'Đà Bắc: 45 người dự vượt quá 40 người mỗi điểm cầu (Điều 2.3, 4.3)');
  assert.equal(await form.locator('li[data-site="da-bac"]').getAttribute('class'), 'on over invalid');

  await form.locator('[data-attendees="da-bac"]').fill('30');
  await form.locator('[data-action="save-plan"]').click();
  await onPage(page, 'the plan made', async () =>
    /Đã lập kế hoạch #\d+/.test((await page.locator('[data-testid="plans-status"]').textContent()) ?? ''),
  );
  const row = list.locator('tr[data-kind="hoi-nghi"]');
  await onPage(page, 'the hội nghị listed', async () => (await row.count()) === 1);
  const text = (await row.textContent()) ?? '';
  assert.match(text, /Hội nghị tổng kết năm học/);
  assert.match(text, /212\/SGDĐT-GDTX/);
  assert.match(text, /2 điểm cầu, 50 người/);

  const plans = (await (await fetchAs(admin, `${noc.url}/api/plans`)).json()) as { plans: MeetingPlan[] };
  const made = plans.plans.find((p) => p.kind === 'hoi-nghi');
  assert.deepEqual(made?.attendees, { 'da-bac': 30, 'mai-chau': 20 });
  assert.equal(made?.createdBy, 'admin');

  await page.screenshot({ path: `${resultsDir}plans-1920x1080.png`, fullPage: true });
});

test('the chair has no link to the plan editor and is refused it', async () => {
  const page = await pageAs(chair);
  await page.goto(`${noc.url}/wall`);
  await page.locator('[data-testid="nav-incidents"], [data-field="clock"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="nav-plans"]').count(), 0);
  await page.goto(`${noc.url}/plans`);
  await onPage(
    page,
    'access denied',
    async () => (await page.locator('[data-testid="plans-page"]').count()) === 0 && /\/plans$/.test(page.url()),
  );
  await onPage(page, 'the refusal shown', async () => /không có quyền|quyền/i.test((await page.locator('body').textContent()) ?? ''));
});
