// A real room page takes its readiness test call: Chromium room pages (fake
// camera and microphone) of the backup control point (TP Hòa Bình) and of Đà
// Bắc stand open against a real SFU node, a NOC server and influxd, with no
// meeting; a meeting planned 25 h ahead for Đà Bắc is taken by the automatic
// readiness check, whose test call both pages join by themselves (each is
// invited to that one meeting). The call's figures, measured from the pages'
// own `media` samples in the store, show a moving picture and sound both ways;
// the only reasons left are the readings of the probe this test does not run.
// Chromium's fake camera sends 15 frames a second, and two pages share the
// test machine's cores with the SFU: the video rule's minimum here is 5 fps.
// Screenshot: test-results/readiness-room-da-bac.png (the room in its call).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { MeetingRecord } from '@noc/shared/meeting';
import type { MeetingPlan } from '@noc/shared/meeting-plans';
import type { ReadinessRun } from '@noc/shared/readiness-check';
import type { SiteReadiness } from '@noc/shared/readiness';
import { waitFor } from '@noc/shared/wait';
import { fetchAs } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { watchConsole } from '../fixtures/page-wait.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { writeFastRules } from '../fixtures/fast-rules.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
const builtApp = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));
const SITE = 'da-bac';
const BACKUP = 'tp-hoa-binh';

let influxd: InfluxdFixture;
let noc: NocFixture;
let sfu: SfuFixture;
let browser: Browser;
let dir: Awaited<ReturnType<typeof tempDir>>;

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  influxd = await startTestInfluxd();
  dir = await tempDir('readiness-room');
  const sfuPort = await freePort();
  noc = await startTestNocServer({
    influxUrl: influxd.url,
    sfuUrl: `http://127.0.0.1:${sfuPort}`,
    env: {
      NOC_READINESS_CALL_S: '10',
      NOC_READINESS_JOIN_S: '30',
      NOC_READINESS_TICK_S: '0.5',
      NOC_INCIDENT_RULES_FILE: await writeFastRules(dir.path, (rules) => {
        rules.rules.videoFrozen.minFps = 5;
      }),
    },
  });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await noc?.stop();
  await sfu?.stop();
  await influxd?.stop();
  await dir?.remove();
});

async function openRoom(site: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  watchConsole(page);
  await page.goto(`${noc.url}/room?token=${encodeURIComponent(sfu.token({ role: 'site', site }))}`);
  return page;
}

const carried = async (): Promise<MeetingRecord[]> => (await sfu.status('meetings')).carried;

test('a room page joins its test call by itself, and the call measures its picture and sound both ways', async () => {
  const admin = await noc.adminCookie();
  await openRoom(BACKUP);
  const room = await openRoom(SITE);

  const start = Date.now() + 25 * 3600_000;
  const made = await fetchAs(admin, `${noc.url}/api/plans`, {
    method: 'POST',
    json: {
      kind: 'giao-ban',
      title: 'Giao ban tháng 12/2026',
      chair: 'Giám đốc Sở',
      invitedSites: [SITE],
      attendees: { [SITE]: 15 },
      timing: { type: 'once', start, end: start + 3 * 3600_000 },
    },
  });
  assert.equal(made.status, 201, await made.clone().text());
  const key = `${((await made.json()) as { plan: MeetingPlan }).plan.id}@once`;

  // Both pages join the test call by themselves: the SFU shows both endpoints present.
  const call = await waitFor(
    'the test call on the SFU',
    async () => (await carried()).find((m) => m.testCall && m.invitedSites.includes(SITE)),
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  assert.deepEqual([...call.invitedSites].sort(), [SITE, BACKUP].sort());
  await waitFor('the room page to show the test call', async () => (await room.locator('body').innerText()).includes('Thử kết nối'), {
    timeoutMs: 20_000,
    intervalMs: 250,
  });
  await mkdir(resultsDir, { recursive: true });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await room.screenshot({ path: `${resultsDir}readiness-room-da-bac.png` });

  const answer = await waitFor(
    'the check to end',
    async () => {
      const res = await fetchAs(admin, `${noc.url}/api/readiness/${encodeURIComponent(key)}`);
      const a = (await res.json()) as { sites: SiteReadiness[]; run: ReadinessRun | null; running: boolean };
      return a.run?.endedAt && !a.running ? a : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  const [site] = answer.sites;
  assert.equal(site?.site, SITE);
  const figures = site!.testCall;
  assert.ok(figures, `the room took its call (${JSON.stringify(site)})`);
  for (const [direction, d] of Object.entries({ send: figures.send, recv: figures.recv })) {
    assert.ok(d.fps !== null && d.fps > 5, `${direction}: a moving picture (${JSON.stringify(figures)})`);
    assert.ok(d.audioLevel !== null && d.audioLevel > 0, `${direction}: sound (${JSON.stringify(figures)})`);
    assert.ok(d.lossPct !== null && d.lossPct <= 1, `${direction}: no loss on loopback (${JSON.stringify(figures)})`);
  }
  // No probe runs here: its power and room readings are all that is missing.
  assert.deepEqual(site!.reasons.map((r) => r.code).sort(), ['power-unknown', 'room-unknown'], JSON.stringify(site));
  assert.equal(site!.state, 'not-ready');
  assert.deepEqual(
    (await carried()).filter((m) => m.testCall),
    [],
    'the call was closed',
  );
});
