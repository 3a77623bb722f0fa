// Replay in Chromium against a real NOC server and influxd: a past written
// honestly (fixtures/replay-story.ts: Mai Châu silent ten minutes ago, with the
// incident the engine opened then; Đà Bắc losing 8 % now, with its incident
// open now), and live samples arriving all along. The operator's wall at
// 1920×1080 goes 10 minutes back: the silent site's tile and its incident,
// nothing of the present, under the banner, while the live feed keeps coming;
// plays forward at 60× with one read in flight; back to live shows the present
// at once. A technician's site page does the same for its own site; the wall
// display token gets no time control.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { addSessionCookie, createDisplayToken, signInNewUser } from '../fixtures/auth.ts';
import { sendLiveSecond } from '../fixtures/backdated-probe.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { deliverStorySamples, LOSS_PCT, LOSSY_SITE, SILENT_SITE, writeStoryIncidents } from '../fixtures/replay-story.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
let influx: InfluxdFixture;
let noc: NocFixture;
let spoolDir: Awaited<ReturnType<typeof tempDir>>;
let browser: Browser;
let feeder: ReturnType<typeof setInterval> | null = null;
const cookies: Record<string, string> = {};
let displayToken = '';

/** The present: every site heard each second, Đà Bắc still losing 8 %. */
async function liveSecond(): Promise<void> {
  await sendLiveSecond(noc, LOSSY_SITE, LOSS_PCT);
}

before(async () => {
  influx = await startTestInfluxd();
  const data = await tempDir('replay-e2e');
  spoolDir = await tempDir('replay-e2e-spools');
  const w = Date.now();
  await writeStoryIncidents(join(data.path, 'noc.db'), w);
  noc = await startTestNocServer({ influxUrl: influx.url, dataDir: data.path });
  await deliverStorySamples({ nocUrl: noc.url, tokenFor: noc.tokenFor, spoolDir: spoolDir.path, w });
  feeder = setInterval(() => void liveSecond().catch((err: unknown) => console.error('[live samples]', err)), 1000);
  const admin = await noc.adminCookie();
  cookies.operator = await signInNewUser(noc.url, admin, { username: 'dieuhanh', role: 'operator' });
  cookies.technician = await signInNewUser(noc.url, admin, { username: `kt-${SILENT_SITE}`, role: 'technician', site: SILENT_SITE });
  displayToken = (await createDisplayToken(noc.url, admin, 'Màn hình NOC')).token;
  browser = await launchChromium();
  await mkdir(resultsDir, { recursive: true });
});

after(async () => {
  if (feeder) clearInterval(feeder);
  await browser?.close();
  await noc?.stop();
  await influx?.stop();
  await spoolDir?.remove();
});

async function pageAs(who: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await addSessionCookie(context, noc.url, cookies[who]!);
  const page = await context.newPage();
  watchConsole(page);
  await page.goto(`${noc.url}${path}`);
  return page;
}

const tile = (page: Page, site: string) => page.locator(`.site-tile[data-site="${site}"]`);
const alertOf = (page: Page, rule: string, site: string) => page.locator(`[data-alert="${rule}"][data-alert-site="${site}"]`);
const bannerAt = async (page: Page): Promise<number> => Number(await page.locator('[data-testid="replay-banner"]').getAttribute('data-at'));

test("the operator's wall ten minutes back: the silent site and its incident, nothing of the present; 60× play; back to live", async () => {
  const page = await pageAs('operator', '/wall');
  try {
    // The present: Mai Châu heard, Đà Bắc losing, its incident open.
    await onPage(page, 'Mai Châu heard now', async () => (await tile(page, SILENT_SITE).getAttribute('data-state')) === 'ok', 20_000);
    await onPage(page, "Đà Bắc's loss now", async () => (await tile(page, LOSSY_SITE).getAttribute('data-grade')) === 'bad', 20_000);
    await onPage(page, "Đà Bắc's loss incident listed", async () => (await alertOf(page, 'lossHigh', LOSSY_SITE).count()) === 1);
    assert.equal(await page.locator('[data-testid="replay-banner"]').count(), 0);

    const before = Date.now();
    await page.locator('[data-replay="back10m"]').click();
    await onPage(page, 'the replay banner', async () => (await page.locator('[data-testid="replay-banner"]').count()) === 1);
    const at = await bannerAt(page);
    assert.ok(Math.abs(at - (before - 600_000)) < 5000, `the moment is ten minutes back: ${new Date(at).toISOString()}`);
    assert.match(
      (await page.locator('[data-testid="replay-banner"] .what').textContent()) ?? '',
      /^ĐANG XEM LẠI — \d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/,
    );
    await onPage(page, 'Mai Châu silent then', async () => (await tile(page, SILENT_SITE).getAttribute('data-state')) === 'stale');
    await onPage(page, 'its offline incident listed', async () => (await alertOf(page, 'siteOffline', SILENT_SITE).count()) === 1);
    const shown = async () => ({
      silent: await tile(page, SILENT_SITE).getAttribute('data-state'),
      lossyGrade: await tile(page, LOSSY_SITE).getAttribute('data-grade'),
      lossAlerts: await alertOf(page, 'lossHigh', LOSSY_SITE).count(),
      alerts: await page.locator('[data-alert]').count(),
      banner: await page.locator('[data-testid="replay-banner"]').count(),
      frame: await page.locator('main.wall').getAttribute('data-replay'),
    });
    const then = { silent: 'stale', lossyGrade: 'good', lossAlerts: 0, alerts: 1, banner: 1, frame: 'on' };
    assert.deepEqual(await shown(), then, 'the wall as it was: nothing of the present');
    // The live feed keeps coming meanwhile (the page takes its samples) and changes nothing shown.
    const delays = async () => Number(await page.evaluate('window.__nocWall.drawDelays.length'));
    const taken = await delays();
    await onPage(page, 'three more live sample batches taken', async () => (await delays()) >= taken + 3, 15_000);
    assert.deepEqual(await shown(), then, 'still as it was, with the live feed running');
    await page.screenshot({ path: join(resultsDir, 'wall-replay-1920x1080.png') });
    assert.equal(await page.evaluate('document.documentElement.scrollHeight > window.innerHeight'), false, 'the wall fits');

    // Play forward at 60×: Mai Châu comes back (at W−8 min) within seconds; one read in flight at most.
    await page.locator('[data-replay-speed="60"]').click();
    await page.locator('[data-replay="play"]').click();
    const started = Date.now();
    await onPage(
      page,
      'Mai Châu heard again as the replay plays',
      async () => (await tile(page, SILENT_SITE).getAttribute('data-state')) === 'ok',
    );
    await onPage(page, 'the replay four minutes on', async () => (await bannerAt(page)) >= at + 240_000, 15_000);
    const elapsed = (Date.now() - started) / 1000;
    const moved = ((await bannerAt(page)) - at) / 1000;
    assert.ok(moved <= 60 * elapsed + 5, `60×: ${moved} s of replay in ${elapsed} s`);
    assert.equal(await alertOf(page, 'lossHigh', LOSSY_SITE).count(), 0, 'still before the loss began');
    await page.locator('[data-replay="pause"]').click();
    const reads = (await page.evaluate('window.__nocReplay')) as { reads: number; maxInFlight: number; slowestMs: number };
    console.log(`replay at 60×: ${reads.reads} reads, at most ${reads.maxInFlight} in flight, slowest ${reads.slowestMs.toFixed(0)} ms`);
    assert.equal(reads.maxInFlight, 1, 'never more than one state read in flight');
    assert.ok(reads.reads >= 5);

    // Back to live: the present at once.
    await page.locator('[data-replay="live"]').click();
    await onPage(
      page,
      'the present back',
      async () => {
        const s = await shown();
        return s.banner === 0 && s.frame === 'off' && s.silent === 'ok' && s.lossyGrade === 'bad' && s.lossAlerts === 1;
      },
      2000,
    );
  } finally {
    await page.context().close();
  }
});

test("a technician's site page ten minutes back: its figures and incident then", async () => {
  const page = await pageAs('technician', `/site/${SILENT_SITE}`);
  try {
    await onPage(
      page,
      'the site page live',
      async () => (await page.locator('[data-testid="site-status"]').getAttribute('data-state')) === 'online',
      20_000,
    );
    await page.locator('[data-replay="back10m"]').click();
    await onPage(
      page,
      'the figures then',
      async () => (await page.locator('[data-testid="replay-figures"]').getAttribute('data-state')) === 'stale',
    );
    await onPage(
      page,
      'its incident then',
      async () => (await page.locator('[data-testid="site-incidents"] [data-rule="siteOffline"]').count()) === 1,
    );
    assert.equal(await page.locator('[data-testid="site-status"]').getAttribute('data-state'), 'stale');
    assert.equal(await page.locator('[data-testid="site-feed"]').getAttribute('data-replay'), 'on');
    assert.equal(await page.locator('[data-testid="replay-banner"]').count(), 1);
    assert.match((await page.locator('[data-testid="replay-figures"] [data-field="last-heard"]').textContent()) ?? '', /mất tín hiệu/);
    await page.screenshot({ path: join(resultsDir, 'site-replay.png'), fullPage: true });
    await page.locator('[data-replay="live"]').click();
    await onPage(
      page,
      'live again',
      async () => (await page.locator('[data-testid="site-status"]').getAttribute('data-state')) === 'online',
      2000,
    );
    assert.equal(await page.locator('[data-testid="replay-figures"]').count(), 0);
    assert.equal(await page.locator('[data-testid="site-incidents"] [data-rule="siteOffline"]').count(), 0);
  } finally {
    await page.context().close();
  }
});

test('the wall screen signed in by its display token has no time control', async () => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  try {
    await page.goto(`${noc.url}/wall?display=${displayToken}`);
    await onPage(page, 'the wall drawn', async () => (await page.locator('[data-site][data-state="ok"]').count()) >= 11, 20_000);
    assert.equal(await page.locator('[data-testid="replay-control"]').count(), 0);
  } finally {
    await context.close();
  }
});
