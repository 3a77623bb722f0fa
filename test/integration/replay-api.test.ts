// The replay API on a real NOC server with a real influxd: the state at a past
// moment (each site's samples folded by the shared reducer, the round-trip
// series, the incidents open then), who may read it (a technician its own site
// only, never the wall's display token), bad moments refused naming `at`, and
// how fast a moment is read (a 60× play reads one after another).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ReplayState } from '@noc/shared/replay';
import { applySample, emptySiteState, isHeard } from '@noc/shared/site-state';
import { createDisplayToken, fetchAs, signInDisplay, signInNewUser } from '../fixtures/auth.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import {
  deliverStorySamples,
  LOSS_PCT,
  LOSSY_SITE,
  MINUTE,
  SILENT_FROM,
  SILENT_SITE,
  writeStoryIncidents,
  type StoryIncidents,
} from '../fixtures/replay-story.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let influx: InfluxdFixture;
let noc: NocFixture;
let spoolDir: Awaited<ReturnType<typeof tempDir>>;
let story: StoryIncidents;
/** "Now" when the story was written. */
let w: number;
const cookies: Record<string, string> = {};

before(async () => {
  influx = await startTestInfluxd();
  const data = await tempDir('replay-noc');
  spoolDir = await tempDir('replay-spools');
  w = Date.now();
  story = await writeStoryIncidents(join(data.path, 'noc.db'), w);
  noc = await startTestNocServer({ influxUrl: influx.url, dataDir: data.path });
  const delivered = await deliverStorySamples({ nocUrl: noc.url, tokenFor: noc.tokenFor, spoolDir: spoolDir.path, w });
  assert.ok(delivered > 12 * 800 * 4, `the story's samples: ${delivered}`);
  const admin = await noc.adminCookie();
  cookies.admin = admin;
  cookies.operator = await signInNewUser(noc.url, admin, { username: 'dieuhanh', role: 'operator' });
  cookies.chair = await signInNewUser(noc.url, admin, { username: 'chutri', role: 'chair' });
  cookies.technician = await signInNewUser(noc.url, admin, { username: `kt-${LOSSY_SITE}`, role: 'technician', site: LOSSY_SITE });
  cookies.wall = await signInDisplay(noc.url, (await createDisplayToken(noc.url, admin, 'Màn hình NOC')).token);
});

after(async () => {
  await noc?.stop();
  await influx?.stop();
  await spoolDir?.remove();
});

const stateUrl = (query: string) => `${noc.url}/api/replay/state?${query}`;

async function stateAt(at: number, who = 'admin', site?: string): Promise<ReplayState> {
  const res = await fetchAs(cookies[who]!, stateUrl(`at=${at}${site ? `&site=${site}` : ''}`));
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as ReplayState;
}

/** A site's state at the answer's moment, folded as the wall folds it. */
function siteAt(state: ReplayState, site: string) {
  const s = emptySiteState(site);
  for (const sample of state.samples) if (sample.site === site) applySample(s, sample, { now: state.at, receivedAt: null });
  return s;
}

test('ten minutes back: the silent site is silent, its incident open, the loss of now nowhere', async () => {
  const state = await stateAt(w - 10 * MINUTE);
  assert.equal(state.source, 'raw');
  assert.equal(state.at, w - 10 * MINUTE);
  const silent = siteAt(state, SILENT_SITE);
  assert.equal(isHeard(silent, state.at), false, 'Mai Châu was silent then');
  assert.ok(silent.lastHeartbeat !== null && silent.lastHeartbeat < w + SILENT_FROM, `last heard ${silent.lastHeartbeat}`);
  const lossy = siteAt(state, LOSSY_SITE);
  assert.equal(isHeard(lossy, state.at), true);
  assert.equal(lossy.link?.lossPct, 0, 'no loss at Đà Bắc then');
  assert.equal(lossy.quality.current(state.at).grade, 'good');
  assert.deepEqual(
    state.incidents.map((i) => [i.id, i.rule, i.site, i.state]),
    [[story.offline.id, 'siteOffline', SILENT_SITE, 'open']],
    'only the offline incident was open then, and open (not the resolved record of now)',
  );
  assert.equal(state.incidents[0]!.resolvedAt, null);
  // The round-trip chart: the 15 minutes before the moment, none after it.
  const rtt = state.rtt[LOSSY_SITE]!;
  assert.ok(rtt.length >= 290 && rtt.length <= 901, `${rtt.length} points`);
  assert.ok(rtt.every(([t]) => t <= state.at && t >= state.at - 15 * MINUTE));
  assert.ok(
    state.samples.every((s) => s.time <= state.at),
    'nothing after the moment',
  );
  assert.equal(Object.keys(state.rtt).length, 12);
});

test('a minute back: the loss at Đà Bắc and its incident, Mai Châu heard again, its incident resolved', async () => {
  const state = await stateAt(w - MINUTE);
  const lossy = siteAt(state, LOSSY_SITE);
  assert.equal(lossy.link?.lossPct, LOSS_PCT);
  assert.equal(lossy.quality.current(state.at).grade, 'bad');
  assert.equal(isHeard(siteAt(state, SILENT_SITE), state.at), true);
  assert.deepEqual(
    state.incidents.map((i) => [i.id, i.rule, i.site]),
    [[story.loss.id, 'lossHigh', LOSSY_SITE]],
  );
});

test('a technician reads its own site only; the wall display token reads nothing', async () => {
  const own = await stateAt(w - 10 * MINUTE, 'technician', LOSSY_SITE);
  assert.deepEqual([...new Set(own.samples.map((s) => s.site))], [LOSSY_SITE]);
  assert.deepEqual(Object.keys(own.rtt), [LOSSY_SITE]);
  assert.deepEqual(own.incidents, [], "another site's incident is not in its answer");
  assert.equal(own.topology, null);

  const other = await fetchAs(cookies.technician!, stateUrl(`at=${w - 10 * MINUTE}&site=${SILENT_SITE}`));
  assert.equal(other.status, 403);
  assert.match(((await other.json()) as { error: string }).error, /sees only its own site, not "mai-chau"/);
  const every = await fetchAs(cookies.technician!, stateUrl(`at=${w - 10 * MINUTE}`));
  assert.equal(every.status, 403);
  assert.match(((await every.json()) as { error: string }).error, /add site=da-bac/);

  const wall = await fetchAs(cookies.wall!, stateUrl(`at=${w - 10 * MINUTE}&site=${LOSSY_SITE}`));
  assert.equal(wall.status, 403);
  assert.match(((await wall.json()) as { error: string }).error, /wall/);
  for (const who of ['operator', 'chair']) assert.equal((await stateAt(w - 10 * MINUTE, who)).samples.length > 0, true, who);
});

test('a bad moment is a 400 naming it, and a bad site one naming the site', async () => {
  const now = Date.now();
  const cases: [string, RegExp, string][] = [
    ['at=abc', /at: must be a time in epoch milliseconds in decimal digits/, 'at'],
    ['at=', /at: must be a time in epoch milliseconds/, 'at'],
    ['at=1e12', /at: must be a time in epoch milliseconds/, 'at'],
    [`at=${now + 3_600_000}`, /at: \d+ is in the future/, 'at'],
    [`at=${now - 401 * 86_400_000}`, /at: \d+ is older than the 400 days the store keeps/, 'at'],
    [`at=${now - MINUTE}&site=atlantis`, /site: unknown site "atlantis"/, 'site'],
    [`at=${now - MINUTE}&speed=60`, /speed/, ''],
    ['', /at/, 'at'],
  ];
  for (const [query, message, field] of cases) {
    const res = await fetchAs(cookies.admin!, stateUrl(query));
    const body = (await res.json()) as { error: string; field?: string };
    assert.equal(res.status, 400, `${query}: ${JSON.stringify(body)}`);
    assert.match(body.error, /^invalid replay query: /, query);
    assert.match(body.error, message, query);
    if (field) assert.equal(body.field, field, query);
  }
});

test('a moment reads well under a play tick: one read after another as a 60× play asks', async () => {
  const times: number[] = [];
  // A 60× play moves a minute a second: read 40 moments a minute apart ... and some seconds apart.
  for (let i = 0; i < 40; i++) {
    const at = w - 14 * MINUTE + i * 20_000;
    const started = performance.now();
    await stateAt(at);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.floor(times.length * 0.95)]!;
  console.log(
    `replay.state with 12 sites × 15 min of 1 Hz samples: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`,
  );
  assert.ok(p50 < 250, `p50 ${p50} ms`);
  assert.ok(p95 < 1000, `p95 ${p95} ms`);
});

test("the SFU nodes' states and the meetings come from what the server recorded as it ran", async () => {
  // This server's SFU address answers nothing: its health checks recorded the main node down.
  const before = await stateAt(w - 10 * MINUTE);
  assert.equal(before.topology, null, 'nothing recorded before the server started');
  assert.deepEqual(before.meetings, { since: null, meetings: [] });
  const now = await stateAt(Date.now() - 1000);
  assert.ok(now.topology, 'the health checks since the start');
  assert.equal(now.topology.sfu.state, 'down');
  assert.equal(now.topology.store.state, 'up');
  assert.ok(now.topology.since >= w);
  assert.ok(now.meetings.since !== null && now.meetings.since >= w, 'the start recorded that no meeting is known');
  assert.deepEqual(now.meetings.meetings, []);
});
