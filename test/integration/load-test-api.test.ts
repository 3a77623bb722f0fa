// Capacity tests through the NOC server's API, with the real runner against a
// real SFU node and InfluxDB: only admins and operators start one; bad
// settings are refused naming the field and record nothing; a real meeting
// live refuses a start unless forced, and a running test refuses a second; a
// test stopped through the API ends `stopped` with its figures in InfluxDB
// (its wall held the live feed on a display token made for it, revoked after);
// a run that does not hold before a scheduled tập huấn raises the incident.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DisplayTokenRecord, SignallingTokenAnswer } from '@noc/shared/auth';
import type { Incident } from '@noc/shared/incidents';
import type { LoadTestFigures, LoadTestRun, LoadTestSettingsInput } from '@noc/shared/load-test';
import type { MeetingRecord } from '@noc/shared/meeting';
import { SignallingClient } from '@noc/shared/signalling-client';
import { waitFor } from '@noc/shared/wait';
import { NOC_TIME_ZONE, wallClock } from '@noc/shared/zoned-time';
import { createDisplayToken, fetchAs, signInDisplay, signInNewUser } from '../fixtures/auth.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const DAY = 24 * 3600_000;
let influxd: InfluxdFixture;
let noc: NocFixture;
let sfu: SfuFixture;
let scheduleDir: { path: string; remove(): Promise<void> };
const cookies: Record<'admin' | 'operator' | 'chair' | 'technician' | 'wall', string> = {
  admin: '',
  operator: '',
  chair: '',
  technician: '',
  wall: '',
};

/** A short run: one site, few seats, no browser. */
const small = (over: Partial<LoadTestSettingsInput> = {}): LoadTestSettingsInput => ({
  sites: ['da-bac'],
  seats: 3,
  durationS: 15,
  browsers: 0,
  walls: 0,
  ...over,
});

before(async () => {
  influxd = await startTestInfluxd();
  // The only tập huấn of this schedule is a week from now.
  scheduleDir = await tempDir('schedule');
  const c = wallClock(NOC_TIME_ZONE, Date.now() + 7 * DAY);
  const scheduleFile = join(scheduleDir.path, 'schedule.json');
  await writeFile(
    scheduleFile,
    JSON.stringify({
      timeZone: NOC_TIME_ZONE,
      meetings: [
        {
          kind: 'tap-huan',
          title: 'Tập huấn trực tuyến hè {year}',
          months: [c.month],
          days: [c.day],
          start: '08:00',
          durationMinutes: 240,
        },
      ],
    }),
  );
  const sfuPort = await freePort();
  noc = await startTestNocServer({
    influxUrl: influxd.url,
    sfuUrl: `http://127.0.0.1:${sfuPort}`,
    env: { NOC_SCHEDULE_FILE: scheduleFile },
  });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile, nocUrl: noc.url });
  cookies.admin = await noc.adminCookie();
  cookies.operator = await signInNewUser(noc.url, cookies.admin, { username: 'dieuhanh', role: 'operator' });
  cookies.chair = await signInNewUser(noc.url, cookies.admin, { username: 'chutri', role: 'chair' });
  cookies.technician = await signInNewUser(noc.url, cookies.admin, { username: 'kt-da-bac', role: 'technician', site: 'da-bac' });
  cookies.wall = await signInDisplay(noc.url, (await createDisplayToken(noc.url, cookies.admin, 'Màn hình NOC')).token);
});
after(async () => {
  await noc?.stop();
  await sfu?.stop();
  await influxd?.stop();
  await scheduleDir?.remove();
});

const start = (who: keyof typeof cookies, body: unknown) =>
  fetchAs(cookies[who], `${noc.url}/api/load-tests`, { method: 'POST', json: body });
const stop = (id: number) => fetchAs(cookies.operator, `${noc.url}/api/load-tests/${id}/stop`, { method: 'POST' });
async function displayTokens(): Promise<DisplayTokenRecord[]> {
  const res = await fetchAs(cookies.admin, `${noc.url}/api/admin/display-tokens`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { tokens: DisplayTokenRecord[] }).tokens;
}
async function runs(): Promise<LoadTestRun[]> {
  const res = await fetchAs(cookies.admin, `${noc.url}/api/load-tests`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { runs: LoadTestRun[] }).runs;
}
async function getRun(id: number): Promise<{ run: LoadTestRun; figures: LoadTestFigures[] }> {
  const res = await fetchAs(cookies.operator, `${noc.url}/api/load-tests/${id}`);
  assert.equal(res.status, 200);
  return (await res.json()) as { run: LoadTestRun; figures: LoadTestFigures[] };
}

test('only admins and operators start a capacity test: the technician, the chair and the wall get 403, nobody signed in 401', async () => {
  for (const who of ['technician', 'chair', 'wall'] as const) {
    const res = await start(who, small());
    assert.equal(res.status, 403, `${who}: ${await res.text()}`);
  }
  const anonymous = await fetchAs(null, `${noc.url}/api/load-tests`, { method: 'POST', json: small() });
  assert.equal(anonymous.status, 401);
  assert.deepEqual(await runs(), []);
});

test('bad settings are refused with 400 naming the field, and no run is recorded', async () => {
  const cases: [unknown, string, RegExp][] = [
    [small({ seats: 41 }), 'seats', /seats: must be at most 40 seats per site/],
    [small({ sites: ['da-bac', 'atlantis'] }), 'sites', /sites: unknown site "atlantis"/],
    [small({ durationS: -5 }), 'durationS', /durationS: must be at least 10 s/],
    [small({ durationS: 3601 }), 'durationS', /durationS: must be at most 3600 s/],
  ];
  for (const [body, field, message] of cases) {
    const res = await start('operator', body);
    const answer = (await res.json()) as { error: string; field?: string };
    assert.equal(res.status, 400, JSON.stringify(answer));
    assert.equal(answer.field, field, answer.error);
    assert.match(answer.error, message);
  }
  assert.deepEqual(await runs(), []);
});

test('a real meeting live refuses a start unless forced; a second start while one runs is refused; stopped through the API it ends `stopped` with its figures in InfluxDB', async () => {
  const token = (await (await fetchAs(cookies.operator, `${noc.url}/api/auth/signalling-token`)).json()) as SignallingTokenAnswer;
  const control = await SignallingClient.connect(sfu.signallingUrl, token.token);
  let meetingId: string | null = null;
  try {
    meetingId = (await control.request('meeting.create', { kind: 'hop', title: 'Họp thật', invitedSites: ['so-gddt', 'mai-chau'] }))
      .meetingId;
    await waitFor('the NOC sees the meeting', async () => {
      const res = await fetchAs(cookies.operator, `${noc.url}/api/meetings`);
      return ((await res.json()) as { meetings: MeetingRecord[] }).meetings.some((m) => m.id === meetingId);
    });
    const refused = await start('operator', small());
    const answer = (await refused.json()) as { error: string };
    assert.equal(refused.status, 409);
    assert.match(answer.error, /a real meeting is live \("Họp thật"\).*force/);
    assert.deepEqual(await runs(), []);

    const forced = await start('operator', small({ force: true, durationS: 60, walls: 1 }));
    assert.equal(forced.status, 201, await forced.clone().text());
    const { run } = (await forced.json()) as { run: LoadTestRun };
    assert.equal(run.status, 'running');
    assert.equal(run.startedBy, 'dieuhanh');

    const second = await start('admin', small({ force: true }));
    assert.equal(second.status, 409);
    assert.match(((await second.json()) as { error: string }).error, new RegExp(`load test #${run.id} is still running`));

    // Figures come while it runs, from memory.
    const live = await waitFor(
      'figures with seats joined',
      async () => {
        const d = await getRun(run.id);
        return d.figures.some((f) => f.seatsJoined > 0) ? d : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    assert.equal(live.run.status, 'running');
    // The run's wall signed in with a display token made for it and holds the live feed.
    const wallToken = (await displayTokens()).find((t) => t.label === `Kiểm tra tải #${run.id}`);
    assert.ok(wallToken, 'the NOC made a display token for the run');
    assert.equal(wallToken.revoked, false);
    const walls = await waitFor(
      'a wall on the live feed',
      async () => {
        const d = await getRun(run.id);
        return d.figures.find((f) => f.wallsConnected === 1 && (f.liveFeedEvents ?? 0) > 0);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    assert.ok(walls.liveFeedEvents! > 0, JSON.stringify(walls));

    const stopped = await stop(run.id);
    assert.equal(stopped.status, 200, await stopped.clone().text());
    const ended = ((await stopped.json()) as { run: LoadTestRun }).run;
    assert.equal(ended.status, 'stopped');
    assert.equal(ended.reason, 'stopped by dieuhanh');
    assert.ok(ended.endedAt !== null && ended.endedAt >= ended.startedAt);
    assert.ok(ended.summary, 'the runner summed up what it measured');
    assert.equal(ended.summary.wallsConnected, 1, JSON.stringify(ended.summary));
    assert.ok(ended.summary.liveFeedEvents! > 0, JSON.stringify(ended.summary));
    // The run's display token ends with it.
    assert.equal((await displayTokens()).find((t) => t.id === wallToken.id)?.revoked, true);

    const again = await stop(run.id);
    assert.equal(again.status, 409);
    assert.match(((await again.json()) as { error: string }).error, /is not running \(it is stopped\)/);

    // From the store now that it has ended: every figure it reported.
    const after = await getRun(run.id);
    assert.ok(after.figures.length >= live.figures.length, `${after.figures.length} figures kept`);

    const series = await waitFor('the run in InfluxDB', async () => {
      const s = await influxd.query(
        `SELECT seats_joined, seats_wanted, consumers, cpu_max_pct, run_id FROM loadtest WHERE run_id = ${run.id}`,
      );
      return s[0] && s[0].values.length > 0 ? s[0] : undefined;
    });
    const col = (name: string) => series.columns.indexOf(name);
    assert.ok(series.values.every((v) => v[col('run_id')] === run.id && v[col('seats_wanted')] === 3));
    assert.ok(series.values.some((v) => (v[col('seats_joined')] as number) > 0));
    assert.ok(series.values.some((v) => typeof v[col('cpu_max_pct')] === 'number'));
    assert.ok(series.values.length >= after.figures.length - 1, `${series.values.length} points for ${after.figures.length} figures`);
  } finally {
    if (meetingId) await control.request('meeting.close', { meetingId }).catch(() => {});
    control.close();
  }
});

test('a run that does not hold a week before a scheduled tập huấn raises "Kiểm tra tải không đạt" at the Sở', async () => {
  const res = await start('admin', small({ force: true, durationS: 10, thresholds: { joinP95Ms: 0.001 } }));
  assert.equal(res.status, 201, await res.clone().text());
  const { run } = (await res.json()) as { run: LoadTestRun };
  const ended = await waitFor(
    'the run ends by itself',
    async () => {
      const d = await getRun(run.id);
      return d.run.status === 'running' || d.run.status === 'stopping' ? undefined : d.run;
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  assert.equal(ended.status, 'finished', ended.reason ?? '');
  assert.equal(ended.verdict?.holds, false);
  const failed = ended.verdict!.checks.filter((c) => !c.ok).map((c) => c.name);
  assert.ok(failed.includes('joinP95Ms'), JSON.stringify(ended.verdict?.checks));
  const incident = await waitFor('the incident', async () => {
    const r = await fetchAs(cookies.operator, `${noc.url}/api/incidents?site=so-gddt`);
    return ((await r.json()) as { incidents: Incident[] }).incidents.find((i) => i.rule === 'loadTestFailed');
  });
  assert.equal(incident.state, 'open');
  assert.equal(incident.severity, 'major');
  assert.equal(incident.params.run, run.id);
  assert.equal(incident.params.failed, failed.join(', '));
  assert.match(String(incident.params.training), /^Tập huấn trực tuyến hè \d{4}$/);
});
