// A meeting as the people in it live it, in Chromium against a real SFU: the
// control centre creates a meeting in /control, three district rooms (/room)
// join it and see each other; Đà Bắc asks to speak and is given the floor, and
// only its microphone is heard; Tân Lạc tries to open its microphone without
// the floor and is refused, and the control centre sees the breach; the chat
// goes both ways; the layout set in the control view shows in every room; a
// room whose signalling drops says so and joins again. Four pages in all (more
// live calls than that do not fit two cores). Screenshots: test-results/room-da-bac.png
// and test-results/control.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { launchChromium } from '../fixtures/chromium.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { statsOf } from '../fixtures/room-stats.ts';
import { FAKE_DISPLAY_MEDIA } from '../fixtures/fake-display-media.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
const builtApp = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));
const VIEWPORT = { width: 1600, height: 900 };
const SITES = ['da-bac', 'mai-chau', 'tan-lac'] as const;
type SiteId = (typeof SITES)[number];

let sfu: SfuFixture;
let noc: NocFixture;
let browser: Browser;
let control: Page;
const rooms = new Map<SiteId, Page>();
/** The signalling socket of a page, passed through Playwright so a test can cut it. */
const signalling = new Map<Page, { page: WebSocketRoute; server: WebSocketRoute }>();
let meetingId: string;
/** A signalling-only operator: the server's own view of the producers. */
let observer: TestPeer;

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  // One secret for both, as in a deployment: the pages' token links also open the NOC's /api/config.
  const sfuPort = await freePort();
  noc = await startTestNocServer({ sfuUrl: `http://127.0.0.1:${sfuPort}` });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile });
  browser = await launchChromium();
});
after(async () => {
  observer?.close();
  await browser?.close();
  await noc?.stop();
  await sfu?.stop();
});

async function openPage(path: string, token: string, opts: { cuttable?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  if (opts.cuttable) {
    await page.routeWebSocket(/\/signalling\?/, (ws) => {
      signalling.set(page, { page: ws, server: ws.connectToServer() });
    });
  }
  watchConsole(page);
  await page.goto(`${noc.url}${path}?token=${encodeURIComponent(token)}`);
  return page;
}

const room = (site: SiteId): Page => rooms.get(site)!;

const on = onPage;

const text = async (page: Page, selector: string): Promise<string> => (await page.locator(selector).first().textContent()) ?? '';

test('the control centre creates a meeting in /control and the invited rooms join it by themselves', async () => {
  // Đà Bắc's room is up before any meeting: it says so and keeps looking.
  rooms.set('da-bac', await openPage('/room', sfu.token({ role: 'site', site: 'da-bac' })));
  await on(
    room('da-bac'),
    'the room to wait for an invitation',
    async () => (await room('da-bac').locator('[data-room-message="waiting"]').count()) === 1,
  );
  assert.match(await text(room('da-bac'), '[data-room-message="waiting"]'), /Chưa có cuộc họp nào mời điểm cầu này/);
  assert.ok(!room('da-bac').url().includes('token='), 'the token leaves the address bar');

  control = await openPage('/control', sfu.token({ role: 'operator', name: 'Tổ CNTT Sở' }));
  await on(control, 'the create form with the registry', async () => (await control.locator('[data-site-checkbox]').count()) === 12);
  await control.locator('[data-field="kind"]').selectOption('giao-ban');
  assert.equal(await control.locator('[data-field="kind"] option:checked').textContent(), 'Giao ban');
  await control.locator('[data-field="title"]').fill('Giao ban tháng 9 — các TTGDTX');
  for (const site of SITES) await control.locator(`[data-site-checkbox="${site}"]`).check();
  await control.locator('[data-action="create-meeting"]').click();
  meetingId = await on(
    control,
    'the control view of the new meeting',
    async () => (await control.locator('.control[data-meeting-id]').getAttribute('data-meeting-id', { timeout: 200 })) ?? undefined,
  );

  rooms.set('mai-chau', await openPage('/room', sfu.token({ role: 'site', site: 'mai-chau' })));
  rooms.set('tan-lac', await openPage('/room', sfu.token({ role: 'site', site: 'tan-lac' }), { cuttable: true }));
  for (const site of SITES) {
    await on(
      room(site),
      `${site} to join the meeting`,
      async () => (await room(site).locator(`[data-meeting-id="${meetingId}"]`).count()) === 1,
    );
  }
  for (const site of SITES) {
    await on(
      control,
      `${site} to show as connected`,
      async () => (await control.locator(`[data-presence-site="${site}"][data-endpoint="online"]`).count()) === 1,
    );
  }
  assert.match(await text(room('mai-chau'), '.desk-bar h1'), /TTGDTX huyện Mai Châu/);
  assert.match(await text(room('mai-chau'), '.desk-bar .subtitle'), /Giao ban — Giao ban tháng 9/);
});

test('every room decodes the pictures of the other two sites', async () => {
  const pairs = SITES.flatMap((site) => SITES.filter((other) => other !== site).map((other) => ({ site, other })));
  await Promise.all(
    pairs.map(async ({ site, other }) => {
      const page = room(site);
      const first = await on(
        page,
        `${site} to decode video from ${other}`,
        async () => {
          const s = await statsOf(page, other);
          return s && s.framesDecoded > 0 ? s : undefined;
        },
        25_000,
      );
      // Decoding goes on, at a frame rate and resolution the browser measures.
      await on(page, `frames from ${other} to keep being decoded on ${site}`, async () => {
        const s = await statsOf(page, other);
        return s !== undefined && s.framesDecoded > first.framesDecoded && s.fps > 0 && s.width > 0;
      });
    }),
  );
});

test('Đà Bắc asks to speak, the control view gives it the floor, and only its microphone is heard', async () => {
  const daBac = room('da-bac');
  assert.match(await text(daBac, '[data-floor-text]'), /^Micro đã tắt — chờ chủ trì cho phép$/);
  await daBac.locator('[data-action="raise"]').click();
  await on(daBac, 'the queue position on the room', async () => (await daBac.locator('[data-position="1"]').count()) === 1);
  assert.match(await text(daBac, '[data-position="1"]'), /Thứ tự trong hàng chờ: 1\/1/);

  const request = control.locator('[data-queue-site="da-bac"]');
  await on(control, 'the request in the control queue', async () => (await request.count()) === 1);
  await request.locator('[data-action="grant"]').click();

  await on(daBac, 'Đà Bắc to have the floor', async () => (await daBac.locator('[data-floor-status="has-floor"]').count()) === 1);
  assert.equal(await text(daBac, '[data-floor-text]'), 'Đang có quyền phát biểu');
  for (const site of ['mai-chau', 'tan-lac'] as const) {
    await on(
      room(site),
      `${site} to see it has no floor`,
      async () => (await room(site).locator('[data-floor-status="no-floor"]').count()) === 1,
    );
    assert.match(await text(room(site), '[data-floor]'), /Đang phát biểu: Đà Bắc/);
  }

  // Đà Bắc is heard in the two other rooms; Tân Lạc, without the floor, is not.
  const tanLacBefore = (await statsOf(room('mai-chau'), 'tan-lac'))?.audioPackets ?? 0;
  const tanLacOnDaBacBefore = (await statsOf(daBac, 'tan-lac'))?.audioPackets ?? 0;
  for (const site of ['mai-chau', 'tan-lac'] as const) {
    const start = (await statsOf(room(site), 'da-bac'))?.audioPackets ?? 0;
    await on(room(site), `audio packets from Đà Bắc to arrive on ${site}`, async () => {
      const s = await statsOf(room(site), 'da-bac');
      return s !== undefined && s.audioPackets > start + 50;
    });
  }
  await on(room('mai-chau'), 'a sound level from Đà Bắc', async () => ((await statsOf(room('mai-chau'), 'da-bac'))?.audioLevel ?? 0) > 0);
  assert.equal((await statsOf(room('mai-chau'), 'tan-lac'))?.audioPackets ?? 0, tanLacBefore, 'no sound from Tân Lạc reaches Mai Châu');
  assert.equal((await statsOf(daBac, 'tan-lac'))?.audioPackets ?? 0, tanLacOnDaBacBefore, 'no sound from Tân Lạc reaches Đà Bắc');

  // The server's own view: only Đà Bắc's microphone producer is open.
  observer = await TestPeer.connect(sfu, { role: 'operator', name: 'test observer' });
  const joined = await observer.join(meetingId);
  const mics = Object.fromEntries(joined.producers.filter((p) => p.source === 'mic').map((p) => [p.site, p.paused]));
  assert.deepEqual(mics, { 'da-bac': false, 'mai-chau': true, 'tan-lac': true });
  assert.equal(joined.state.floor, 'da-bac');
  assert.equal(joined.producers.filter((p) => p.source === 'camera').length, 3);
});

test('a room that opens its microphone without the floor is refused, and the control centre sees the breach', async () => {
  const tanLac = room('tan-lac');
  await tanLac.locator('[data-action="mic"]').click();
  const notice = tanLac.locator('[data-notice][data-notice-code="unauthorised"]');
  await on(tanLac, 'the refusal on the room', async () => (await notice.count()) === 1);
  assert.match((await notice.textContent()) ?? '', /chỉ được bật micro khi chủ trì cho phép phát biểu/);
  assert.equal(await tanLac.locator('[data-action="mic"]').getAttribute('data-mic-open'), 'false');

  const breach = control.locator('[data-policy-event][data-policy-type="mic-without-floor"][data-policy-site="tan-lac"]');
  await on(control, 'the breach in the control view', async () => (await breach.count()) === 1);
  assert.match((await breach.textContent()) ?? '', /Bật micro khi chưa được phát biểu[\s\S]*Tân Lạc/);
  await observer.waitFor('policy.event', (e) => e.type === 'mic-without-floor' && e.site === 'tan-lac');
});

test('the chat reaches the control centre and the rooms', async () => {
  const daBac = room('da-bac');
  await daBac.locator('[data-chat-input]').fill('Đà Bắc đã sẵn sàng báo cáo.');
  await daBac.locator('[data-chat-send]').click();
  await on(
    control,
    'the message on the control view',
    async () => (await control.locator('[data-chat-message]', { hasText: 'Đà Bắc đã sẵn sàng báo cáo.' }).count()) === 1,
  );
  await control.locator('[data-chat-input]').fill('Mời Đà Bắc phát biểu.');
  await control.locator('[data-chat-send]').click();
  for (const site of SITES) {
    await on(
      room(site),
      `the reply on ${site}`,
      async () => (await room(site).locator('[data-chat-message]', { hasText: 'Mời Đà Bắc phát biểu.' }).count()) === 1,
    );
  }
});

test('the layout set in the control view shows on every room', async () => {
  await control.locator('[data-layout-featured-select]').selectOption('mai-chau');
  await on(
    control,
    'the featured site to be taken',
    async () => (await control.locator('[data-layout-controls][data-current-featured="mai-chau"]').count()) === 1,
  );
  await control.locator('[data-layout-grid="9"]').click();
  await on(
    control,
    'the grid to be taken',
    async () => (await control.locator('[data-layout-controls][data-current-grid="9"]').count()) === 1,
  );
  for (const site of SITES) {
    const page = room(site);
    await on(
      page,
      `${site} to show the layout`,
      async () =>
        (await page.locator('[data-layout][data-featured-site="mai-chau"][data-layout-featured="mai-chau"][data-grid="9"]').count()) ===
          1 && (await page.locator('[data-layout] [data-grid-slot]').count()) === 9,
    );
    assert.equal(await page.locator('[data-layout] .featured [data-tile-site]').getAttribute('data-tile-site'), 'mai-chau');
  }
  // The featured picture is Mai Châu's video on the other rooms.
  await on(room('da-bac'), 'the featured video to play', async () =>
    room('da-bac')
      .locator('[data-layout] .featured video')
      .evaluate((el) => {
        const video = el as unknown as { videoWidth: number; paused: boolean };
        return video.videoWidth > 0 && !video.paused;
      }),
  );
});

test('screenshots of a room and of the control view', async () => {
  await mkdir(resultsDir, { recursive: true });
  // Let the diagnostics show this site's round trip before the picture.
  await on(
    room('da-bac'),
    'the RTT on the room',
    async () => Number((await room('da-bac').locator('[data-stats-local]').getAttribute('data-rtt-ms')) || -1) >= 0,
  );
  // The media path is loopback on both ends: nothing leaves the machine.
  for (const site of SITES) {
    const local = room(site).locator('[data-stats-local]');
    await on(room(site), `the media path of ${site}`, async () => ((await local.getAttribute('data-remote-address')) ?? '') !== '');
    assert.match((await local.getAttribute('data-local-address')) ?? '', /^127\.0\.0\.1:\d+$/);
    assert.match((await local.getAttribute('data-remote-address')) ?? '', /^127\.0\.0\.1:\d+$/);
  }
  await room('da-bac').screenshot({ path: `${resultsDir}room-da-bac.png` });
  await control.screenshot({ path: `${resultsDir}control.png` });
});

test('Đà Bắc presents content (slides) and every room shows it large, until it stops', async () => {
  const daBac = room('da-bac');
  await daBac.evaluate(FAKE_DISPLAY_MEDIA);
  await daBac.locator('[data-action="present"]').click();
  await on(
    daBac,
    'Đà Bắc to be presenting',
    async () => (await daBac.locator('[data-action="present"][data-presenting="true"]').count()) === 1,
  );
  for (const site of ['mai-chau', 'tan-lac'] as const) {
    const page = room(site);
    await on(page, `the content on ${site}`, async () => (await page.locator('[data-layout][data-content-site="da-bac"]').count()) === 1);
    // Frames of the presented 960×540 picture, not a camera's 640×360. The sender's
    // encoder reaches full size only as its bandwidth estimate grows: on a loaded
    // 2-core machine that took up to 14 s, so this wait has 30 s.
    await on(
      page,
      `content frames on ${site}`,
      async () =>
        (await page.locator('[data-layout] .featured video').evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)) === 960,
      30_000,
    );
    assert.match(await text(page, '[data-layout] .featured figcaption'), /Nội dung trình chiếu — Đà Bắc/);
  }
  await daBac.locator('[data-action="present"]').click();
  for (const site of ['mai-chau', 'tan-lac'] as const) {
    await on(
      room(site),
      `the content gone on ${site}`,
      async () => (await room(site).locator('[data-layout][data-content-site=""]').count()) === 1,
    );
  }
});

test('taking the floor back closes Đà Bắc’s microphone on the server', async () => {
  const beforeRevoke = observer.events.length;
  await control.locator('[data-action="revoke"]').click();
  await on(
    room('da-bac'),
    'Đà Bắc to lose the floor',
    async () => (await room('da-bac').locator('[data-floor-status="no-floor"]').count()) === 1,
  );
  const { producerId } = await observer.waitFor('producer.paused', (p) => p.paused, { from: beforeRevoke });
  const check = await TestPeer.connect(sfu, { role: 'operator' });
  try {
    const joined = await check.join(meetingId);
    const mic = joined.producers.find((p) => p.site === 'da-bac' && p.source === 'mic');
    assert.equal(mic?.producerId, producerId);
    assert.equal(mic?.paused, true);
    assert.equal(joined.state.floor, null);
  } finally {
    check.close();
  }
});

test('when its signalling connection drops, a room shows it, reconnects and joins the meeting again', async () => {
  const tanLac = room('tan-lac');
  const socket = signalling.get(tanLac)!;
  const mai = room('mai-chau');
  const before = { onTanLac: (await statsOf(tanLac, 'da-bac'))!.videoConsumer, onMai: (await statsOf(mai, 'tan-lac'))!.videoConsumer };
  await socket.server.close();
  await socket.page.close({ code: 4000, reason: 'cut by the test' });
  await on(
    tanLac,
    'the lost connection to show',
    async () => (await tanLac.locator('[data-connection][data-status="reconnecting"]').count()) === 1,
  );
  assert.match(await text(tanLac, '[data-connection]'), /Mất kết nối tới máy chủ hội nghị/);
  await on(
    tanLac,
    'the room to be back in the meeting',
    async () =>
      (await tanLac.locator(`[data-meeting-id="${meetingId}"]`).count()) === 1 &&
      (await tanLac.locator('[data-connection][data-status="connected"]').count()) === 1,
  );
  assert.notEqual(signalling.get(tanLac), socket, 'a new signalling connection');
  // Pictures flow again both ways, through new consumers.
  const flowing = (page: Page, from: SiteId, old: string) =>
    on(
      page,
      `new frames from ${from}`,
      async () => {
        const first = await statsOf(page, from);
        if (!first || first.videoConsumer === old || first.framesDecoded === 0) return undefined;
        return first;
      },
      20_000,
    ).then((first) =>
      on(page, `frames from ${from} to keep coming`, async () => ((await statsOf(page, from))?.framesDecoded ?? 0) > first.framesDecoded),
    );
  await Promise.all([flowing(tanLac, 'da-bac', before.onTanLac), flowing(mai, 'tan-lac', before.onMai)]);
  // The microphone is closed again on the server, since Tân Lạc has no floor.
  const check = await TestPeer.connect(sfu, { role: 'operator' });
  try {
    const joined = await check.join(meetingId);
    const mics = joined.producers.filter((p) => p.site === 'tan-lac' && p.source === 'mic');
    assert.equal(mics.length, 1, 'one microphone of Tân Lạc, the old one closed');
    assert.equal(mics[0]?.paused, true);
  } finally {
    check.close();
  }
});
