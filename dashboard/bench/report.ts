// Report benchmark (npm run bench:report), a benchmark, not a test: how long
// the NOC server takes to build the yearly report (Điều 11.4) for the 12 sites
// of the registry from a year of 1-minute means in a real influxd.
//  - A private influxd (1.12.2) on loopback in a temp folder, and the NOC
//    server in this process on it.
//  - Written straight into `year` (line protocol, /write?rp=year), for the last
//    BENCH_REPORT_DAYS days (365): every minute, each site's link towards the
//    SFU (the counts of reachable, mean_rtt_ms, mean_loss_pct, mean_jitter_ms)
//    and its power (the counts of on_mains, mean_battery_pct); during the meetings planned
//    (the regular ones, seeded from the schedule file), the video its room page receives (mean_bitrate_kbps). A
//    fixed pseudo-random sequence takes a site's link down or its UPS onto
//    battery for a few minutes now and then.
//  - The SFU's meetings' history has every past regular meeting; the incident
//    store 2,000 incidents over the year.
// Then the yearly report of the year with most of those days, through the API
// as the page asks for it: once cold, then BENCH_ROUNDS (5) times; and the
// PDF once. It ends with one RESULT line (shared/src/bench-result.ts): the
// median of the warm rounds, in seconds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportResults } from '@noc/shared/bench-result';
import { envNumber } from '@noc/shared/env-number';
import { freePort } from '@noc/shared/free-port';
import { RULE_IDS } from '@noc/shared/incidents';
import type { YearlyReport } from '@noc/shared/reports';
import { wallClock } from '@noc/shared/zoned-time';
import { readServerConfig } from '../server/config.ts';
import { NocServer } from '../server/noc-server.ts';
import { startInfluxd } from '../server/store/influxd-process.ts';
import { countsLineFields } from '../server/store/retention.ts';

const DAYS = envNumber(process.env, 'BENCH_REPORT_DAYS', 365, { min: 1, max: 395, integer: true });
const ROUNDS = envNumber(process.env, 'BENCH_ROUNDS', 5, { min: 1, max: 20, integer: true });
const GOAL_S = 10;
const MINUTE = 60_000;
const DAY = 86_400_000;
const TZ = 'Asia/Ho_Chi_Minh';
const LINES_PER_WRITE = 50_000;
const PASSWORD = 'bench-admin-password-1';

/** A fixed pseudo-random sequence (mulberry32), so every run writes the same year. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'noc-bench-report-'));
  const influxd = await startInfluxd({ dir: join(dir, 'influxd'), httpPort: await freePort(), rpcPort: await freePort(), quiet: true });
  let noc: NocServer | null = null;
  try {
    const config = readServerConfig({
      PORT: '0',
      NOC_DATA_DIR: join(dir, 'noc'),
      INFLUX_URL: influxd.url,
      SFU_URL: 'http://127.0.0.1:9',
      NOC_ADMIN_PASSWORD: PASSWORD,
    });
    // The server logs its warnings and errors (a 500 says why there).
    noc = await NocServer.create({ config, logger: true });
    const sites = [...noc.ctx.sites.keys()];
    const now = Date.now();
    const first = Math.floor((now - DAYS * DAY) / MINUTE) * MINUTE;
    const last = Math.floor(now / MINUTE) * MINUTE;
    const clock = wallClock(TZ, now);
    const year = clock.month >= 3 ? clock.year : clock.year - 1;
    // The plans the server seeded from the regular schedule.
    const meetings = noc.ctx.plans.occurrences(first, last).filter((o) => o.start >= first && o.end <= last);

    // ---- the year of 1-minute means ----
    const rnd = random(1444);
    const linkDownUntil = new Map<string, number>();
    const batteryUntil = new Map<string, number>();
    let lines: string[] = [];
    let written = 0;
    // Two writes in flight: influxd parses one while this process makes the next.
    let inFlight: Promise<void>[] = [];
    const flush = async () => {
      if (lines.length === 0) return;
      const body = lines.join('\n');
      const count = lines.length;
      lines = [];
      inFlight.push(
        fetch(`${influxd.url}/write?db=noc&rp=year&precision=ms`, { method: 'POST', body }).then(async (res) => {
          if (res.status !== 204) throw new Error(`influxd refused a write: ${res.status} ${await res.text()}`);
          written += count;
        }),
      );
      if (inFlight.length >= 2) {
        await inFlight[0];
        inFlight = inFlight.slice(1);
      }
    };
    const writeStarted = performance.now();
    let meeting = 0;
    for (let t = first; t < last; t += MINUTE) {
      while (meeting < meetings.length && meetings[meeting]!.end <= t) meeting += 1;
      const inMeeting = meeting < meetings.length && meetings[meeting]!.start <= t;
      for (const site of sites) {
        if (rnd() < 0.0005) linkDownUntil.set(site, t + Math.ceil(rnd() * 10) * MINUTE);
        if (rnd() < 0.0002) batteryUntil.set(site, t + Math.ceil(rnd() * 30) * MINUTE);
        const up = (linkDownUntil.get(site) ?? 0) <= t ? 1 : 0;
        const mains = (batteryUntil.get(site) ?? 0) <= t ? 1 : 0;
        const rtt = (20 + rnd() * 30).toFixed(1);
        lines.push(
          `link,site=${site},target=sfu ${countsLineFields('reachable', 60, 60 * up)},mean_rtt_ms=${rtt},mean_loss_pct=${(rnd() * 2).toFixed(2)},mean_jitter_ms=${(rnd() * 10).toFixed(1)} ${t}`,
        );
        lines.push(`power,site=${site} ${countsLineFields('on_mains', 60, 60 * mains)},mean_battery_pct=${mains ? 100 : 90} ${t}`);
        if (inMeeting && up)
          lines.push(`media,site=${site},kind=video,direction=recv mean_bitrate_kbps=${Math.round(600 + rnd() * 600)} ${t}`);
      }
      if (lines.length >= LINES_PER_WRITE) await flush();
    }
    await flush();
    await Promise.all(inFlight);
    const writeMs = performance.now() - writeStarted;
    console.log(`wrote ${written.toLocaleString('en')} points (${DAYS} days, ${sites.length} sites) in ${seconds(writeMs)} s`);

    // ---- what the SFU carried, and the year's incidents ----
    for (const o of meetings) {
      noc.ctx.reports.history.record({
        id: `bench-${o.kind}-${o.start}`,
        kind: o.kind,
        title: o.title,
        invitedSites: o.invitedSites,
        startedAt: o.start - 5 * MINUTE,
        endedAt: o.end + 5 * MINUTE,
        loadTest: false,
      });
    }
    const store = noc.ctx.incidents.store;
    store.batch(() => {
      // The running server has its own open (no probe sends here): one cause at one site is open once at a time.
      const open = new Set(store.active().map((i) => `${i.site} ${i.rule}`));
      for (let i = 0; i < 2000; i++) {
        const at = first + Math.floor(rnd() * (last - first - DAY));
        const site = sites[i % sites.length]!;
        const rule = RULE_IDS[i % RULE_IDS.length]!;
        if (open.has(`${site} ${rule}`)) continue;
        const incident = store.open(
          {
            site,
            rule,
            severity: 'warning',
            params: {},
            at,
            suppressedBy: null,
            maintenanceWindow: null,
            meeting: null,
          },
          [{ kind: 'opened', at, text: 'bench' }],
        );
        store.update(incident.id, {
          state: 'resolved',
          acknowledgedAt: at + rnd() * 600_000,
          acknowledgedBy: 'bench',
          resolvedAt: at + rnd() * 7_200_000,
        });
      }
    });

    // ---- the report, through the API ----
    const login = await fetch(`${noc.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error(`sign-in failed: ${login.status}`);
    const timed = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(`${noc!.url}${path}`, { headers: { cookie } });
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.toString()}`);
      return { ms: performance.now() - t0, body };
    };
    const cold = await timed(`/api/reports/yearly?year=${year}`);
    const { report } = JSON.parse(cold.body.toString()) as { report: YearlyReport };
    const warm: number[] = [];
    for (let r = 0; r < ROUNDS; r++) warm.push((await timed(`/api/reports/yearly?year=${year}`)).ms);
    const pdf = await timed(`/api/reports/yearly/export?year=${year}&format=pdf`);
    const daBac = report.sites.find((s) => s.site === 'da-bac');
    console.log(
      `yearly report ${year}: ${report.meetings.held}/${report.meetings.planned} meetings held; ` +
        `Đà Bắc link ${daBac?.link.pct} % over ${daBac?.link.minutes} min, power ${daBac?.power.pct} %, ${daBac?.incidents.total} incidents`,
    );
    console.log(`cold ${seconds(cold.ms)} s; warm ${warm.map(seconds).join(', ')} s; PDF ${seconds(pdf.ms)} s (${pdf.body.length} bytes)`);
    reportResults([
      {
        name: 'report',
        figure: seconds(median(warm)),
        unit: 's',
        goal: { op: '<=', value: GOAL_S },
        details: {
          year,
          days: DAYS,
          sites: sites.length,
          points: written,
          writeSeconds: seconds(writeMs),
          meetingsHeld: report.meetings.held,
          coldSeconds: seconds(cold.ms),
          warmSeconds: warm.map(seconds),
          pdfSeconds: seconds(pdf.ms),
        },
      },
    ]);
  } finally {
    await noc?.close();
    await influxd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
