// The whole system as `npm start` runs it, seen through the wall screen in
// Chromium at 1920×1080 (and 3840×2160): a wall display signed in by its
// token, 12 live sites, faults injected into one simulated site shown within
// 2 s, a silent site stale within 10 s, history from the store; the running
// meeting, and a capacity test's meeting shown as a test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { operatorToken } from '@noc/loadtest/runner/run-tokens';
import { SignallingClient } from '@noc/shared/signalling-client';
import type { Site } from '@noc/shared/sites';
import { waitFor } from '@noc/shared/wait';
import { fetchAs, signIn } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { NOC_ADMIN_PASSWORD } from '../fixtures/noc-server.ts';
import { CLIENT_RTP_CAPABILITIES } from '../fixtures/meeting-peers.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { DEMO_PASSWORD, startSystem, type SystemFixture } from '../fixtures/system.ts';
import { largestGap, wallRttSeries } from '../fixtures/wall-chart.ts';
import { assertWallFits, topologyLaidOut } from '../fixtures/wall-fit.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
let system: SystemFixture;
let browser: Browser;
let wall: BrowserContext;
let adminCookie: string;
/** Site id → the short name its tile and the topology show. */
let shortNames: Record<string, string>;

before(async () => {
  system = await startSystem();
  browser = await launchChromium();
  adminCookie = await signIn(system.url, 'admin', NOC_ADMIN_PASSWORD);
  const { sites } = (await (await fetchAs(adminCookie, `${system.url}/api/sites`)).json()) as { sites: Site[] };
  shortNames = Object.fromEntries(sites.map((s) => [s.id, s.shortName]));
  // The wall signs in the way the NOC screen does: a display-token link, no keyboard.
  const token = (await readFile(join(system.dataDir, 'demo-wall.txt'), 'utf8')).trim();
  wall = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await wall.newPage();
  await page.goto(`${system.url}/wall?display=${token}`);
  await onPage(page, 'the wall to sign in and draw 12 tiles', async () => (await page.locator('[data-site][data-state]').count()) === 12);
  assert.doesNotMatch(page.url(), /display=/, 'the token leaves the address bar');
  await page.close();
  await mkdir(resultsDir, { recursive: true });
});
after(async () => {
  await fetch(`${system.controlUrl}/faults`, { method: 'DELETE' }).catch(() => {});
  await browser?.close();
  await system?.stop();
});

async function wallPage(size = { width: 1920, height: 1080 }): Promise<Page> {
  const page = await wall.newPage();
  await page.setViewportSize(size);
  watchConsole(page);
  await page.goto(`${system.url}/wall`);
  await onPage(page, 'all 12 sites reporting', async () => (await page.locator('[data-state="ok"]').count()) === 12, 20_000);
  return page;
}

const fieldTexts = (page: Page, field: string): Promise<Record<string, string>> =>
  page.$$eval(
    '.site-tile[data-site]',
    (tiles, f) =>
      Object.fromEntries(
        tiles.map((t) => [t.getAttribute('data-site'), t.querySelector(`[data-field="${f}"]`)?.textContent?.trim() ?? '']),
      ),
    field,
  );

/** Injects a fault now through the simulator's control endpoint; answers its id and start time. */
async function inject(fault: Record<string, unknown>): Promise<{ id: string; startedAt: number }> {
  const res = await fetch(`${system.controlUrl}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: string; startedAt: number };
}

/** Does the page scroll in either direction? (Evaluated in the page.) */
const OVERFLOWS = 'document.documentElement.scrollHeight > window.innerHeight || document.documentElement.scrollWidth > window.innerWidth';

const endFault = (id: string) => fetch(`${system.controlUrl}/faults/${id}`, { method: 'DELETE' });

test('health reports the store, both SFU nodes and the simulator up', async () => {
  const health = await system.health();
  assert.equal(health.status, 'ok', JSON.stringify(health));
  assert.equal(health.components.store.kind, 'influxdb');
  assert.equal(health.components.sfu.state, 'up');
  assert.equal(health.components.sfu.workers, availableParallelism(), 'one mediasoup worker per core');
  assert.equal(health.components.sfuBackup.state, 'up');
  assert.equal(health.components.simulator.sitesReporting, 12);
});

test('the wall shows 12 live sites whose values change, with a grade in colour and word', async () => {
  const page = await wallPage();
  try {
    const first = await fieldTexts(page, 'rtt');
    assert.equal(Object.keys(first).length, 12);
    for (const [site, text] of Object.entries(first)) assert.match(text, /^\d+$/, `RTT of ${site}`);
    await waitFor(
      'the RTT of most sites to change',
      async () => {
        const now = await fieldTexts(page, 'rtt');
        return Object.keys(now).filter((site) => now[site] !== first[site]).length >= 8;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    const grades = await fieldTexts(page, 'grade');
    for (const [site, text] of Object.entries(grades))
      assert.match(text, /Tốt|Khá|Kém|Rất kém|Chưa đủ dữ liệu|Không có dữ liệu/, `grade word of ${site}`);
    assert.match((await page.locator('[data-field="online-count"]').textContent()) ?? '', /12\/12/);
    assert.match((await page.locator('[data-field="clock"]').textContent()) ?? '', /\d{1,2}:\d{2}/);
    assert.equal((await page.locator('[data-field="topology"] canvas').count()) > 0, true, 'the topology graph is drawn');
    await onPage(
      page,
      'the next planned meeting, from the plans the schedule file seeded',
      async () => (await page.locator('[data-field="next-meeting"] .when[data-start]').count()) === 1,
    );
    const overflow = await page.evaluate(OVERFLOWS);
    assert.equal(overflow, false, 'nothing scrolls at 1920×1080');
    await topologyLaidOut(page);
    await assertWallFits(page, shortNames, '1920×1080');
    await page.screenshot({ path: `${resultsDir}wall-1920x1080.png` });
    await page.setViewportSize({ width: 3840, height: 2160 });
    await onPage(page, 'the 4K layout to settle', async () => (await page.locator('[data-state="ok"]').count()) === 12);
    const overflow4k = await page.evaluate(OVERFLOWS);
    assert.equal(overflow4k, false, 'nothing scrolls at 3840×2160');
    await topologyLaidOut(page);
    await assertWallFits(page, shortNames, '3840×2160');
    await page.screenshot({ path: `${resultsDir}wall-3840x2160.png` });
  } finally {
    await page.close();
  }
});

test('with badges beside the names (a hub and a site offline, the main point on battery), every name stays whole at 1080p and 4K', async () => {
  const page = await wallPage();
  const faults: string[] = [];
  try {
    for (const site of ['tp-hoa-binh', 'mai-chau']) faults.push((await inject({ fault: 'link-cut', site, durationS: 300 })).id);
    faults.push((await inject({ fault: 'power-cut', site: 'so-gddt', durationS: 300, drainMinutes: 45 })).id);
    await onPage(
      page,
      'TP Hòa Bình and Mai Châu stale, the Sở on battery',
      async () =>
        (await page.locator('[data-site="tp-hoa-binh"][data-state="stale"] header .pill').count()) === 1 &&
        (await page.locator('[data-site="mai-chau"][data-state="stale"] header .pill').count()) === 1 &&
        /Pin UPS/.test((await page.locator('[data-site="so-gddt"] [data-field="power"]').textContent()) ?? ''),
      30_000,
    );
    await topologyLaidOut(page);
    await assertWallFits(page, shortNames, '1920×1080 with faults');
    await page.screenshot({ path: `${resultsDir}wall-badges-1920x1080.png` });
    await page.setViewportSize({ width: 3840, height: 2160 });
    await topologyLaidOut(page);
    await assertWallFits(page, shortNames, '3840×2160 with faults');
    await page.screenshot({ path: `${resultsDir}wall-badges-3840x2160.png` });
  } finally {
    for (const id of faults) await endFault(id);
    await onPage(page, 'every site back', async () => (await page.locator('[data-state="ok"]').count()) === 12, 30_000).finally(() =>
      page.close(),
    );
  }
});

test('the running meeting shows on the wall: the site that has the floor and the speaking queue in order', async () => {
  // Signalling as the desk pages do it: each user's SFU token from its own session.
  const signallingFor = async (cookie: string, meeting?: string) => {
    const config = (await (await fetchAs(cookie, `${system.url}/api/config`)).json()) as { signallingUrl: string };
    const q = meeting ? `?meeting=${meeting}` : '';
    const { token } = (await (await fetchAs(cookie, `${system.url}/api/auth/signalling-token${q}`)).json()) as { token: string };
    return SignallingClient.connect(config.signallingUrl, token);
  };
  const clients: SignallingClient[] = [];
  const page = await wallPage();
  try {
    const operator = await signallingFor(adminCookie);
    clients.push(operator);
    const title = 'Họp thử màn hình NOC';
    const { meetingId } = await operator.request('meeting.create', {
      kind: 'giao-ban',
      title,
      invitedSites: ['so-gddt', 'da-bac', 'mai-chau', 'tan-lac'],
    });
    await operator.request('meeting.join', { meetingId, rtpCapabilities: CLIENT_RTP_CAPABILITIES });
    const rooms: Record<string, SignallingClient> = {};
    for (const site of ['da-bac', 'mai-chau', 'tan-lac']) {
      const room = await signallingFor(await signIn(system.url, `kt-${site}`, DEMO_PASSWORD), meetingId);
      clients.push(room);
      await room.request('meeting.join', { meetingId, rtpCapabilities: CLIENT_RTP_CAPABILITIES });
      rooms[site] = room;
    }
    await rooms['tan-lac']!.request('floor.request', {});
    await rooms['mai-chau']!.request('floor.request', {});
    await operator.request('floor.grant', { site: 'da-bac' });

    const panel = page.locator('[data-field="meeting"]');
    await onPage(page, 'the meeting on the wall', async () => ((await panel.textContent()) ?? '').includes(title), 10_000);
    await onPage(page, 'Đà Bắc holding the floor', async () =>
      /Đà Bắc/.test((await panel.locator('[data-field="floor"]').textContent()) ?? ''),
    );
    const queue = await panel.locator('[data-field="queue"] li').allTextContents();
    assert.equal(queue.length, 2, queue.join(' | '));
    assert.match(queue[0]!, /Tân Lạc/);
    assert.match(queue[1]!, /Mai Châu/);
    assert.match((await panel.textContent()) ?? '', /Giao ban/, 'the kind in Vietnamese');
    await page.screenshot({ path: `${resultsDir}wall-meeting.png` });
    await operator.request('meeting.close', { meetingId });
  } finally {
    for (const c of clients) c.close();
    await page.close();
  }
});

test("a capacity test's meeting shows on the wall as a test, not as a meeting of its sites", async () => {
  // The load-test runner's control centre: an operator token with the loadTest claim, from the server secret.
  const secret = Buffer.from((await readFile(join(system.dataDir, 'secret.key'), 'utf8')).trim(), 'hex');
  const config = (await (await fetchAs(adminCookie, `${system.url}/api/config`)).json()) as { signallingUrl: string };
  const control = await SignallingClient.connect(config.signallingUrl, operatorToken(secret, 99, Date.now() + 60_000));
  const page = await wallPage();
  let meetingId: string | null = null;
  try {
    ({ meetingId } = await control.request('meeting.create', {
      kind: 'tap-huan',
      title: 'Kiểm tra tải 99',
      invitedSites: ['da-bac', 'mai-chau'],
      loadTest: true,
    }));
    await control.request('meeting.join', { meetingId, rtpCapabilities: CLIENT_RTP_CAPABILITIES });
    await control.request('floor.request', { site: 'da-bac' });
    const panel = page.locator(`[data-field="meeting"][data-meeting="${meetingId}"]`);
    await onPage(page, 'the load-test meeting on the wall', async () => (await panel.count()) === 1, 10_000);
    assert.equal(await panel.getAttribute('data-load-test'), 'true');
    const text = (await panel.textContent()) ?? '';
    assert.match(text, /Kiểm tra tải/);
    assert.match((await panel.locator('[data-field="load-test-note"]').textContent()) ?? '', /không điểm cầu nào đang họp/);
    // Not a tập huấn of Đà Bắc and Mai Châu: no kind, floor or queue of the simulated sites.
    assert.doesNotMatch(text, /Tập huấn|Đà Bắc|Mai Châu/);
    assert.equal(await panel.locator('[data-field="floor"], [data-field="queue"]').count(), 0);
    await page.screenshot({ path: `${resultsDir}wall-load-test.png` });
  } finally {
    if (meetingId) await control.request('meeting.close', { meetingId }).catch(() => {});
    control.close();
    await page.close();
  }
});

test('a link degradation injected into one site shows on its tile within 2 s', async () => {
  const page = await wallPage();
  try {
    const tile = page.locator('[data-site="mai-chau"]');
    const { id, startedAt } = await inject({
      fault: 'link-degradation',
      site: 'mai-chau',
      durationS: 300,
      lossPct: 15,
      rttMs: 400,
      jitterMs: 60,
    });
    const seenAt = await onPage(page, 'Mai Châu loss above 5 %', async () => {
      const loss = Number(((await tile.locator('[data-field="loss"]').textContent()) ?? '').replace(',', '.'));
      return loss > 5 ? Date.now() : false;
    });
    const delay = seenAt - startedAt;
    console.log(`link degradation on the tile after ${delay} ms`);
    assert.ok(delay <= 2000, `shown ${delay} ms after the injection`);
    // The alert is the incident: it opens once the 20 s mean passed the threshold for the rule's `for` (2 s here).
    await onPage(
      page,
      'an incident for Mai Châu in the list',
      async () => (await page.locator('[data-field="alerts"] [data-alert-site="mai-chau"][data-alert="lossHigh"]').count()) > 0,
      10_000,
    );
    await endFault(id);
  } finally {
    await page.close();
  }
});

test('a power cut injected into one site shows the battery on its tile within 2 s', async () => {
  const page = await wallPage();
  try {
    const power = page.locator('[data-site="lac-son"] [data-field="power"]');
    assert.doesNotMatch((await power.textContent()) ?? '', /Pin|UPS/);
    const { id, startedAt } = await inject({ fault: 'power-cut', site: 'lac-son', durationS: 300, drainMinutes: 25 });
    const seenAt = await onPage(page, 'Lạc Sơn on battery', async () =>
      /Pin UPS/.test((await power.textContent()) ?? '') ? Date.now() : false,
    );
    const delay = seenAt - startedAt;
    console.log(`power cut on the tile after ${delay} ms`);
    assert.ok(delay <= 2000, `shown ${delay} ms after the injection`);
    assert.match((await power.textContent()) ?? '', /\d+\s*%/, 'the charge is shown');
    await onPage(
      page,
      'an on-battery incident',
      async () => (await page.locator('[data-field="alerts"] [data-alert-site="lac-son"][data-alert="onBattery"]').count()) > 0,
      5_000,
    );
    await page.screenshot({ path: `${resultsDir}wall-faults.png` });
    await endFault(id);
    await onPage(page, 'Lạc Sơn back on mains', async () => !/Pin UPS/.test((await power.textContent()) ?? ''), 5_000);
  } finally {
    await page.close();
  }
});

test('a site whose link is cut turns stale within 10 s, and nothing on its tile claims OK', async () => {
  const page = await wallPage();
  try {
    const tile = page.locator('[data-site="da-bac"]');
    const { id } = await inject({ fault: 'link-cut', site: 'da-bac', durationS: 300 });
    const staleAt = await onPage(
      page,
      'Đà Bắc to turn stale',
      async () => ((await tile.getAttribute('data-state')) === 'stale' ? Date.now() : false),
      30_000,
    );
    const res = await fetchAs(adminCookie, `${system.url}/api/history?measurement=probe&field=seq&site=da-bac&minutes=5`);
    const { series } = (await res.json()) as { series: Record<string, [number, number][]> };
    const lastBeat = series['da-bac']!.at(-1)![0];
    // The heartbeat window, plus one tick of the wall's clock and this poll.
    assert.ok(staleAt - lastBeat <= 10_000 + 1_000 + 500, `stale ${staleAt - lastBeat} ms after the last heartbeat`);
    assert.ok(staleAt - lastBeat >= 10_000 - 500, `not stale before the window ran out (${staleAt - lastBeat} ms)`);
    assert.notEqual(await tile.getAttribute('data-grade'), 'good', 'no grade claims OK from old data');
    assert.doesNotMatch((await tile.locator('[data-field="grade"]').textContent()) ?? '', /Tốt/);
    assert.equal(await page.locator('[data-state="ok"]').count(), 11, 'the other sites stay live');
    await page.screenshot({ path: `${resultsDir}wall-site-stale.png` });
    await endFault(id);
    await onPage(page, 'Đà Bắc back', async () => (await tile.getAttribute('data-state')) === 'ok', 30_000);
  } finally {
    await page.close();
  }
});

test('with the live feed cut off, the wall still draws the last minutes from the store', async () => {
  const page = await wall.newPage();
  try {
    await page.routeWebSocket(/\/api\/live$/, (ws) => ws.close());
    await page.goto(`${system.url}/wall`);
    await onPage(
      page,
      'every tile to hold its stored history',
      async () => {
        const points = await page.$$eval('.site-tile[data-site]', (tiles) => tiles.map((t) => Number(t.getAttribute('data-points'))));
        return points.length === 12 && points.every((n) => n >= 10);
      },
      30_000,
    );
    for (const text of Object.values(await fieldTexts(page, 'rtt'))) assert.match(text, /^\d+$|^—$/);
    assert.equal(await page.locator('[data-feed="live"]').count(), 0, 'the feed is not shown as live');
  } finally {
    await page.close();
  }
});

/**
 * Cuts only this page's feed (the sites go on reporting to the server), so
 * nothing but the wall's own catch-up read can put the missed points in its
 * charts. `fromTheStart`: the feed is refused from the page's first connection,
 * so the page never had a greeting from the server before the blip.
 */
async function feedBlip(fromTheStart: boolean): Promise<Record<string, number>> {
  let cut = fromTheStart;
  let open: WebSocketRoute | null = null;
  const page = await wall.newPage();
  watchConsole(page);
  await page.routeWebSocket(/\/api\/live$/, (ws) => {
    if (cut) return void ws.close();
    ws.connectToServer();
    open = ws;
  });
  try {
    await page.goto(`${system.url}/wall`);
    await onPage(page, 'all 12 sites live', async () => (await page.locator('[data-state="ok"]').count()) === 12, 20_000);
    const cutAt = Date.now();
    if (!fromTheStart) {
      await onPage(page, 'the feed live', async () => (await page.locator('[data-feed="live"]').count()) === 1);
      cut = true;
      await open!.close();
      await onPage(
        page,
        'the wall to notice the feed is gone',
        async () => (await page.locator('[data-feed="live"]').count()) === 0,
        5_000,
      );
    }
    await new Promise((r) => setTimeout(r, 8000));
    cut = false;
    const backAt = Date.now();
    await onPage(
      page,
      'the feed live again',
      async () => open !== null && (await page.locator('[data-feed="live"]').count()) === 1,
      20_000,
    );
    const sites = ['so-gddt', 'tinh', 'da-bac', 'kim-boi', 'yen-thuy'];
    const gaps = async () =>
      Object.fromEntries(
        await Promise.all(sites.map(async (site) => [site, largestGap(await wallRttSeries(page, site), cutAt - 3000, backAt)] as const)),
      );
    try {
      await onPage(page, 'the gap back-filled', async () => Object.values(await gaps()).every((gap) => gap <= 2500), 15_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nlargest gaps (ms): ${JSON.stringify(await gaps())}`, { cause: err });
    }
    return await gaps();
  } finally {
    await page.close();
  }
}

test('after a blip in its own feed, the wall back-fills the gap from the store: no hole in its charts', async () => {
  console.log(`largest gap over the feed cut (ms): ${JSON.stringify(await feedBlip(false))}`);
});

test('a feed that only comes up after the first read still leaves no hole: the wall catches up on its greeting', async () => {
  console.log(`largest gap over a feed late from the start (ms): ${JSON.stringify(await feedBlip(true))}`);
});

test('the wall in English (?lang=en) shows English words', async () => {
  const page = await wall.newPage();
  try {
    await page.goto(`${system.url}/wall?lang=en`);
    await onPage(page, 'the English wall', async () =>
      /sites online/.test((await page.locator('[data-field="online-count"]').textContent()) ?? ''),
    );
    assert.doesNotMatch((await page.locator('[data-field="online-count"]').textContent()) ?? '', /điểm cầu/);
  } finally {
    await page.close();
  }
});
