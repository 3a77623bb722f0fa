// The room page's own figures reach the store, and the capacity tests'
// Chromium endpoint measures what the room shows: two room pages (Đà Bắc and
// Mai Châu, fake camera and microphone) are opened by runRoomEndpoint
// (loadtest/src/browser/room-endpoint.ts) against a real SFU node, a NOC server
// and influxd; the floor goes to one site, then the other, so each hears the
// other. Within a bounded time InfluxDB holds `media` samples of both sites:
// video and audio, sent and received, with plausible frame rates and bitrates,
// and the MOS of the received audio. The endpoint reports a first picture
// within seconds, more than 5 frames per second and a finite audio jitter.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '@noc/shared/wait';
import { runRoomEndpoint, type RoomEndpointFigures } from '@noc/loadtest/browser/room-endpoint';
import { fetchAs } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { watchConsole } from '../fixtures/page-wait.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';

const builtApp = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));
const SITES = ['da-bac', 'mai-chau'] as const;
type SiteId = (typeof SITES)[number];
/** The longest the pages stay; the test stops them once it has seen what it waits for. */
const STAY_MS = 120_000;

let influxd: InfluxdFixture;
let noc: NocFixture;
let sfu: SfuFixture;
let browser: Browser;
let operator: TestPeer;

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  influxd = await startTestInfluxd();
  const sfuPort = await freePort();
  // The SFU node is not given the NOC's address: every `media` sample in the store comes from the room pages.
  noc = await startTestNocServer({ influxUrl: influxd.url, sfuUrl: `http://127.0.0.1:${sfuPort}` });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile });
  browser = await launchChromium();
});
after(async () => {
  operator?.close();
  await browser?.close();
  await noc?.stop();
  await sfu?.stop();
  await influxd?.stop();
});

type Series = Record<string, [number, number][]>;

async function series(query: Record<string, string>): Promise<Series> {
  const res = await fetchAs(await noc.adminCookie(), `${noc.url}/api/history?${new URLSearchParams({ minutes: '5', ...query })}`);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { series: Series }).series;
}

/** The values of a field of `media` for a site, kind and direction. */
async function mediaValues(site: SiteId, kind: 'audio' | 'video', direction: 'send' | 'recv', field: string): Promise<number[]> {
  return ((await series({ measurement: 'media', field, kind, direction }))[site] ?? []).map(([, v]) => v);
}

interface Endpoint {
  page: Page;
  reports: RoomEndpointFigures[];
  result: Promise<RoomEndpointFigures>;
}

async function openEndpoint(site: SiteId, stop: AbortSignal): Promise<Endpoint> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watchConsole(page);
  const reports: RoomEndpointFigures[] = [];
  const url = `${noc.url}/room?token=${encodeURIComponent(sfu.token({ role: 'site', site }))}`;
  const result = runRoomEndpoint(page, url, { durationMs: STAY_MS, onFigures: (f) => reports.push(f), signal: stop, reportEveryMs: 1000 });
  return { page, reports, result };
}

test("two room pages' own figures reach the store, and the endpoint measures their pictures and sound", async (t) => {
  operator = await TestPeer.connect(sfu, { role: 'operator', name: 'test operator' });
  const { meetingId } = await operator.client.request('meeting.create', {
    kind: 'tap-huan',
    title: 'Tập huấn — số liệu phòng họp',
    invitedSites: [...SITES],
  });
  // The operator is in the meeting before the rooms: every producer of theirs is announced to it.
  await operator.join(meetingId);
  const stop = new AbortController();
  const endpoints = new Map<SiteId, Endpoint>();
  for (const site of SITES) endpoints.set(site, await openEndpoint(site, stop.signal));
  const results = Promise.all(SITES.map((site) => endpoints.get(site)!.result));
  // An endpoint that fails ends the waits below at once.
  results.catch(() => stop.abort());
  try {
    for (const site of SITES) {
      for (const source of ['camera', 'mic'] as const) {
        await operator.waitFor('producer.new', (p) => p.site === site && p.source === source, { timeoutMs: 30_000 });
      }
    }

    // Each site hears the other only while the other has the floor.
    for (const [speaker, listener] of [
      ['da-bac', 'mai-chau'],
      ['mai-chau', 'da-bac'],
    ] as const) {
      await operator.client.request('floor.grant', { site: speaker });
      const mos = await waitFor(
        `the MOS of the audio ${listener} receives from ${speaker} in the store`,
        async () => {
          const values = await mediaValues(listener, 'audio', 'recv', 'mos');
          return values.length > 0 ? values : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      assert.ok(
        mos.every((v) => v >= 1 && v <= 4.5),
        `MOS from 1 to 4.5: ${mos.join(', ')}`,
      );
    }

    for (const site of SITES) {
      for (const direction of ['send', 'recv'] as const) {
        const fps = await waitFor(
          `${site}'s ${direction} video frame rate in the store`,
          async () => {
            const values = await mediaValues(site, 'video', direction, 'fps');
            return values.some((v) => v > 5) ? values : undefined;
          },
          { timeoutMs: 10_000, intervalMs: 500 },
        );
        assert.ok(
          fps.every((v) => v >= 0 && v <= 60),
          `${site} ${direction}: frame rates of a 15 fps camera: ${fps.join(', ')}`,
        );
        const videoKbps = await mediaValues(site, 'video', direction, 'bitrate_kbps');
        assert.ok(
          videoKbps.some((v) => v > 30) && videoKbps.every((v) => v < 5000),
          `${site} ${direction}: video bitrates of a simulcast camera: ${videoKbps.join(', ')}`,
        );
        const audioKbps = await mediaValues(site, 'audio', direction, 'bitrate_kbps');
        assert.ok(
          audioKbps.some((v) => v > 5) && audioKbps.every((v) => v < 600),
          `${site} ${direction}: audio bitrates of Opus: ${audioKbps.join(', ')}`,
        );
      }
      // Audio sent carries no MOS: it is the receiver's figure.
      assert.deepEqual(await mediaValues(site, 'audio', 'send', 'mos'), []);
    }

    // The floor's move changed the camera each room shows large, and its layer on the SFU: the
    // picture may stall until the new layer's key frame. The rooms stay until it flows again.
    for (const site of SITES) {
      const { reports } = endpoints.get(site)!;
      await waitFor(
        `${site}'s endpoint to report 5 periods in a row above 5 fps`,
        () => {
          assert.ok(!stop.signal.aborted, 'an endpoint failed');
          const recent = reports.slice(-5);
          return recent.length === 5 && recent.every((r) => r.fps !== null && r.fps > 5);
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
    }
  } finally {
    stop.abort();
  }

  const figures = await results;
  for (const [i, site] of SITES.entries()) {
    const f = figures[i]!;
    const { reports } = endpoints.get(site)!;
    t.diagnostic(`${site}: ${JSON.stringify(f)}; frame rates reported: ${reports.map((r) => r.fps).join(', ')}`);
    assert.ok(reports.length > 0, `${site}: the endpoint reported while it stayed`);
    assert.ok(
      f.firstPictureMs !== null && f.firstPictureMs > 0 && f.firstPictureMs < 10_000,
      `${site}: first picture after ${f.firstPictureMs} ms`,
    );
    assert.ok(f.fps !== null && f.fps > 5, `${site}: ${f.fps} frames per second`);
    assert.ok(
      f.audioJitterMs !== null && Number.isFinite(f.audioJitterMs) && f.audioJitterMs >= 0,
      `${site}: audio jitter ${f.audioJitterMs}`,
    );
    assert.ok(
      f.freezeCount >= 0 && f.freezeMaxMs >= 0 && f.freezeMaxMs < 10_000,
      `${site}: ${f.freezeCount} freezes, the longest ${f.freezeMaxMs} ms`,
    );
    assert.ok(
      reports.some((r) => r.fps !== null && r.fps > 5),
      `${site}: a report with the frame rate over its period: ${reports.map((r) => r.fps).join(', ')}`,
    );
    await endpoints.get(site)!.page.context().close();
  }
});
