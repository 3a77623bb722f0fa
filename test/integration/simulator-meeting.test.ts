// The simulator carries its scenario's meeting on a real SFU node: the meeting
// is created with the scenario's title and sites, every invited site joins,
// the floor goes from site to site, to sites that waited in a short speaking
// queue whose sites change, a site whose link is cut leaves and comes back with
// its link, and the meeting ends when the simulator stops.
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
  return (await sfu.status('meetings')).carried;
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
  const first = await waitFor(
    'the scenario meeting on the SFU with a floor',
    async () => {
      assert.ok(sim.running, `the simulator keeps running:\n${sim.tail}`);
      const m = await ours();
      return m?.floor ? m : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  assert.equal(first.kind, 'giao-ban');
  assert.deepEqual([...first.invitedSites].sort(), [...SITES].sort());
  assert.ok(SITES.includes(first.floor!), `the floor is held by an invited site (${first.floor})`);

  // The floor moves on to two more sites, and the speaking queue changes: it
  // holds different sites over time, and a site that waited in it is given the
  // floor. What must hold at every poll is asserted there; what may still come
  // is the wait's condition.
  const floors = new Set([first.floor!]);
  const queues = new Set<string>();
  const queued = new Set<string>();
  let queuedThenSpoke: string | undefined;
  await waitFor(
    'the floor to go to two more sites, one of them from the queue, and the queue to change',
    async () => {
      assert.ok(sim.running, `the simulator keeps running:\n${sim.tail}`);
      const m = await ours();
      assert.ok(m, 'the meeting is still carried');
      assert.ok(m.floor === null || SITES.includes(m.floor), `the floor is held by an invited site (${m.floor})`);
      const sites = m.queue.map((r) => r.site);
      for (const site of sites) assert.ok(SITES.includes(site), `queued site ${site} is invited`);
      assert.equal(new Set(sites).size, sites.length, `no site is queued twice (${sites.join(', ')})`);
      assert.ok(m.floor === null || !sites.includes(m.floor), `the floor holder ${m.floor} is not queued (${sites.join(', ')})`);
      assert.ok(sites.length <= 3, `the queue stays short (${sites.join(', ')})`);
      if (m.floor) {
        if (queued.has(m.floor)) queuedThenSpoke ??= m.floor;
        floors.add(m.floor);
      }
      if (sites.length > 0) queues.add(sites.join(','));
      for (const site of sites) queued.add(site);
      return floors.size >= 3 && queues.size >= 2 && queuedThenSpoke !== undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );

  // Every invited site is present with its endpoint.
  observer = await TestPeer.connect(sfu, { role: 'operator', name: 'observer' });
  const joined = await observer.join(first.id);
  const endpoint = (present: { site: string; endpoint: boolean }[], site: string) => present.some((p) => p.site === site && p.endpoint);
  if (!SITES.every((s) => endpoint(joined.state.present, s))) {
    await observer.waitFor('meeting.state', (s) => SITES.every((site) => endpoint(s.present, site)), { timeoutMs: 15_000 });
  }

  // A cut link takes the site out of the meeting; it comes back with the link.
  await waitFor('the control endpoint', async () => (await fetch(`${control}/faults`).catch(() => null))?.ok === true, {
    timeoutMs: 30_000,
  });
  const beforeCut = observer.events.length;
  const cut = await fetch(`${control}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'link-cut', site: 'kim-boi' }),
  });
  assert.equal(cut.status, 201);
  await observer.waitFor('meeting.state', (s) => !endpoint(s.present, 'kim-boi'), { timeoutMs: 15_000, from: beforeCut });
  const beforeRepair = observer.events.length;
  assert.equal((await fetch(`${control}/faults`, { method: 'DELETE' })).status, 200);
  await observer.waitFor('meeting.state', (s) => endpoint(s.present, 'kim-boi'), { timeoutMs: 15_000, from: beforeRepair });

  // Stopping the simulator ends the meeting on the SFU.
  await sim.stop();
  await waitFor('the meeting to end', async () => (await ours()) === undefined, { timeoutMs: 10_000, intervalMs: 200 });
});
