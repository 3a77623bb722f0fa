// The reports page in Chromium: the chair opens /reports for a year whose
// meetings were held, with 1-minute means seeded into a real influxd's `year`
// policy (Đà Bắc's link down the first 12 minutes of each meeting); the charts
// are drawn, the table shows Đà Bắc's availability in Vietnamese numbers, the
// downloads point at the CSV and PDF; a meeting picked from the year's list
// shows its report. A technician has no link to the page and is refused it.
// Screenshots: test-results/reports-year.png, reports-meeting.png (1920×1080).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { wallClock, zonedTime } from '@noc/shared/zoned-time';
import { countsLineFields } from '../../dashboard/server/store/retention.ts';
import { addSessionCookie, signInNewUser } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
const MINUTE = 60_000;
const DAY = 86_400_000;
const TZ = 'Asia/Ho_Chi_Minh';
const now = Date.now();
const YEAR = wallClock(TZ, now).month >= 3 ? wallClock(TZ, now).year : wallClock(TZ, now).year - 1;

let influxd: InfluxdFixture;
let noc: NocFixture;
let browser: Browser;
let chair: string;
let technician: string;
const contexts: BrowserContext[] = [];
let held: PlanOccurrence[] = [];

before(async () => {
  influxd = await startTestInfluxd();
  noc = await startTestNocServer({ influxUrl: influxd.url });
  browser = await launchChromium();
  await mkdir(resultsDir, { recursive: true });
  const admin = await noc.adminCookie();
  chair = await signInNewUser(noc.url, admin, { username: 'chutri', role: 'chair', displayName: 'Chủ trì' });
  technician = await signInNewUser(noc.url, admin, { username: 'kt-da-bac', role: 'technician', site: 'da-bac' });
  const sites = [...noc.server.ctx.sites.keys()];
  const from = zonedTime(TZ, YEAR, 1, 1, 0, 0);
  // The plans the server seeded from the regular schedule.
  held = noc.server.ctx.plans
    .occurrences(from, zonedTime(TZ, YEAR + 1, 1, 1, 0, 0))
    .filter((o) => o.start >= from && o.end <= now - 3600_000 && o.start >= now - 390 * DAY);
  const lines: string[] = [];
  for (const o of held) {
    noc.server.ctx.reports.history.record({
      id: `seeded-${o.start}`,
      kind: o.kind,
      title: o.title,
      invitedSites: o.invitedSites,
      startedAt: o.start,
      endedAt: o.end,
      loadTest: false,
    });
    for (let t = o.start; t < o.end; t += MINUTE) {
      const m = (t - o.start) / MINUTE;
      for (const site of sites) {
        const up = site === 'da-bac' && m < 12 ? 0 : 1;
        const mains = site === 'lac-thuy' && m < 20 ? 0 : 1;
        lines.push(
          `link,site=${site},target=sfu ${countsLineFields('reachable', 60, 60 * up)},mean_rtt_ms=${site === 'da-bac' ? 45 : 25} ${t}`,
        );
        lines.push(`power,site=${site} ${countsLineFields('on_mains', 60, 60 * mains)} ${t}`);
        if (!(site === 'yen-thuy' && o.kind === 'giao-ban'))
          lines.push(`media,site=${site},kind=video,direction=recv mean_bitrate_kbps=900 ${t}`);
      }
    }
  }
  for (let i = 0; i < lines.length; i += 20_000) {
    const res = await fetch(`${influxd.url}/write?db=noc&rp=year&precision=ms`, {
      method: 'POST',
      body: lines.slice(i, i + 20_000).join('\n'),
    });
    assert.equal(res.status, 204);
  }
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await noc?.stop();
  await influxd?.stop();
});

async function pageAs(cookie: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  contexts.push(context);
  await addSessionCookie(context, noc.url, cookie);
  const page = await context.newPage();
  watchConsole(page);
  return page;
}

test('the chair reads the yearly report: charts, the table, the downloads, then one meeting', async () => {
  assert.ok(held.length >= 2, `${held.length} meetings held in ${YEAR}`);
  const page = await pageAs(chair);
  await page.goto(`${noc.url}/reports?year=${YEAR}`);
  await page.locator('[data-testid="nav-reports"]').waitFor();
  const row = page.locator('[data-testid="report-year-table"] tr[data-site="da-bac"]');
  await row.waitFor();
  const minutes = held.reduce((n, o) => n + (o.end - o.start) / MINUTE, 0);
  const pct = Math.round((1000 * (minutes - 12 * held.length)) / minutes) / 10;
  const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
  assert.equal(cells[0], 'Đà Bắc');
  assert.equal(cells[2], String(held.length), 'held');
  assert.equal(cells[6], pct.toFixed(1).replace('.', ','), 'link availability, written the Vietnamese way');
  assert.ok(await row.locator('td.low').count(), 'a figure under 99 % stands out');
  assert.match(
    (await page.locator('[data-testid="report-summary"]').textContent()) ?? '',
    new RegExp(`${held.length}/26 phiên họp đã tổ chức`),
  );
  // Both charts drew on their canvas.
  await onPage(page, 'two charts drawn', async () => (await page.locator('.report-chart canvas').count()) === 2);
  const drawn = await page.locator('.report-chart canvas').evaluateAll((canvases) =>
    canvases.map((c) => {
      // A canvas element (the test's types have no DOM).
      const canvas = c as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      };
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0) coloured++;
      return coloured;
    }),
  );
  assert.ok(
    drawn.every((n) => n > 5000),
    `pixels drawn: ${drawn.join(', ')}`,
  );
  assert.equal(await page.locator('[data-testid="report-csv"]').getAttribute('href'), `/api/reports/yearly/export?year=${YEAR}&format=csv`);
  assert.equal(await page.locator('[data-testid="report-pdf"]').getAttribute('href'), `/api/reports/yearly/export?year=${YEAR}&format=pdf`);
  await page.screenshot({ path: `${resultsDir}reports-year.png`, fullPage: true });

  const giaoBan = held.find((o) => o.kind === 'giao-ban')!;
  const option = page.locator('[data-testid="report-meeting"] option', { hasText: giaoBan.title });
  await page.locator('[data-testid="report-meeting"]').selectOption((await option.first().getAttribute('value'))!);
  const report = page.locator('[data-testid="meeting-report"]');
  await report.waitFor();
  const yenThuy = (await report.locator('tr[data-site="yen-thuy"] td').allTextContents()).map((c) => c.trim());
  assert.deepEqual([yenThuy[0], yenThuy[3], yenThuy[4]], ['Yên Thủy', 'Không', '0'], 'invited, not attended');
  const daBac = (await report.locator('tr[data-site="da-bac"] td').allTextContents()).map((c) => c.trim());
  assert.equal(daBac[4], String((giaoBan.end - giaoBan.start) / MINUTE));
  assert.match(page.url(), /meeting=o%3A|meeting=o:/);
  await page.locator('h3.meeting-title').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${resultsDir}reports-meeting.png`, fullPage: true });
});

test('a technician has no link to the reports and is refused the page', async () => {
  const page = await pageAs(technician);
  await page.goto(`${noc.url}/reports`);
  await page.locator('[data-testid="nav"]').waitFor();
  await onPage(page, 'the refusal', async () => /Không có quyền|không có quyền/.test((await page.locator('body').textContent()) ?? ''));
  assert.equal(await page.locator('[data-testid="nav-reports"]').count(), 0);
});
