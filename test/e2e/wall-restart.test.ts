// The wall across a restart of the NOC server: the live feed comes back by
// itself and the charts have no hole where the server was down (the probes'
// spools replay the samples, the wall back-fills the gap from the store).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { ManagedProcess } from '@noc/shared/child-process';
import { createDisplayToken } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSimulator } from '../fixtures/simulator.ts';
import { largestGap, wallRttSeries } from '../fixtures/wall-chart.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

let influxd: InfluxdFixture;
let noc: NocFixture;
let port: number;
let dir: Awaited<ReturnType<typeof tempDir>>;
let simulator: ManagedProcess;
let browser: Browser;

const startNoc = () => startTestNocServer({ influxUrl: influxd.url, port, dataDir: join(dir.path, 'noc') });

before(async () => {
  influxd = await startTestInfluxd();
  dir = await tempDir('wall-restart');
  port = await freePort();
  noc = await startNoc();
  simulator = startSimulator({ noc, dir: dir.path, scenario: 'none' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await simulator?.stop();
  await noc?.stop();
  await dir?.remove();
  await influxd?.stop();
});

const SITES = [
  'so-gddt',
  'tp-hoa-binh',
  'tinh',
  'da-bac',
  'mai-chau',
  'tan-lac',
  'lac-son',
  'cao-phong',
  'kim-boi',
  'luong-son',
  'lac-thuy',
  'yen-thuy',
];

/** The RTT points the wall holds for a site (its network store, as the chart draws them). */
test('after the NOC server restarts, the wall follows the live feed again and its charts have no gap', async () => {
  const { token } = await createDisplayToken(noc.url, await noc.adminCookie(), 'Wall for the restart test');
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  watchConsole(page);
  try {
    await page.goto(`${noc.url}/wall?display=${token}`);
    await onPage(page, 'all 12 sites live', async () => (await page.locator('[data-state="ok"]').count()) === 12, 30_000);
    await onPage(
      page,
      'ten seconds of points for every site',
      async () => {
        const points = await page.$$eval('.site-tile[data-site]', (tiles) => tiles.map((t) => Number(t.getAttribute('data-points'))));
        return points.length === 12 && points.every((n) => n >= 10);
      },
      30_000,
    );

    const downAt = Date.now();
    await noc.server.close();
    await onPage(page, 'the wall to notice the feed is gone', async () => (await page.locator('[data-feed="live"]').count()) === 0, 10_000);
    // Long enough for a visible hole if nothing filled it: several samples per site.
    await new Promise((r) => setTimeout(r, 6000));
    noc = await startNoc();
    const upAt = Date.now();
    await onPage(page, 'the live feed back', async () => (await page.locator('[data-feed="live"]').count()) === 1, 20_000);
    await onPage(page, 'all 12 sites live again', async () => (await page.locator('[data-state="ok"]').count()) === 12, 20_000);

    // Every site's chart covers the outage with its 1 Hz points once the spools have replayed and the
    // wall has read the window again.
    const from = downAt - 5000;
    const to = upAt + 3000;
    await onPage(
      page,
      'the gap to be back-filled for every site',
      async () => {
        for (const site of SITES) if (largestGap(await wallRttSeries(page, site), from, to) > 2500) return false;
        return true;
      },
      30_000,
    );
    console.log(`every site's chart back-filled ${Date.now() - upAt} ms after the restart`);
    const gaps: Record<string, number> = {};
    for (const site of SITES) {
      gaps[site] = largestGap(await wallRttSeries(page, site), from, to);
    }
    console.log(`largest gap per site over the outage (ms): ${JSON.stringify(gaps)}`);
    for (const [site, gap] of Object.entries(gaps)) assert.ok(gap <= 2500, `${site}: a ${gap} ms hole in the chart around the restart`);
    await page.screenshot({ path: `${resultsDir}wall-after-restart.png` });
  } finally {
    await context.close();
  }
});
