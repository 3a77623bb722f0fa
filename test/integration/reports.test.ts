// The yearly report (Điều 11.4) and the report of one meeting, over 1-minute
// means seeded into a real influxd's `year` retention policy for the 12 sites,
// the SFU meetings' history and incidents seeded through the server's stores,
// and the plans the server seeds from the regular schedule
// (shared/data/schedule.json: giao ban on the 25th 3 h, sinh hoạt chuyên môn
// on the 15th 2 h, tập huấn on 10 July and 10 August 4 h, a weekend or holiday
// moving the day; the 10 centres invited). Đà Bắc's figures are worked out by hand below; the CSV is
// parsed, the PDF read back with pdftotext and drawn with pdftoppm.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import type { RuleId } from '@noc/shared/incidents';
import type { MeetingReport, ReportMeetingEntry, YearlyReport } from '@noc/shared/reports';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import type { SiteReadiness } from '@noc/shared/readiness';
import { wallClock, zonedTime } from '@noc/shared/zoned-time';
import { ReadinessStore } from '../../dashboard/server/readiness/readiness-store.ts';
import { fetchAs } from '../fixtures/auth.ts';
import { countsLineFields } from '../../dashboard/server/store/retention.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const run = promisify(execFile);
const MINUTE = 60_000;
const DAY = 86_400_000;
const TZ = 'Asia/Ho_Chi_Minh';
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
const SITE = 'da-bac';

const now = Date.now();
// A year with most of its meetings behind us and within the 400 days of `year`.
const YEAR = wallClock(TZ, now).month >= 3 ? wallClock(TZ, now).year : wallClock(TZ, now).year - 1;
const yearFrom = zonedTime(TZ, YEAR, 1, 1, 0, 0);
const yearTo = zonedTime(TZ, YEAR + 1, 1, 1, 0, 0);

/**
 * The meetings held: the year's planned meetings (the plans the server seeds
 * from the schedule file, inviting the 10 centres) that ended an hour ago or
 * more and began within 390 days.
 */
let held: PlanOccurrence[] = [];
/** The one Đà Bắc stayed away from: the first sinh hoạt chuyên môn held. */
let missed: PlanOccurrence;
/** The first giao ban held: its report is looked at closely. */
let giaoBan: PlanOccurrence;
const minutesOf = (o: { start: number; end: number }) => (o.end - o.start) / MINUTE;

let influxd: InfluxdFixture;
let noc: NocFixture;
let cookie: string;
let dir: Awaited<ReturnType<typeof tempDir>>;

/** A yes/no field's minute as `year` keeps it: two samples, `share` of them yes. */
const yesNo = (field: string, share: number) => countsLineFields(field, 2, Math.round(2 * share));

/**
 * Per held meeting and site, one 1-minute mean (or count) a minute. Đà Bắc: its link down
 * the first 6 minutes and half of the 7th; its UPS on battery minutes 10–19 of
 * each giao ban; the meeting's video received from its 4th minute, in every
 * meeting but `missed`. An hour around each meeting its link and power are
 * down, which no figure may count. Every other site: up, on mains, present.
 */
function yearLines(): string[] {
  const lines: string[] = [];
  for (const o of held) {
    for (let t = o.start - 60 * MINUTE; t < o.end + 60 * MINUTE; t += MINUTE) {
      const m = (t - o.start) / MINUTE;
      const during = t >= o.start && t < o.end;
      for (const site of SITES) {
        const own = site === SITE;
        if (!during && !own) continue;
        const reachable = !during ? 0 : own && m < 6 ? 0 : own && m === 6 ? 0.5 : 1;
        const onMains = !during ? 0 : own && o.kind === 'giao-ban' && m >= 10 && m < 20 ? 0 : 1;
        lines.push(
          `link,site=${site},target=sfu ${yesNo('reachable', reachable)},mean_rtt_ms=${own ? 40 : 20},mean_loss_pct=${own ? 0.5 : 0.1} ${t}`,
        );
        lines.push(`link,site=${site},target=isp ${yesNo('reachable', 0)} ${t}`);
        lines.push(`power,site=${site} ${yesNo('on_mains', onMains)},mean_battery_pct=100 ${t}`);
        const present = during && !(own && (o === missed || m < 3));
        if (present) lines.push(`media,site=${site},kind=video,direction=recv mean_bitrate_kbps=900 ${t}`);
      }
    }
  }
  return lines;
}

async function writeYear(lines: string[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 20_000) {
    const res = await fetch(`${influxd.url}/write?db=noc&rp=year&precision=ms`, {
      method: 'POST',
      body: lines.slice(i, i + 20_000).join('\n'),
    });
    assert.equal(res.status, 204, await res.text());
  }
}

/** Đà Bắc's incidents: three losses acknowledged after 4, 6 and 8 minutes, two of them resolved after 30 and 60; one on battery; one of last year; one elsewhere. */
function seedIncidents(): void {
  const store = noc.server.ctx.incidents.store;
  const open = (site: string, rule: RuleId, at: number) =>
    store.open({ site, rule, severity: 'warning', params: {}, at, suppressedBy: null, maintenanceWindow: null, meeting: null }, [
      { kind: 'opened', at, text: 'seeded' },
    ]);
  // One cause at one site is open once at a time: each resolved before the next of its kind.
  const old = open(SITE, 'lossHigh', yearFrom - DAY);
  store.update(old.id, { state: 'resolved', acknowledgedAt: yearFrom - DAY + 1000, resolvedAt: yearFrom - DAY + 2000 });
  const at = giaoBan.start + 30 * MINUTE;
  const a = open(SITE, 'lossHigh', at);
  store.update(a.id, { state: 'resolved', acknowledgedAt: at + 4 * MINUTE, acknowledgedBy: 'op', resolvedAt: at + 30 * MINUTE });
  const b = open(SITE, 'lossHigh', at + DAY);
  store.update(b.id, {
    state: 'resolved',
    acknowledgedAt: at + DAY + 6 * MINUTE,
    acknowledgedBy: 'op',
    resolvedAt: at + DAY + 60 * MINUTE,
  });
  const c = open(SITE, 'lossHigh', at + 2 * DAY);
  store.update(c.id, { state: 'acknowledged', acknowledgedAt: at + 2 * DAY + 8 * MINUTE, acknowledgedBy: 'op' });
  open(SITE, 'onBattery', at + 3 * DAY);
  open('lac-son', 'rttHigh', at);
}

/** Đà Bắc's readiness results: the first giao ban not ready, two other held meetings ready. */
function seedReadiness(): void {
  const store = new ReadinessStore(noc.server.ctx.auth.db);
  const result = (o: PlanOccurrence, state: SiteReadiness['state']): SiteReadiness => ({
    occurrence: o.key,
    site: SITE,
    state,
    reasons: state === 'ready' ? [] : [{ code: 'testCallFailed' }],
    checkedBy: 'tự động',
    checkedAt: o.start - DAY,
    testCall: null,
    checklist: null,
    shutdown: null,
    shutdownOverdue: false,
  });
  store.save(giaoBan, result(giaoBan, 'not-ready'));
  for (const o of held.filter((x) => x !== giaoBan).slice(0, 2)) store.save(o, result(o, 'ready'));
}

before(async () => {
  dir = await tempDir('reports');
  influxd = await startTestInfluxd();
  noc = await startTestNocServer({ influxUrl: influxd.url });
  cookie = await noc.adminCookie();
  held = noc.server.ctx.plans
    .occurrences(yearFrom, yearTo)
    .filter((o) => o.start >= yearFrom && o.end <= now - 3600_000 && o.start >= now - 390 * DAY);
  missed = held.find((o) => o.kind === 'sinh-hoat-chuyen-mon')!;
  giaoBan = held.find((o) => o.kind === 'giao-ban')!;
  assert.ok(held.length >= 4, `${held.length} meetings held in ${YEAR}`);
  for (const o of held) {
    noc.server.ctx.reports.history.record({
      id: `seeded-${o.kind}-${o.start}`,
      kind: o.kind,
      title: o.title,
      invitedSites: o.invitedSites,
      startedAt: o.start - 5 * MINUTE,
      endedAt: o.end + 5 * MINUTE,
      loadTest: false,
    });
  }
  // A capacity test is no meeting held.
  noc.server.ctx.reports.history.record({
    id: 'capacity',
    kind: 'tap-huan',
    title: 'Kiểm tra tải',
    invitedSites: SITES,
    startedAt: yearFrom + 3 * DAY,
    endedAt: yearFrom + 3 * DAY + 3600_000,
    loadTest: true,
  });
  await writeYear(yearLines());
  seedIncidents();
  seedReadiness();
});

after(async () => {
  await noc?.stop();
  await influxd?.stop();
  await dir?.remove();
});

const get = (path: string) => fetchAs(cookie, `${noc.url}${path}`);

test("the yearly report gives Đà Bắc's figures as worked out by hand", async () => {
  const res = await get(`/api/reports/yearly?year=${YEAR}`);
  assert.equal(res.status, 200);
  const { report } = (await res.json()) as { report: YearlyReport };
  assert.equal(report.sites.length, 12);
  const s = report.sites.find((x) => x.site === SITE)!;
  // 12 giao ban, 12 sinh hoạt chuyên môn, 2 tập huấn; 12·3 h + 12·2 h + 2·4 h.
  assert.equal(s.planned, 26);
  assert.equal(s.plannedHours, 68);
  assert.equal(s.held, held.length);
  assert.equal(s.attended, held.length - 1);
  const attendedMinutes = held.filter((o) => o !== missed).reduce((n, o) => n + minutesOf(o) - 3, 0);
  assert.equal(s.attendedHours, Math.round((attendedMinutes / 60) * 10) / 10);
  const meetingMinutes = held.reduce((n, o) => n + minutesOf(o), 0);
  const linkUp = held.reduce((n, o) => n + minutesOf(o) - 6.5, 0);
  assert.deepEqual(s.link, { pct: Math.round((1000 * linkUp) / meetingMinutes) / 10, minutes: meetingMinutes });
  const onBattery = 10 * held.filter((o) => o.kind === 'giao-ban').length;
  assert.deepEqual(s.power, { pct: Math.round((1000 * (meetingMinutes - onBattery)) / meetingMinutes) / 10, minutes: meetingMinutes });
  assert.ok(s.link.pct! < 100 && s.power.pct! < 100);
  // The running server raises "site offline" for every site (no probe sends here): the only incidents besides those seeded.
  const { siteOffline = 0, ...seeded } = s.incidents.byRule;
  assert.deepEqual(seeded, { lossHigh: 3, onBattery: 1 });
  assert.equal(s.incidents.total, 4 + siteOffline);
  assert.equal(s.mttaMinutes, 6);
  assert.equal(s.mttrMinutes, 45);
  // The server's own readiness run checks meetings a day ahead: any of the year's still to come counts too.
  const ahead = noc.server.ctx.readiness.between(now, yearTo).filter((r) => r.site === SITE);
  assert.deepEqual(s.readiness, {
    ready: 2 + ahead.filter((r) => r.state === 'ready').length,
    notReady: 1 + ahead.filter((r) => r.state === 'not-ready').length,
    notChecked: ahead.filter((r) => r.state === 'not-checked').length,
  });

  const other = report.sites.find((x) => x.site === 'lac-thuy')!;
  assert.deepEqual(other.link, { pct: 100, minutes: meetingMinutes });
  assert.equal(other.attended, held.length);
  assert.equal(report.sites.find((x) => x.site === 'lac-son')!.incidents.byRule.rttHigh, 1);
  assert.deepEqual(report.meetings, { planned: 26, held: held.length });
  assert.equal(
    report.months.reduce((n, m) => n + m.held, 0),
    held.length,
  );
  assert.deepEqual(
    report.months.find((m) => m.month === 7),
    { month: 7, planned: 3, held: held.filter((o) => wallClock(TZ, o.start).month === 7).length },
  );
});

test('the report of one meeting: who attended and for how long, availability and quality, incidents during it', async () => {
  const o = giaoBan;
  const list = (await (await get(`/api/reports/meetings?year=${YEAR}`)).json()) as { meetings: ReportMeetingEntry[] };
  const entry = list.meetings.find((m) => m.start === o.start && m.kind === 'giao-ban')!;
  assert.ok(entry.held && entry.occurrence !== null, JSON.stringify(entry));
  assert.equal(
    list.meetings.find((m) => m.meeting === 'capacity'),
    undefined,
    'a capacity test is no meeting',
  );
  const res = await get(`/api/reports/meeting?occurrence=${encodeURIComponent(entry.occurrence!)}`);
  assert.equal(res.status, 200);
  const { report } = (await res.json()) as { report: MeetingReport };
  assert.equal(report.held, true);
  assert.equal(report.meeting, `seeded-giao-ban-${o.start}`);
  assert.equal(report.sites.length, 12);
  const s = report.sites.find((x) => x.site === SITE)!;
  assert.equal(s.attendedMinutes, 177);
  assert.equal(s.attended, true);
  assert.deepEqual(s.link, { pct: Math.round((1000 * (180 - 6.5)) / 180) / 10, minutes: 180 });
  assert.deepEqual(s.power, { pct: Math.round((1000 * 170) / 180) / 10, minutes: 180 });
  assert.equal(s.rttMs, 40);
  assert.equal(s.readiness, 'not-ready');
  assert.equal(s.expectedAttendees, 20, "the seeded plans' head count");
  assert.equal(s.lossPct, 0.5);
  assert.deepEqual(
    report.incidents.map((i) => [i.site, i.rule]),
    [
      [SITE, 'lossHigh'],
      ['lac-son', 'rttHigh'],
    ],
  );
  const byMeeting = (await (await get(`/api/reports/meeting?meeting=${encodeURIComponent(report.meeting!)}`)).json()) as {
    report: MeetingReport;
  };
  assert.equal(byMeeting.report.occurrence, entry.occurrence);
  assert.deepEqual(byMeeting.report.sites, report.sites);

  const away = (await (
    await get(`/api/reports/meeting?meeting=${encodeURIComponent(`seeded-sinh-hoat-chuyen-mon-${missed.start}`)}`)
  ).json()) as {
    report: MeetingReport;
  };
  const absent = away.report.sites.find((x) => x.site === SITE)!;
  assert.equal(absent.attended, false);
  assert.equal(absent.attendedMinutes, 0);
});

test('the yearly CSV parses: a BOM, a header row, one row per site', async () => {
  const res = await get(`/api/reports/yearly/export?year=${YEAR}&format=csv`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get('content-disposition')!, new RegExp(`attachment; filename="bao-cao-nam-${YEAR}.csv"`));
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark');
  const rows = parse(bytes.toString('utf8').slice(1), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 12);
  const daBac = rows.find((r) => r.id === SITE)!;
  assert.equal(daBac['Điểm cầu'], 'Đà Bắc');
  assert.equal(daBac['Theo kế hoạch'], '26');
  assert.equal(daBac['Đã tham dự'], String(held.length - 1));
  assert.equal(daBac['Mất gói'], '3');
  assert.equal(daBac['Tiếp nhận TB (phút)'], '6');
  assert.equal(rows.find((r) => r.id === 'so-gddt')!['Điểm cầu'], 'Sở GD&ĐT');

  const meeting = await get(`/api/reports/meeting/export?meeting=${encodeURIComponent(`seeded-giao-ban-${giaoBan.start}`)}&format=csv`);
  assert.equal(meeting.status, 200);
  const mrows = parse((await meeting.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
  assert.equal(mrows.find((r) => r.id === SITE)!['Thời gian tham dự (phút)'], '177');
});

test('the PDF embeds its font: pdftotext reads the Vietnamese names exactly; pdftoppm draws its pages', async () => {
  const res = await get(`/api/reports/yearly/export?year=${YEAR}&format=pdf`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const pdf = join(dir.path, 'yearly.pdf');
  await writeFile(pdf, Buffer.from(await res.arrayBuffer()));
  const { stdout: fonts } = await run('pdffonts', [pdf]);
  assert.match(fonts, /DejaVuSans/);
  assert.match(fonts, /yes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/m, 'the font is embedded (a subset)');
  const { stdout: text } = await run('pdftotext', ['-enc', 'UTF-8', pdf, '-']);
  for (const name of ['Đà Bắc', 'Lạc Thủy', 'Sở GD&ĐT', `Báo cáo đánh giá hiệu quả hoạt động năm ${YEAR}`, 'Mất gói']) {
    assert.ok(text.includes(name), `"${name}" in the PDF's text`);
  }
  await run('pdftoppm', ['-png', '-r', '80', pdf, join(dir.path, 'yearly')]);
  const pages = (await readdir(dir.path)).filter((f) => f.startsWith('yearly') && f.endsWith('.png'));
  assert.ok(pages.length >= 1);
  for (const p of pages) assert.ok((await stat(join(dir.path, p))).size > 10_000, `${p} has something drawn on it`);
  assert.ok((await stat(join(dir.path, 'yearly-1.png'))).size > 60_000, 'the first page has the charts');
  if (process.env.NOC_REPORT_PNG_DIR) {
    for (const p of pages) await writeFile(join(process.env.NOC_REPORT_PNG_DIR, p), await readFile(join(dir.path, p)));
  }
  const meeting = await get(`/api/reports/meeting/export?meeting=${encodeURIComponent(`seeded-giao-ban-${giaoBan.start}`)}&format=pdf`);
  assert.equal(meeting.status, 200);
  const mpdf = join(dir.path, 'meeting.pdf');
  await writeFile(mpdf, Buffer.from(await meeting.arrayBuffer()));
  const { stdout: mtext } = await run('pdftotext', ['-enc', 'UTF-8', mpdf, '-']);
  assert.ok(mtext.includes('Đà Bắc') && mtext.includes('Giao ban'), mtext.slice(0, 400));
  if (process.env.NOC_REPORT_PNG_DIR) await run('pdftoppm', ['-png', '-r', '80', mpdf, join(process.env.NOC_REPORT_PNG_DIR, 'meeting')]);
});

test('bad input is a 400 naming the problem; an unknown meeting a 404', async () => {
  const cases: [string, number, RegExp][] = [
    ['/api/reports/yearly?year=abc', 400, /year: must be a year of four digits/],
    ['/api/reports/yearly?year=1999', 400, /year: must be a year from 2020/],
    ['/api/reports/yearly', 400, /year/],
    [`/api/reports/yearly/export?year=${YEAR}&format=xls`, 400, /format: must be one of csv, pdf/],
    ['/api/reports/meeting', 400, /exactly one of occurrence .* or meeting/],
    ['/api/reports/meeting?occurrence=a&meeting=b', 400, /exactly one of occurrence/],
    ['/api/reports/meeting?occurrence=999@2020-01-01', 404, /no planned meeting "999@2020-01-01"/],
    ['/api/reports/meeting?meeting=nope', 404, /no meeting "nope"/],
  ];
  for (const [path, status, message] of cases) {
    const res = await get(path);
    const body = (await res.json()) as { error: string };
    assert.equal(res.status, status, `${path}: ${body.error}`);
    assert.match(body.error, message, path);
  }
});
