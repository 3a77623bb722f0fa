// The backup control point seen from the rooms: two rooms in Chromium are in a
// meeting on the main SFU node; the main node is killed; within 5 s both rooms
// are back in the meeting on the backup node with the same floor and layout,
// and pictures flow again; when the main returns, the control centre moves the
// meeting back and the rooms follow.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '@noc/shared/wait';
import { launchChromium } from '../fixtures/chromium.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';

const builtApp = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));
let noc: NocFixture;
let main: SfuFixture;
let backup: SfuFixture;
let mainPort: number;
let browser: Browser;
const peers: TestPeer[] = [];
const pages = new Map<string, Page>();

const startMain = (backupPort: number) =>
  startSfu({ node: 'main', port: mainPort, secretFile: noc.secretFile, peerUrl: `http://127.0.0.1:${backupPort}`, rtcMinPort: 46000 });

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  mainPort = await freePort();
  const backupPort = await freePort();
  noc = await startTestNocServer({ sfuUrl: `http://127.0.0.1:${mainPort}`, sfuBackupUrl: `http://127.0.0.1:${backupPort}` });
  main = await startMain(backupPort);
  backup = await startSfu({ node: 'backup', port: backupPort, secretFile: noc.secretFile, peerUrl: main.url, rtcMinPort: 47000 });
  browser = await launchChromium();
});
after(async () => {
  for (const p of peers) p.close();
  await browser?.close();
  await main?.stop();
  await backup?.stop();
  await noc?.stop();
});

const on = onPage;

async function openRoom(site: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watchConsole(page);
  const token = main.token({ role: 'site', site });
  await page.goto(`${noc.url}/room?token=${encodeURIComponent(token)}`);
  pages.set(site, page);
  return page;
}

const framesFrom = async (page: Page, site: string): Promise<number> => {
  const row = page.locator(`[data-stats-site="${site}"]`);
  return (await row.count()) === 0 ? 0 : Number((await row.getAttribute('data-frames-decoded')) ?? 0);
};

/** The page is in the meeting on `node`, with pictures from `other` arriving. */
async function inMeetingOn(page: Page, meetingId: string, node: string): Promise<boolean> {
  return (
    (await page.locator(`[data-sfu-node="${node}"]`).count()) === 1 &&
    (await page.locator(`[data-meeting-id="${meetingId}"]`).count()) === 1 &&
    (await page.locator('[data-connection][data-status="connected"]').count()) === 1
  );
}

async function picturesFlow(page: Page, from: string): Promise<boolean> {
  const first = await framesFrom(page, from);
  if (first === 0) return false;
  return waitFor(`more frames from ${from}`, async () => (await framesFrom(page, from)) > first, { timeoutMs: 5000, intervalMs: 200 });
}

test('rooms continue on the backup node within 5 s when the main node dies, and follow the meeting back', async () => {
  const operator = await TestPeer.connect(main, { role: 'operator' });
  peers.push(operator);
  const { meetingId } = await operator.client.request('meeting.create', {
    kind: 'hop',
    title: 'Họp trực tuyến',
    invitedSites: ['da-bac', 'mai-chau'],
  });
  await operator.join(meetingId);
  await operator.client.request('floor.grant', { site: 'da-bac' });
  await operator.client.request('layout.set', { featuredSite: 'mai-chau', grid: 9, followSpeaker: false });

  const daBac = await openRoom('da-bac');
  const maiChau = await openRoom('mai-chau');
  for (const [page, other] of [
    [daBac, 'mai-chau'],
    [maiChau, 'da-bac'],
  ] as const) {
    await on(page, 'the room in the meeting on the main node', () => inMeetingOn(page, meetingId, 'main'));
    await on(page, `pictures from ${other}`, () => picturesFlow(page, other), 20_000);
  }
  await waitFor('the backup to hold the meeting as it is', async () => {
    const { copies } = await backup.status('meetings');
    return copies.some((r) => r.id === meetingId && r.floor === 'da-bac' && r.layout.grid === 9);
  });

  const killedAt = Date.now();
  main.process.child.kill('SIGKILL');
  await Promise.all(
    [daBac, maiChau].map((page) =>
      on(page, 'the room back in the meeting on the backup node', () => inMeetingOn(page, meetingId, 'backup'), 5000),
    ),
  );
  const rejoinMs = Date.now() - killedAt;
  assert.ok(rejoinMs < 5000, `rooms rejoined on the backup after ${rejoinMs} ms`);
  for (const [page, other] of [
    [daBac, 'mai-chau'],
    [maiChau, 'da-bac'],
  ] as const) {
    await on(page, `pictures from ${other} through the backup`, () => picturesFlow(page, other), 20_000);
  }
  const mediaMs = Date.now() - killedAt;
  console.log(`failover: rooms rejoined after ${rejoinMs} ms, pictures flowing both ways after ${mediaMs} ms`);
  // The floor and the layout came along.
  assert.equal(await daBac.locator('[data-floor-status="has-floor"]').count(), 1);
  for (const page of [daBac, maiChau]) {
    assert.equal(await page.locator('[data-layout][data-featured-site="mai-chau"][data-grid="9"]').count(), 1);
  }

  // The main node returns; the control centre moves the meeting back and the rooms follow.
  main = await startMain(Number(new URL(backup.url).port));
  await waitFor('the main node to see the meeting on the backup', async () => {
    const { copies } = await main.status('meetings');
    return copies.some((r) => r.id === meetingId && r.activeOn === 'backup');
  });
  const operator2 = await TestPeer.connect(backup, { role: 'operator' });
  peers.push(operator2);
  await operator2.join(meetingId);
  await operator2.client.request('meeting.move', { meetingId, to: 'main' });
  for (const [page, other] of [
    [daBac, 'mai-chau'],
    [maiChau, 'da-bac'],
  ] as const) {
    await on(page, 'the room back on the main node', () => inMeetingOn(page, meetingId, 'main'), 10_000);
    await on(page, `pictures from ${other} on the main node again`, () => picturesFlow(page, other), 20_000);
  }
  assert.equal(await daBac.locator('[data-floor-status="has-floor"]').count(), 1);
});
