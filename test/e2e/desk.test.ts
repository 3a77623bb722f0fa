// The desk pages in Chromium against the whole system (scripts/start.ts with
// the simulated sites): signing in, the navigation by role, "access denied",
// a technician's site page with live charts, the admin page and the language
// switch. Screenshots: test-results/signin.png, site-da-bac.png, admin.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { issueAccessToken } from '@noc/shared/access-token';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import { fetchAs, signIn } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { startSystem, type SystemFixture } from '../fixtures/system.ts';

const ADMIN_PASSWORD = 'admin-desk-test-1';
const DEMO_PASSWORD = 'demo-desk-test-1';
const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

let system: SystemFixture;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  system = await startSystem({ NOC_ADMIN_PASSWORD: ADMIN_PASSWORD, NOC_DEMO_PASSWORD: DEMO_PASSWORD });
  browser = await launchChromium();
  await mkdir(resultsDir, { recursive: true });
});
after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await system?.stop();
});

/** A fresh browser (no cookies, no storage) at 1920×1080. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  contexts.push(context);
  const page = await context.newPage();
  watchConsole(page);
  return page;
}

const path = (page: Page): string => new URL(page.url()).pathname;
const count = (page: Page, selector: string): Promise<number> => page.locator(selector).count();
const text = async (page: Page, selector: string): Promise<string> => (await page.locator(selector).first().textContent())?.trim() ?? '';

/** Fills the sign-in form and submits it; answers the status of the server's answer. */
async function fillSignIn(page: Page, username: string, password: string): Promise<number> {
  await onPage(page, 'the sign-in form', async () => (await count(page, '[data-testid="signin-form"]')) === 1);
  await page.fill('[data-testid="signin-username"]', username);
  await page.fill('[data-testid="signin-password"]', password);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login'),
    page.click('[data-testid="signin-submit"]'),
  ]);
  return answer.status();
}

/** Opens `target` signed out, signs in on the page it is sent to, and waits to be back out of /signin. */
async function signedIn(username: string, password: string, target = '/'): Promise<Page> {
  const page = await newPage();
  await page.goto(`${system.url}${target}`);
  await fillSignIn(page, username, password);
  await onPage(page, `${username} signed in`, async () => path(page) !== '/signin');
  return page;
}

test('a page opened without a session asks for a sign-in, tells a wrong password, then opens the page asked for', async () => {
  const page = await newPage();
  await page.goto(`${system.url}/site/da-bac`);
  await onPage(page, 'the sign-in page', async () => path(page) === '/signin');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/site/da-bac');
  assert.match(await text(page, 'h1'), /Giám sát phòng trực tuyến — Sở GD&ĐT Hòa Bình/);
  await page.screenshot({ path: join(resultsDir, 'signin.png') });

  await fillSignIn(page, 'kt-da-bac', 'not-the-password');
  await onPage(
    page,
    'the wrong-password message',
    async () => (await page.locator('[data-testid="signin-error"]').getAttribute('data-error')) === 'wrong',
  );
  assert.match(await text(page, '[data-testid="signin-error"]'), /Tên đăng nhập hoặc mật khẩu không đúng/);

  await fillSignIn(page, 'kt-da-bac', DEMO_PASSWORD);
  await onPage(
    page,
    'the site page asked for',
    async () => path(page) === '/site/da-bac' && (await count(page, '[data-testid="site-page"]')) === 1,
  );
});

test('a wall link with an unknown display token ends on the sign-in page, which says why', async () => {
  const page = await newPage();
  await page.goto(`${system.url}/wall?display=${'x'.repeat(40)}`);
  await onPage(page, 'the reason on the sign-in page', async () => (await count(page, '[data-testid="signin-reason"]')) === 1);
  assert.equal(path(page), '/signin');
  assert.ok(!page.url().includes('xxxx'), 'the token is not kept in the address');
  assert.match(await text(page, '[data-testid="signin-reason"]'), /Mã màn hình giám sát không hợp lệ/);
});

test('a technician sees its own site live, with its probe, contacts and equipment, and no other site', async () => {
  const page = await signedIn('kt-da-bac', DEMO_PASSWORD);
  assert.equal(path(page), '/site/da-bac', 'a technician lands on its own site');

  // The navigation offers only what a technician may open.
  assert.equal(await count(page, '[data-testid="nav-site"]'), 1);
  assert.equal(await count(page, '[data-testid="nav-room"]'), 1);
  for (const hidden of ['nav-wall', 'nav-control', 'nav-admin']) assert.equal(await count(page, `[data-testid="${hidden}"]`), 0, hidden);
  assert.equal(await page.locator('[data-testid="nav-user"]').getAttribute('data-role'), 'technician');

  await onPage(
    page,
    'the site online',
    async () => (await page.locator('[data-testid="site-status"]').getAttribute('data-state')) === 'online',
    20_000,
  );
  await onPage(
    page,
    'a quality grade',
    async () => (await page.locator('[data-testid="site-quality"]').getAttribute('data-grade')) !== 'none',
    30_000,
  );
  assert.equal(await page.locator('[data-testid="site-resolution"]').getAttribute('data-source'), 'raw');

  // The 15-minute range grows with the live feed.
  const points = async () => Number(await page.locator('[data-testid="chart-rtt"]').getAttribute('data-points'));
  const first = await onPage(page, 'RTT points', async () => ((await points()) > 0 ? points() : false));
  await onPage(page, 'new RTT points from the live feed', async () => (await points()) > first, 20_000);
  // (Media figures come only while the site is in a meeting; none runs here.)
  for (const chart of ['jitter', 'loss', 'battery', 'runtime', 'temp', 'humidity']) {
    await onPage(
      page,
      `points in chart ${chart}`,
      async () => Number(await page.locator(`[data-testid="chart-${chart}"]`).getAttribute('data-points')) > 0,
    );
  }
  await onPage(
    page,
    'the power state',
    async () => (await page.locator('[data-testid="site-power-state"]').getAttribute('data-power')) !== 'unknown',
  );
  await onPage(
    page,
    'the probe heartbeat',
    async () => !/chưa nhận/.test(await text(page, '[data-testid="site-probe"] [data-field="heartbeat"]')),
  );

  const contacts = page.locator('[data-testid="site-contacts"] [data-contact]');
  assert.ok((await contacts.count()) >= 1, 'the site has contacts');
  assert.match((await contacts.first().locator('[data-field="phone"]').getAttribute('href')) ?? '', /^tel:[0-9+]+$/);
  assert.match((await contacts.first().locator('[data-field="email"]').getAttribute('href')) ?? '', /^mailto:.+@.+/);
  assert.ok((await count(page, '[data-testid="site-equipment"] tbody tr')) >= 1, 'the site has equipment');
  await page.screenshot({ path: join(resultsDir, 'site-da-bac.png'), fullPage: true });

  // A longer range comes as means, and says so.
  await page.click('[data-testid="range-picker"] [data-range="24h"]');
  await onPage(
    page,
    'means over buckets',
    async () => Number(await page.locator('[data-testid="site-resolution"]').getAttribute('data-bucket-seconds')) > 0,
  );

  // Another site's page, and pages of other roles: "access denied", at the address asked for.
  for (const other of ['/site/mai-chau', '/admin', '/control', '/wall']) {
    await page.goto(`${system.url}${other}`);
    await onPage(page, `access denied at ${other}`, async () => (await count(page, '[data-testid="access-denied"]')) === 1);
    assert.equal(path(page), other);
  }
});

test('a technician whose account is disabled while its site page is open is sent to sign in', async () => {
  const page = await signedIn('kt-yen-thuy', DEMO_PASSWORD);
  assert.equal(path(page), '/site/yen-thuy');
  await onPage(
    page,
    'the site online',
    async () => (await page.locator('[data-testid="site-status"]').getAttribute('data-state')) === 'online',
    20_000,
  );
  const admin = await signIn(system.url, 'admin', ADMIN_PASSWORD);
  const users = `${system.url}/api/admin/users/kt-yen-thuy`;
  assert.equal((await fetchAs(admin, users, { method: 'PATCH', json: { disabled: true } })).status, 200);
  try {
    await onPage(page, 'the sign-in page', async () => path(page) === '/signin', 15_000);
    assert.equal(new URL(page.url()).searchParams.get('reason'), 'expired');
  } finally {
    assert.equal((await fetchAs(admin, users, { method: 'PATCH', json: { disabled: false } })).status, 200);
  }
});

test('the admin creates a user (the form names the wrong fields) and a display token whose link signs a wall in', async () => {
  const page = await signedIn('admin', ADMIN_PASSWORD);
  assert.equal(path(page), '/admin', 'an admin lands on the admin page');
  await onPage(page, 'the users table', async () => (await count(page, '[data-testid="admin-users"] tr[data-user="kt-da-bac"]')) === 1);

  await page.click('[data-testid="user-add"]');
  const form = page.locator('[data-testid="user-create-form"]');
  await form.locator('[data-testid="user-username"]').fill('Tên Sai');
  await form.locator('[data-testid="user-display-name"]').fill('Nguyễn Văn Mới');
  await form.locator('[data-testid="user-password"]').fill('ngan');
  await page.click('[data-testid="user-create-submit"]');
  await onPage(
    page,
    'errors at the username and the password',
    async () =>
      (await form.locator('[data-field-error="username"]').count()) === 1 &&
      (await form.locator('[data-field-error="password"]').count()) === 1,
  );
  await form.locator('[data-testid="user-username"]').fill('kt-moi');
  await form.locator('[data-testid="user-role"]').selectOption('technician');
  await form.locator('[data-testid="user-site"]').selectOption('tan-lac');
  await form.locator('[data-testid="user-password"]').fill('mat-khau-moi-2025');
  await page.click('[data-testid="user-create-submit"]');
  await onPage(page, 'the new user listed', async () => (await count(page, 'tr[data-user="kt-moi"]')) === 1);
  assert.match(await text(page, 'tr[data-user="kt-moi"]'), /Tân Lạc/);

  // The same username again: the server's refusal is shown in the form.
  await page.click('[data-testid="user-add"]');
  await form.locator('[data-testid="user-username"]').fill('kt-moi');
  await form.locator('[data-testid="user-display-name"]').fill('Trùng tên');
  await form.locator('[data-testid="user-password"]').fill('mat-khau-moi-2025');
  await page.click('[data-testid="user-create-submit"]');
  await onPage(
    page,
    'the refusal of a taken username',
    async () => (await form.locator('[data-field-error="username"], [data-testid="user-form-error"]').count()) === 1,
  );
  await form.locator('button', { hasText: 'Hủy' }).click();

  // Edit, disable (the user can no longer sign in), reset the password, delete.
  const row = page.locator('tr[data-user="kt-moi"]');
  await row.locator('[data-action="edit"]').click();
  const edit = page.locator('[data-testid="user-edit-form"]');
  await edit.locator('[data-testid="user-display-name"]').fill('Nguyễn Văn Mới (Lạc Sơn)');
  await edit.locator('[data-testid="user-site"]').selectOption('lac-son');
  await edit.locator('[data-testid="user-edit-submit"]').click();
  await onPage(page, 'the edited row', async () =>
    /Nguyễn Văn Mới \(Lạc Sơn\)[\s\S]*Lạc Sơn/.test(await text(page, 'tr[data-user="kt-moi"]')),
  );
  await row.locator('[data-action="toggle"]').click();
  await onPage(
    page,
    'the user disabled',
    async () => (await row.locator('[data-field="disabled"]').getAttribute('data-disabled')) === 'true',
  );
  const blocked = await newPage();
  await blocked.goto(`${system.url}/signin`);
  assert.equal(await fillSignIn(blocked, 'kt-moi', 'mat-khau-moi-2025'), 403);
  await onPage(
    blocked,
    'the disabled-account message',
    async () => (await blocked.locator('[data-testid="signin-error"]').getAttribute('data-error')) === 'disabled',
  );
  await row.locator('[data-action="password"]').click();
  await page.locator('[data-testid="password-reset-form"] [data-testid="user-password"]').fill('mat-khau-khac-2025');
  await page.click('[data-testid="password-reset-submit"]');
  await onPage(page, 'the password saved', async () =>
    /Đã đặt mật khẩu mới cho kt-moi/.test(await text(page, '[data-testid="admin-users-status"]')),
  );
  await row.locator('[data-action="delete"]').click();
  await page.click('[data-testid="user-delete-confirm"] [data-action="confirm-delete"]');
  await onPage(page, 'the user gone', async () => (await count(page, 'tr[data-user="kt-moi"]')) === 0);

  await page.fill('[data-testid="display-token-label"]', 'Màn hình phòng trực ban');
  await page.click('[data-testid="display-token-create"]');
  const link = await onPage(page, 'the wall link shown once', async () => {
    const shown = await text(page, '[data-testid="display-token-link"]');
    return shown.includes('/wall?display=') ? shown : false;
  });
  await page.screenshot({ path: join(resultsDir, 'admin.png'), fullPage: true });

  const wall = await newPage();
  await wall.goto(link);
  await onPage(
    wall,
    'the wall, signed in, without the token in the address',
    async () => path(wall) === '/wall' && !wall.url().includes('display=') && (await count(wall, '[data-site]')) === 12,
  );
  assert.equal(await count(wall, '[data-testid="nav"]'), 0, 'the wall has no desk navigation');

  // Revoking the token.
  const token = page.locator('tr[data-token]', { hasText: 'Màn hình phòng trực ban' });
  await token.locator('[data-action="revoke"]').click();
  await token.locator('[data-action="confirm-revoke"]').click();
  await onPage(page, 'the token revoked', async () => (await token.locator('[data-revoked]').getAttribute('data-revoked')) === 'true');
});

test('an operator lands on the wall, picks a site, and switches the desk pages to English, which is remembered', async () => {
  const page = await signedIn('dieuhanh', DEMO_PASSWORD);
  assert.equal(path(page), '/wall', 'an operator lands on the wall');
  // The control view without a link: the session gets it a signalling token.
  await page.goto(`${system.url}/control`);
  await onPage(page, 'the navigation on a desk page', async () => (await count(page, '[data-testid="nav"]')) === 1);
  await onPage(
    page,
    'the control view connected',
    async () => (await page.locator('[data-connection]').getAttribute('data-status')) === 'connected',
    20_000,
  );
  for (const shown of ['nav-wall', 'nav-control', 'nav-site']) assert.equal(await count(page, `[data-testid="${shown}"]`), 1, shown);
  assert.equal(await count(page, '[data-testid="nav-admin"]'), 0);

  await page.locator('[data-testid="nav-site"]').selectOption('tan-lac');
  await onPage(
    page,
    'the picked site',
    async () => path(page) === '/site/tan-lac' && (await count(page, '[data-testid="site-page"]')) === 1,
  );

  await page.click('[data-testid="lang-en"]');
  await onPage(page, 'English', async () => (await text(page, '[data-testid="nav-signout"]')) === 'Sign out');
  await page.reload();
  await onPage(page, 'English after a reload', async () => (await text(page, '[data-testid="nav-signout"]')) === 'Sign out');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  await page.click('[data-testid="nav-signout"]');
  await onPage(page, 'signed out', async () => path(page) === '/signin');
  await page.goto(`${system.url}/site/tan-lac`);
  await onPage(page, 'asked to sign in again', async () => path(page) === '/signin');
});

test('five wrong passwords lock the username and the page says how long to wait', async () => {
  const page = await newPage();
  await page.goto(`${system.url}/signin`);
  for (let i = 0; i < 5; i++) assert.equal(await fillSignIn(page, 'chutri', `wrong-password-${i}`), 401, `wrong password ${i + 1}`);
  assert.equal(await fillSignIn(page, 'chutri', DEMO_PASSWORD), 429, 'the right password, but locked');
  await onPage(
    page,
    'the rate-limit message',
    async () => (await page.locator('[data-testid="signin-error"]').getAttribute('data-error')) === 'limited',
  );
  assert.match(await text(page, '[data-testid="signin-error"]'), /Đăng nhập sai quá nhiều lần\. Hãy thử lại sau \d+ phút/);
  assert.equal(await page.locator('[data-testid="signin-submit"]').isDisabled(), true);
});

test('room and control pages still open with a ?token= link and no session', async () => {
  const secret = await loadOrCreateSecret(join(system.dataDir, 'secret.key'));
  const exp = Date.now() + 3600_000;
  for (const [page0, claims] of [
    ['/control', { role: 'operator', name: 'Tổ CNTT Sở', exp }],
    ['/room', { role: 'site', site: 'da-bac', exp }],
  ] as const) {
    const page = await newPage();
    await page.goto(`${system.url}${page0}?token=${encodeURIComponent(issueAccessToken(secret, claims))}`);
    await onPage(
      page,
      `${page0} connected to the conference server`,
      async () => path(page) === page0 && (await page.locator('[data-connection]').getAttribute('data-status')) === 'connected',
      20_000,
    );
    assert.ok(!page.url().includes('token='), 'the token left the address');
    assert.equal(await count(page, '[data-testid="nav"]'), 0, 'no navigation without a session');
  }
});
