// The load-test page in Chromium against the whole system (scripts/start.ts)
// with the real runner: an operator starts a small capacity test from the
// page's form, watches its figures arrive live, and once it has run its
// duration sees the verdict with every check, the curve and the ceiling, and
// compares it with a second run. The chair has no link to the page and is
// refused it. Screenshots: test-results/load-test-live.png,
// load-test-finished.png (1920×1080) and load-test-finished-1366x768.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LoadTestRun } from '@noc/shared/load-test';
import { waitFor } from '@noc/shared/wait';
import { addSessionCookie, fetchAs, signIn } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { DEMO_PASSWORD, startSystem, type SystemFixture } from '../fixtures/system.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
let system: SystemFixture;
let browser: Browser;
let operator: string;
const contexts: BrowserContext[] = [];

before(async () => {
  system = await startSystem();
  browser = await launchChromium();
  await mkdir(resultsDir, { recursive: true });
  operator = await signIn(system.url, 'dieuhanh', DEMO_PASSWORD);
});
after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await system?.stop();
});

async function pageAs(cookie: string, width = 1920, height = 1080): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  await addSessionCookie(context, system.url, cookie);
  const page = await context.newPage();
  watchConsole(page);
  return page;
}

async function runs(): Promise<LoadTestRun[]> {
  return ((await (await fetchAs(operator, `${system.url}/api/load-tests`)).json()) as { runs: LoadTestRun[] }).runs;
}

async function ended(id: number): Promise<LoadTestRun> {
  return waitFor(
    `run #${id} to end`,
    async () => (await runs()).find((r) => r.id === id && r.status !== 'running' && r.status !== 'stopping'),
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
}

test('an operator starts a capacity test from the page, watches it live and reads its verdict, curve and ceiling', async () => {
  const page = await pageAs(operator);
  await page.goto(`${system.url}/load-tests`);
  await page.locator('[data-testid="nav-load-tests"]').waitFor();
  await page.locator('[data-testid="load-test-form"] [data-site="da-bac"]').check();
  await page.locator('[data-testid="load-test-form"] [data-site="mai-chau"]').check();
  await page.locator('[data-testid="load-seats"]').fill('3');
  await page.locator('[data-testid="load-duration"]').fill('20');
  await page.locator('[data-testid="load-browsers"]').fill('0');
  assert.match((await page.locator('[data-testid="load-wanted"]').textContent()) ?? '', /6 chỗ ngồi tại 2 điểm cầu/);
  await page.locator('[data-action="start-run"]').click();

  const live = page.locator('[data-testid="load-test-live"]');
  await onPage(
    page,
    'live figures with seats joined',
    async () => {
      if ((await live.getAttribute('data-status')) !== 'running') return false;
      const seats = (await live.locator('[data-figure="seats"] dd').textContent()) ?? '';
      return /^[1-6] \/ 6$/.test(seats.trim()) && Number(await live.getAttribute('data-figures')) >= 2;
    },
    60_000,
  );
  // The run's walls (3 by default) sign in with its display token and hold the live feed.
  await onPage(
    page,
    'the walls on the live feed',
    async () => ((await live.locator('[data-figure="walls"] dd').textContent()) ?? '').trim() === '3 / 3',
    15_000,
  );
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${resultsDir}/load-test-live.png`, fullPage: true });
  assert.ok(Number(await page.locator('[data-testid="chart-load-seats"]').getAttribute('data-points')) > 0);

  const [run] = await runs();
  assert.ok(run);
  assert.equal(run.startedBy, 'dieuhanh');
  assert.deepEqual(run.settings.sites, ['da-bac', 'mai-chau']);
  const done = await ended(run.id);
  assert.equal(done.status, 'finished', done.reason ?? '');

  const verdict = page.locator('[data-testid="load-test-verdict"]');
  await verdict.waitFor({ timeout: 15_000 });
  assert.equal(await verdict.getAttribute('data-holds'), String(done.verdict!.holds));
  assert.equal(await verdict.locator('[data-check]').count(), done.verdict!.checks.length);
  const ceiling = (await verdict.locator('[data-testid="verdict-ceiling"]').textContent()) ?? '';
  if (done.verdict!.ceilingSeats !== null) assert.match(ceiling, /Khoảng [\d.]+ chỗ ngồi trước khi một worker vượt 70 %/);
  else assert.match(ceiling, /Chưa đủ điểm đo/);
  assert.equal(Number(await page.locator('[data-testid="load-test-curve"]').getAttribute('data-points')), done.curve.length);
  await page.screenshot({ path: `${resultsDir}/load-test-finished.png`, fullPage: true });
});

test('two runs side by side, on a laptop screen; the chair has no way to the page', async () => {
  const res = await fetchAs(operator, `${system.url}/api/load-tests`, {
    method: 'POST',
    json: { sites: ['da-bac'], seats: 2, durationS: 10, browsers: 0, walls: 0, thresholds: { joinP95Ms: 0.001 } },
  });
  assert.equal(res.status, 201, await res.clone().text());
  const second = ((await res.json()) as { run: LoadTestRun }).run;
  const done = await ended(second.id);
  assert.equal(done.verdict?.holds, false);

  const page = await pageAs(operator, 1366, 768);
  await page.goto(`${system.url}/load-tests?run=${second.id}`);
  await page.locator('[data-testid="load-test-verdict"][data-holds="false"]').waitFor();
  assert.match((await page.locator('[data-testid="verdict-failed"]').textContent()) ?? '', /Thời gian vào phòng \(p95\)/);
  const [a, b] = await runs();
  await page.locator(`[data-compare="${a!.id}"]`).check();
  await page.locator(`[data-compare="${b!.id}"]`).check();
  const compare = page.locator('[data-testid="load-test-compare"]');
  await compare.waitFor();
  assert.equal(await compare.locator('th[data-run]').count(), 2);
  assert.ok((await compare.locator('[data-check="joinP95Ms"] td.bad').count()) >= 1, 'the run that failed its join time shows it');
  await page.screenshot({ path: `${resultsDir}/load-test-finished-1366x768.png`, fullPage: true });

  const chair = await pageAs(await signIn(system.url, 'chutri', DEMO_PASSWORD));
  await chair.goto(`${system.url}/wall`);
  await chair.goto(`${system.url}/load-tests`);
  await onPage(chair, 'access denied at /load-tests', async () => (await chair.locator('[data-testid="access-denied"]').count()) === 1);
  assert.equal(await chair.locator('[data-testid="load-test-page"]').count(), 0);
  assert.equal(await chair.locator('[data-testid="nav-load-tests"]').count(), 0);
  assert.equal((await fetchAs(await signIn(system.url, 'chutri', DEMO_PASSWORD), `${system.url}/api/load-tests`)).status, 403);
});
