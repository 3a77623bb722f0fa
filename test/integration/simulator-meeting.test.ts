// The simulator carries its scenario's meeting on a real SFU node: the meeting
// is created with the scenario's title and sites, every invited site joins,
// the floor goes from site to site with a short speaking queue, a site whose
// link is cut leaves and comes back with its link, and the meeting ends when
// the simulator stops.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeetingRecord } from '@noc/shared/meeting';
import type { ManagedProcess } from '@noc/shared/child-process';
import { waitFor } from '@noc/shared/wait';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { startSimulator } from '../fixtures/simulator.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const TITLE = 'Giao ban thử — mô phỏng';
const SITES = ['da-bac', 'mai-chau', 'kim-boi', 'lac-son'];

let noc: NocFixture;
let sfu: SfuFixture;
let dir: Awaited<ReturnType<typeof tempDir>>;
let sim: ManagedProcess;
let observer: TestPeer | undefined;

before(async () => {
  noc = await startTestNocServer();
  sfu = await startSfu({ secretFile: noc.secretFile, nocUrl: noc.url });
  dir = await tempDir('sim-meeting');
});
after(async () => {
  observer?.close();
  await sim?.stop();
  await sfu?.stop();
  await noc?.stop();
  await dir?.remove();
});

async function carried(): Promise<MeetingRecord[]> {
  const res = await fetch(`${sfu.url}/meetings`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { carried: MeetingRecord[] }).carried;
}

const ours = async () => (await carried()).find((m) => m.title === TITLE);

test('a scenario meeting runs on the SFU with a floor and a speaking queue that change', async () => {
  const scenario = join(dir.path, 'scenario.json');
  await writeFile(
    scenario,
    JSON.stringify({ name: 'meeting', meetings: [{ kind: 'giao-ban', title: TITLE, at: '+0s', durationMin: 30, sites: SITES }] }),
  );
  const controlPort = await freePort();
  const control = `http://127.0.0.1:${controlPort}`;
  sim = startSimulator({
    noc,
    dir: dir.path,
    scenario,
    env: { SFU_URL: sfu.url, SIM_FLOOR_PERIOD_S: '0.5', SIM_CONTROL_PORT: String(controlPort) },
  });

  // The meeting, with its first floor holder.
  const first = await waitFor('the scenario meeting on the SFU with a floor', async () => {
    if (!sim.running) throw new Error(`the simulator exited:\n${sim.tail}`);
    const m = await ours();
    return m?.floor ? m : undefined;
  }, { timeoutMs: 30_000, intervalMs: 200 });
  assert.equal(first.kind, 'giao-ban');
  assert.deepEqual([...first.invitedSites].sort(), [...SITES].sort());
  assert.ok(SITES.includes(first.floor!), `the floor is held by an invited site (${first.floor})`);

  // The floor moves on; the queue holds invited sites, at most a few.
  const floors = new Set([first.floor!]);
  let longestQueue = 0;
  await waitFor('the floor to go to two more sites', async () => {
    const m = await ours();
    assert.ok(m, 'the meeting is still carried');
    if (m.floor) floors.add(m.floor);
    for (const r of m.queue) assert.ok(SITES.includes(r.site), `queued site ${r.site} is invited`);
    assert.ok(!m.queue.some((r) => r.site === m.floor), 'the floor holder is not queued');
    longestQueue = Math.max(longestQueue, m.queue.length);
    return floors.size >= 3;
  }, { timeoutMs: 30_000, intervalMs: 100 });
  assert.ok(longestQueue <= 3, `the queue stays short (longest ${longestQueue})`);

  // Every invited site is present with its endpoint.
  observer = await TestPeer.connect(sfu, { role: 'operator', name: 'observer' });
  const joined = await observer.join(first.id);
  const endpoint = (present: { site: string; endpoint: boolean }[], site: string) => present.some((p) => p.site === site && p.endpoint);
  if (!SITES.every((s) => endpoint(joined.state.present, s))) {
    await observer.waitFor('meeting.state', (s) => SITES.every((site) => endpoint(s.present, site)), 15_000);
  }

  // A cut link takes the site out of the meeting; it comes back with the link.
  await waitFor('the control endpoint', async () => (await fetch(`${control}/faults`).catch(() => null))?.ok === true, { timeoutMs: 30_000 });
  const cut = await fetch(`${control}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'link-cut', site: 'kim-boi' }),
  });
  assert.equal(cut.status, 201);
  await observer.waitFor('meeting.state', (s) => !endpoint(s.present, 'kim-boi'), 15_000);
  assert.equal((await fetch(`${control}/faults`, { method: 'DELETE' })).status, 200);
  await observer.waitFor('meeting.state', (s) => endpoint(s.present, 'kim-boi'), 15_000);

  // Stopping the simulator ends the meeting on the SFU.
  await sim.stop();
  await waitFor('the meeting to end', async () => (await ours()) === undefined, { timeoutMs: 10_000, intervalMs: 200 });
});
