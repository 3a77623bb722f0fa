// Simulcast as the rooms live it, in Chromium against an SFU node in this
// process: Đà Bắc and Mai Châu send their cameras from the room page (VP8, a
// low and a high layer), and every receiver — the two rooms and a seat of Tân
// Lạc — gets the camera it shows large on the high layer and the grid tiles on
// the low one, checked on the SFU (the consumers' current layers) and in the
// seat's browser (the decoded frame size). The layers follow the layout when
// the featured site changes, when the floor moves with "follow the speaker",
// and when nothing is featured; while content is presented every camera is a
// tile. A seat whose transport may send little gets the low layer even of the
// featured camera, and the high one again once it may send more.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { types } from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '@noc/shared/wait';
import type { Meeting } from '../../sfu/src/meetings/meeting.ts';
import type { Peer } from '../../sfu/src/meetings/peer.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { FAKE_DISPLAY_MEDIA } from '../fixtures/fake-display-media.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { freePort } from '../fixtures/ports.ts';
import { statsOf } from '../fixtures/room-stats.ts';
import { startSfuInProcess, type InProcessSfu } from '../fixtures/sfu-in-process.ts';

const builtApp = new URL('../../dashboard/dist/index.html', import.meta.url);
const SENDERS = ['da-bac', 'mai-chau'] as const;
type Sender = (typeof SENDERS)[number];
const LOW = 0;
const HIGH = 1;
/** The most the seat's transport may send in the bandwidth test. */
const CAP_BPS = 80_000;

let noc: NocFixture;
let sfu: InProcessSfu;
let browser: Browser;
let operator: TestPeer;
let meetingId: string;
let meeting: Meeting;
/** The room pages of the two senders, and the seat of Tân Lạc that only watches. */
const pages = new Map<Sender | 'seat', Page>();

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  const sfuPort = await freePort();
  noc = await startTestNocServer({ sfuUrl: `http://127.0.0.1:${sfuPort}` });
  sfu = await startSfuInProcess({ port: sfuPort, secretFile: noc.secretFile });
  browser = await launchChromium();
});
after(async () => {
  operator?.close();
  await browser?.close();
  await sfu?.stop();
  await noc?.stop();
});

async function openRoom(token: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  watchConsole(page);
  await page.goto(`${noc.url}/room?token=${encodeURIComponent(token)}`);
  return page;
}

/** The receivers on the SFU: each sender's conference PC and the seat. */
function receiver(who: Sender | 'seat'): Peer {
  const peer = meeting.peers().find((p) => (who === 'seat' ? p.role === 'seat' : p.role === 'site' && p.site === who));
  assert.ok(peer, `${who} is in the meeting`);
  return peer;
}

function cameraConsumer(peer: Peer, site: Sender): types.Consumer | undefined {
  return [...peer.consumers.values()].find((c) => c.kind === 'video' && c.appData.site === site && c.appData.source === 'camera');
}

/** The spatial layer each of `sites`' cameras reaches a receiver on now (undefined: none yet). */
function layersOn(who: Sender | 'seat', sites: string[]): Record<string, number | undefined> {
  const peer = receiver(who);
  return Object.fromEntries(sites.map((site) => [site, cameraConsumer(peer, site as Sender)?.currentLayers?.spatialLayer]));
}

/** Waits until every receiver gets the layers wanted, then asserts them (a timeout leaves the assertion to fail with the difference). */
async function expectLayers(
  what: string,
  want: Partial<Record<Sender | 'seat', Record<string, number>>>,
  timeoutMs = 20_000,
): Promise<void> {
  const entries = Object.entries(want) as [Sender | 'seat', Record<string, number>][];
  const reached = () => entries.every(([who, layers]) => isDeepStrictEqual(layersOn(who, Object.keys(layers)), layers));
  await waitFor(what, reached, { timeoutMs, intervalMs: 100 }).catch(() => undefined);
  for (const [who, layers] of entries) assert.deepEqual(layersOn(who, Object.keys(layers)), layers, `${what}: the layers on ${who}`);
}

/** Waits until the seat's browser decodes `large` wider than `tile`, then asserts it. */
async function expectSeatDecodes(large: Sender, tile: Sender): Promise<void> {
  const seat = pages.get('seat')!;
  const widths = async () => ({ large: (await statsOf(seat, large))?.width ?? 0, tile: (await statsOf(seat, tile))?.width ?? 0 });
  await onPage(
    seat,
    `the seat to decode ${large} larger than ${tile}`,
    async () => {
      const w = await widths();
      return w.tile > 0 && w.large > w.tile;
    },
    20_000,
  ).catch(() => undefined);
  const w = await widths();
  assert.ok(w.tile > 0, `the seat decodes ${tile}`);
  assert.ok(w.large > w.tile, `the seat decodes ${large} (${w.large} px wide) larger than ${tile} (${w.tile} px)`);
}

test('two rooms send their camera on two simulcast layers; every receiver gets the featured camera high and the other low', async () => {
  operator = await TestPeer.connect(sfu, { role: 'operator', name: 'Tổ CNTT Sở' });
  ({ meetingId } = await operator.client.request('meeting.create', {
    kind: 'giao-ban',
    title: 'Giao ban — simulcast',
    invitedSites: ['da-bac', 'mai-chau', 'tan-lac'],
  }));
  await operator.join(meetingId);
  await operator.client.request('layout.set', { featuredSite: 'da-bac' });
  meeting = await sfu.meetings.get(meetingId);

  for (const site of SENDERS) pages.set(site, await openRoom(sfu.token({ role: 'site', site })));
  pages.set('seat', await openRoom(sfu.token({ role: 'seat', site: 'tan-lac', name: 'Ghế 1' })));
  const seat = pages.get('seat')!;
  for (const site of SENDERS) {
    await onPage(seat, `the seat to decode ${site}`, async () => ((await statsOf(seat, site))?.framesDecoded ?? 0) > 0, 30_000);
  }

  // The room page sends its camera as two encodings, and the SFU sees a simulcast producer.
  for (const site of SENDERS) {
    const camera = [...receiver(site).producers.values()].find((e) => e.source === 'camera')?.producer;
    assert.equal(camera?.type, 'simulcast', `${site}'s camera is simulcast`);
    assert.equal(camera?.rtpParameters.encodings?.length, 2, `${site}'s camera has two layers`);
  }

  // Đà Bắc is featured: the seat and Mai Châu get it high; Đà Bắc shows itself large, so Mai Châu is a tile there.
  await expectLayers('Đà Bắc high, Mai Châu low', {
    seat: { 'da-bac': HIGH, 'mai-chau': LOW },
    'mai-chau': { 'da-bac': HIGH },
    'da-bac': { 'mai-chau': LOW },
  });
  const seatPeer = receiver('seat');
  assert.deepEqual(cameraConsumer(seatPeer, 'da-bac')?.preferredLayers?.spatialLayer, HIGH);
  assert.deepEqual(cameraConsumer(seatPeer, 'mai-chau')?.preferredLayers?.spatialLayer, LOW);
  assert.ok(
    cameraConsumer(seatPeer, 'da-bac')!.priority > cameraConsumer(seatPeer, 'mai-chau')!.priority,
    'the featured camera comes first for bandwidth',
  );
  await expectSeatDecodes('da-bac', 'mai-chau');
});

test('the layers follow the layout: the featured site changes, the floor moves with "follow the speaker", nothing is featured', async () => {
  await operator.client.request('layout.set', { featuredSite: 'mai-chau' });
  await expectLayers('Mai Châu featured', {
    seat: { 'da-bac': LOW, 'mai-chau': HIGH },
    'da-bac': { 'mai-chau': HIGH },
    'mai-chau': { 'da-bac': LOW },
  });
  await expectSeatDecodes('mai-chau', 'da-bac');

  // "Follow the speaker" is on: the floor features Đà Bắc.
  await operator.client.request('floor.grant', { site: 'da-bac' });
  await expectLayers('the floor to Đà Bắc', {
    seat: { 'da-bac': HIGH, 'mai-chau': LOW },
    'mai-chau': { 'da-bac': HIGH },
    'da-bac': { 'mai-chau': LOW },
  });

  // Nothing featured and no floor: each receiver shows the first other site that sends a picture large.
  await operator.client.request('layout.set', { featuredSite: null, followSpeaker: false });
  await operator.client.request('floor.revoke', {});
  await expectLayers('nothing featured', {
    seat: { 'da-bac': HIGH, 'mai-chau': LOW },
    'mai-chau': { 'da-bac': HIGH },
    'da-bac': { 'mai-chau': HIGH },
  });

  // Without a featured site, the site with the floor is shown large.
  await operator.client.request('floor.grant', { site: 'mai-chau' });
  await expectLayers('the floor to Mai Châu, nothing featured', {
    seat: { 'da-bac': LOW, 'mai-chau': HIGH },
    'da-bac': { 'mai-chau': HIGH },
    'mai-chau': { 'da-bac': LOW },
  });
  await expectSeatDecodes('mai-chau', 'da-bac');
});

test('while a site presents content, every camera is a tile on the low layer', async () => {
  const daBac = pages.get('da-bac')!;
  await daBac.evaluate(FAKE_DISPLAY_MEDIA);
  await daBac.locator('[data-action="present"]').click();
  await expectLayers('content presented', {
    seat: { 'da-bac': LOW, 'mai-chau': LOW },
    'da-bac': { 'mai-chau': LOW },
    'mai-chau': { 'da-bac': LOW },
  });
  await daBac.locator('[data-action="present"]').click();
  await expectLayers('content stopped', { seat: { 'da-bac': LOW, 'mai-chau': HIGH }, 'da-bac': { 'mai-chau': HIGH } });
});

test('a seat whose transport may send little gets the featured camera on the low layer, and the high one again when it may send more', async () => {
  const seatPeer = receiver('seat');
  const recv = [...seatPeer.transports.values()].find((t) => t.appData.direction === 'recv');
  assert.ok(recv, 'the seat has a receiving transport');
  await expectLayers('Mai Châu high on the seat', { seat: { 'mai-chau': HIGH } });
  // Less than the fake cameras' two low layers at full frame rate: the featured camera comes
  // first and keeps a picture, on its low layer; the tile may get nothing at all.
  await recv.setMaxOutgoingBitrate(CAP_BPS);
  await expectLayers(`the seat held to ${CAP_BPS / 1000} kbit/s`, { seat: { 'mai-chau': LOW } });
  assert.equal(cameraConsumer(seatPeer, 'mai-chau')?.preferredLayers?.spatialLayer, HIGH, 'the layout still asks for the high layer');
  // No limit: the estimate climbs again, and mediasoup waits 10 s after a downgrade before it goes up a layer.
  await recv.setMaxOutgoingBitrate(0);
  await expectLayers('the seat without a limit', { seat: { 'mai-chau': HIGH } }, 40_000);
});
