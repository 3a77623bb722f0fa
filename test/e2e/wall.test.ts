// The whole system as `npm start` runs it, seen through the wall screen in
// Chromium at 1920×1080: 12 sites, live values that change, history from the store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '@noc/shared/wait';
import { launchChromium } from '../fixtures/chromium.ts';
import { startSystem, type SystemFixture } from '../fixtures/system.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
let system: SystemFixture;
let browser: Browser;

let scenarioDir: Awaited<ReturnType<typeof tempDir>>;

before(async () => {
  // One fault: Đà Bắc's link is cut half a minute in, so the wall can be seen noticing it.
  scenarioDir = await tempDir('wall-scenario');
  const scenario = join(scenarioDir.path, 'scenario.json');
  await writeFile(scenario, JSON.stringify({ name: 'wall', faults: [{ fault: 'link-cut', site: 'da-bac', at: '+30s', durationS: 600 }] }));
  system = await startSystem({ SIM_SCENARIO: scenario });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await system?.stop();
  await scenarioDir?.remove();
});

const rtts = (page: Page): Promise<Record<string, string>> =>
  page.$$eval('[data-site]', (tiles) =>
    Object.fromEntries(tiles.map((t) => [t.getAttribute('data-site'), t.querySelector('[data-field="rtt"]')?.textContent ?? ''])),
  );

test('health reports the store, both SFU nodes and the simulator up', async () => {
  const health = await system.health();
  assert.equal(health.status, 'ok', JSON.stringify(health));
  assert.equal(health.components.store.kind, 'influxdb');
  assert.equal(health.components.store.state, 'up');
  assert.equal(health.components.sfu.state, 'up');
  assert.equal(health.components.sfu.workers, availableParallelism(), 'one mediasoup worker per core');
  assert.equal(health.components.sfuBackup.state, 'up');
  assert.equal(health.components.sfuBackup.node, 'backup');
  assert.ok((health.components.sfu.routers ?? 0) >= 1);
  assert.equal(health.components.simulator.sitesReporting, 12);
});

test('the wall shows 12 live sites whose values change', async () => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  try {
    await page.goto(`${system.url}/wall`);
    await waitFor('12 site tiles', async () => (await page.locator('[data-site]').count()) === 12);
    await waitFor('all 12 sites online', async () => (await page.locator('[data-state="online"]').count()) === 12, {
      timeoutMs: 15_000,
    });
    const first = await rtts(page);
    assert.equal(Object.keys(first).length, 12);
    for (const [site, text] of Object.entries(first)) assert.match(text ?? '', /^\d+$/, `RTT of ${site}`);
    await waitFor(
      'the RTT of most sites to change',
      async () => {
        const now = await rtts(page);
        return Object.keys(now).filter((site) => now[site] !== first[site]).length >= 8;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    const online = await page.locator('[data-field="online-count"]').textContent();
    assert.match(online ?? '', /^12\/12 điểm cầu trực tuyến$/);
    await mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: `${resultsDir}wall-1920x1080.png` });
  } finally {
    await page.close();
  }
});

test('with the live feed cut off, the wall still draws the last minutes from the store', async () => {
  // Let some history build up first.
  await waitFor('ten stored RTT points for every site', async () => {
    const res = await fetch(`${system.url}/api/history?measurement=link&field=rtt_ms&target=sfu&minutes=15`);
    const body = (await res.json()) as { series: Record<string, [number, number][]> };
    const counts = Object.values(body.series).map((s) => s.length);
    return counts.length === 12 && counts.every((n) => n >= 10);
  }, { timeoutMs: 30_000, intervalMs: 500 });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  try {
    // No live feed for this page: whatever it shows came from /api/sites and /api/history.
    await page.routeWebSocket(/\/api\/live$/, (ws) => ws.close());
    await page.goto(`${system.url}/wall`);
    await waitFor('every tile to hold its stored history', async () => {
      const points = await page.$$eval('[data-site]', (tiles) => tiles.map((t) => Number(t.getAttribute('data-points'))));
      return points.length === 12 && points.every((n) => n >= 10);
    });
    const shown = await rtts(page);
    for (const text of Object.values(shown)) assert.match(text ?? '', /^\d+$/);
    assert.match((await page.locator('.feed').textContent()) ?? '', /Mất kết nối/);
  } finally {
    await page.close();
  }
});

test('a site that stops reporting turns stale on the wall once 10 s pass without a heartbeat, and its old value is marked', async () => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  try {
    await page.goto(`${system.url}/wall`);
    const tile = page.locator('[data-site="da-bac"]');
    await waitFor('Đà Bắc online first', async () => (await tile.getAttribute('data-state')) === 'online');
    const staleAt = await waitFor(
      'Đà Bắc to turn stale',
      async () => ((await tile.getAttribute('data-state')) === 'offline' ? Date.now() : false),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const res = await fetch(`${system.url}/api/history?measurement=probe&field=seq&minutes=5`);
    const { series } = (await res.json()) as { series: Record<string, [number, number][]> };
    const lastBeat = series['da-bac']!.at(-1)![0];
    // Ten seconds of silence (the heartbeat window), plus up to one tick of the wall's 1 s clock and this poll.
    assert.ok(staleAt - lastBeat <= 10_000 + 1_000 + 500, `stale ${staleAt - lastBeat} ms after the last heartbeat`);
    assert.ok(staleAt - lastBeat >= 10_000 - 500, `not stale before the window ran out (${staleAt - lastBeat} ms)`);
    assert.match((await tile.locator('.label').first().textContent()) ?? '', /Số liệu cũ/);
    assert.equal(await page.locator('[data-state="online"]').count(), 11, 'the other sites stay online');
    await page.screenshot({ path: `${resultsDir}wall-site-stale.png` });
  } finally {
    await page.close();
  }
});
