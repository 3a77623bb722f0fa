// The SFU node reports how it sees each site's media, and its own load, every
// 2 s through the ingest gateway: a Chromium endpoint sends camera and
// microphone, and the figures appear in the store.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { waitFor } from '@noc/shared/wait';
import { launchChromium } from '../fixtures/chromium.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { fetchAs } from '../fixtures/auth.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { serveWebrtcPage } from '../fixtures/webrtc-page/serve.ts';

let noc: NocFixture;
let sfu: SfuFixture;
let browser: Browser;
let page: Awaited<ReturnType<typeof serveWebrtcPage>>;

before(async () => {
  noc = await startTestNocServer();
  sfu = await startSfu({ secretFile: noc.secretFile, nocUrl: noc.url, env: { SFU_STATS_INTERVAL_MS: '1000' } });
  page = await serveWebrtcPage('join-meeting.ts');
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await page?.stop();
  await sfu?.stop();
  await noc?.stop();
});

async function series(query: string): Promise<Record<string, [number, number][]>> {
  const res = await fetchAs(await noc.adminCookie(), `${noc.url}/api/history?${query}`);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { series: Record<string, [number, number][]> }).series;
}

test("a site's media as the SFU sees it, and the node's load, reach the store", async () => {
  const operator = await TestPeer.connect(sfu, { role: 'operator' });
  try {
    const { meetingId } = await operator.client.request('meeting.create', {
      kind: 'tap-huan',
      title: 'Tập huấn',
      invitedSites: ['cao-phong'],
    });
    const tab = await browser.newPage();
    try {
      await tab.goto(page.url);
      const token = sfu.token({ role: 'site', site: 'cao-phong', meeting: meetingId });
      const ids = (await tab.evaluate(
        `window.joinMeeting(${JSON.stringify(sfu.signallingUrl)}, ${JSON.stringify(token)}, ${JSON.stringify(meetingId)})`,
      )) as string[];
      assert.equal(ids.length, 2);

      await waitFor(
        'video bitrate from cao-phong',
        async () => {
          const s = await series('measurement=media&field=bitrate_kbps&kind=video&direction=send&node=main&minutes=1');
          return s['cao-phong']?.some(([, v]) => v > 50);
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      const scores = (await series('measurement=media&field=score&kind=video&direction=send&node=main&minutes=1'))['cao-phong'] ?? [];
      assert.ok(scores.length > 0, 'the video score of the site is reported');
      assert.ok(
        scores.every(([, v]) => v >= 0 && v <= 10),
        `scores from 0 to 10: ${scores.map(([, v]) => v).join(', ')}`,
      );
      // The microphone is paused without the floor, so its stream carries nothing yet; the sample still names it.
      const audio = await series('measurement=media&field=bitrate_kbps&kind=audio&direction=send&node=main&minutes=1');
      assert.ok(audio['cao-phong'], 'audio stats of the site are reported');

      await waitFor(
        'sfu load with 2 producers',
        async () => {
          const s = await series('measurement=sfu&field=producers&node=main&minutes=1');
          return Object.values(s)
            .flat()
            .some(([, v]) => v === 2);
        },
        { timeoutMs: 10_000, intervalMs: 500 },
      );
      const cpu = Object.values(await series('measurement=sfu&field=cpu_pct&node=main&minutes=1')).flat();
      assert.ok(cpu.length > 0, "the node's CPU load is reported");
      assert.ok(
        cpu.every(([, v]) => v >= 0 && v < 400),
        `CPU from 0 to 400 %: ${cpu.map(([, v]) => v).join(', ')}`,
      );
    } finally {
      await tab.close();
    }
  } finally {
    operator.close();
  }
});
