// The checklists and the readiness board in Chromium, against a NOC server
// with a real SFU node carrying a meeting: Đà Bắc's technician ticks its
// pre-meeting checklist on its site page (one item found wrong, with a note)
// and sees the last meeting's closing checklist overdue; the chair's board
// shows Đà Bắc not ready for the item, who checked when, and the meeting's
// timeline (joins, the floor); the board of the meeting just ended shows the
// closing checklists overdue; the wall's display token shows the compact
// readiness line. Screenshots: test-results/checklist-site.png,
// readiness-board.png, readiness-after.png, wall-readiness.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addSessionCookie, createDisplayToken, signIn, signInNewUser, TEST_PASSWORD } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { waitFor } from '@noc/shared/wait';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { freePort } from '../fixtures/ports.ts';
import { planNow, type PlannedNow } from '../fixtures/plan-now.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
let noc: NocFixture;
let sfu: SfuFixture;
let plans: PlannedNow[];
let browser: Browser;
const contexts: BrowserContext[] = [];
const peers: TestPeer[] = [];

before(async () => {
  const sfuPort = await freePort();
  noc = await startTestNocServer({
    sfuUrl: `http://127.0.0.1:${sfuPort}`,
    env: { NOC_SHUTDOWN_GRACE_MS: '60000', NOC_PLAN_OPEN_RETRY_MS: '300' },
  });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile });
  const admin = await noc.adminCookie();
  plans = [
    await planNow(noc.url, admin, { kind: 'giao-ban', title: 'Họp giao ban tháng 12', startInMs: -3 * 60_000, minutes: 180 }),
    await planNow(noc.url, admin, {
      kind: 'sinh-hoat-chuyen-mon',
      title: 'Sinh hoạt chuyên môn tháng 12',
      startInMs: -6 * 60_000,
      minutes: 2,
    }),
  ];
  await signInNewUser(noc.url, admin, { username: 'kt-da-bac', displayName: 'Nguyễn Văn Kỹ', role: 'technician', site: 'da-bac' });
  await signInNewUser(noc.url, admin, { username: 'chutri', displayName: 'Phó Giám đốc Sở', role: 'chair' });
  browser = await launchChromium();
  await mkdir(resultsDir, { recursive: true });

  // The plan's meeting, opened on the SFU by the NOC at its start: three centres join, Đà Bắc gets the floor.
  const connect = async (claims: Parameters<typeof TestPeer.connect>[1]) => {
    const peer = await TestPeer.connect(sfu, claims);
    peers.push(peer);
    return peer;
  };
  const meetingId = await waitFor(
    'the plan opened on the SFU',
    async () => noc.server.ctx.plans.store.opening(running())?.meetingId ?? undefined,
    {
      timeoutMs: 15_000,
    },
  );
  for (const site of ['da-bac', 'mai-chau', 'tan-lac']) await (await connect({ role: 'site', site, meeting: meetingId })).join(meetingId);
  const chair = await connect({ role: 'chair', meeting: meetingId, name: 'Chủ trì' });
  await chair.join(meetingId);
  await chair.client.request('floor.grant', { site: 'da-bac' });
});

after(async () => {
  for (const p of peers) p.close();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await noc?.stop();
  await sfu?.stop();
});

async function pageAs(username: string, password = TEST_PASSWORD): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  contexts.push(context);
  await addSessionCookie(context, noc.url, await signIn(noc.url, username, password));
  const page = await context.newPage();
  watchConsole(page);
  return page;
}

const running = () => plans[0]!.key;
const ended = () => plans[1]!.key;

test("the site's technician ticks its pre-meeting checklist, one item found wrong with a note; the last meeting's closing list is overdue", async () => {
  const page = await pageAs('kt-da-bac');
  await page.goto(`${noc.url}/site/da-bac`);
  const pre = page.locator('[data-testid="next-occurrence"] [data-testid="checklist-pre"]');
  await onPage(page, 'the pre-meeting checklist', async () => (await pre.count()) === 1);
  assert.equal(await page.locator('[data-testid="next-occurrence"]').getAttribute('data-key'), running());
  assert.match((await pre.textContent()) ?? '', /Kiểm tra điện dự phòng/);
  assert.match((await pre.textContent()) ?? '', /Thiết lập các vị trí khung hình/);
  for (const item of ['equipment', 'mains-power', 'backup-power', 'sound', 'camera-frame']) {
    await pre.locator(`[data-item="${item}"] input[value="ok"]`).check();
  }
  await pre.locator('[data-item="picture"] input[value="wrong"]').check();
  // Saving without a note is stopped on the page, naming the item.
  await pre.locator('[data-testid="checklist-save"]').click();
  await onPage(page, 'the missing note named', async () =>
    /Điều chỉnh hình ảnh/.test((await pre.locator('[role="status"]').textContent()) ?? ''),
  );
  await pre.locator('[data-testid="note-picture"]').fill('Máy chiếu bị mờ góc trái');
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.startsWith('/api/checklists/')),
    pre.locator('[data-testid="checklist-save"]').click(),
  ]);
  assert.equal(answer.status(), 200, await answer.text());
  await onPage(page, 'who ticked it', async () =>
    /Nguyễn Văn Kỹ đánh dấu lúc/.test((await pre.locator('[data-field="checked-by"]').textContent()) ?? ''),
  );
  const saved = noc.server.ctx.checklists.get(running(), 'da-bac', 'pre');
  assert.deepEqual(saved?.items.picture, { ok: false, note: 'Máy chiếu bị mờ góc trái' });
  assert.equal(saved?.by, 'kt-da-bac');

  const last = page.locator('[data-testid="last-occurrence"]');
  assert.equal(await last.getAttribute('data-key'), ended());
  assert.match((await last.locator('[data-testid="shutdown-overdue"]').textContent()) ?? '', /Quá hạn/);
  assert.match((await last.textContent()) ?? '', /Ngắt nguồn điện cung cấp hệ thống/);
  await page.locator('[data-testid="site-checklists"]').screenshot({ path: `${resultsDir}checklist-site.png` });
  await page.close();
});

test("the chair's board: Đà Bắc not ready for the item found wrong, who checked when, the others not checked; the meeting's timeline", async () => {
  const page = await pageAs('chutri');
  await page.goto(`${noc.url}/readiness`);
  const daBac = page.locator('[data-testid="readiness-table"] tr[data-site="da-bac"]');
  await onPage(page, 'the board of the running meeting', async () => (await daBac.count()) === 1);
  assert.equal(await page.locator('.occurrence').getAttribute('data-key'), running());
  assert.equal(await daBac.getAttribute('data-state'), 'not-ready');
  const row = (await daBac.textContent()) ?? '';
  assert.match(row, /Chưa sẵn sàng/);
  assert.match(row, /Mục kiểm tra chưa đạt: Điều chỉnh hình ảnh Máy chiếu bị mờ góc trái/);
  assert.match(row, /Máy chiếu bị mờ góc trái/);
  assert.match(row, /kt-da-bac/);
  assert.equal(await page.locator('tr[data-site="mai-chau"]').getAttribute('data-state'), 'not-checked');
  assert.equal(await page.locator('tr[data-site="mai-chau"]').getAttribute('data-overdue'), 'false');
  const timeline = page.locator('[data-testid="meeting-timeline"]');
  await onPage(page, 'joins and the floor on the timeline', async () => {
    const joins = await timeline.locator('li[data-type="join"]').count();
    return joins === 3 && (await timeline.locator('li[data-type="floor"][data-site="da-bac"]').count()) === 1;
  });
  assert.match((await timeline.textContent()) ?? '', /Đà Bắc.*được phát biểu/);
  await page.screenshot({ path: `${resultsDir}readiness-board.png`, fullPage: true });

  // The meeting just ended: closing checklists overdue.
  await page.selectOption('[data-testid="occurrence-chooser"]', ended());
  await onPage(page, 'the ended meeting', async () => (await page.locator('.occurrence').getAttribute('data-key')) === ended());
  await onPage(page, 'overdue closing checklists', async () => (await page.locator('tr[data-overdue="true"]').count()) === 10);
  assert.match((await page.locator('[data-testid="overdue-count"]').textContent()) ?? '', /10 điểm cầu quá hạn/);
  assert.equal(new URL(page.url()).searchParams.get('occurrence'), ended(), 'the choice is in the address');
  await page.screenshot({ path: `${resultsDir}readiness-after.png`, fullPage: true });
  await page.close();
});

test("the wall's display token shows the readiness line of the running meeting", async () => {
  const { token } = await createDisplayToken(noc.url, await noc.adminCookie(), 'Màn hình NOC');
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  contexts.push(context);
  const page = await context.newPage();
  watchConsole(page);
  await page.goto(`${noc.url}/wall?display=${token}`);
  const line = page.locator('[data-field="readiness"]');
  await onPage(page, 'the readiness line', async () => (await line.count()) === 1);
  assert.equal(await line.getAttribute('data-key'), running());
  const text = (await line.textContent()) ?? '';
  assert.match(text, /Sẵn sàng cho cuộc họp\s*Họp giao ban tháng 12/);
  assert.match(text, /0\/10 sẵn sàng/);
  assert.match(text, /1 chưa sẵn sàng/);
  assert.match(text, /9 chưa kiểm tra/);
  // Every part of the line is on the screen, none cut off at the panel's edge.
  const panel = (await line.boundingBox())!;
  for (const part of await line.locator('.line > span').all()) {
    const box = (await part.boundingBox())!;
    assert.ok(box.x + box.width <= panel.x + panel.width + 0.5, `"${await part.textContent()}" fits in the panel`);
  }
  await page.screenshot({ path: `${resultsDir}wall-readiness.png` });
  await page.close();
});
