// The timeline of a meeting on a real SFU node watched by a real NOC server:
// sites joining, one dropping out, the floor granted and taken back, and the
// incident of a microphone opened without the floor, each placed in time on
// the occurrence's timeline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeetingTimeline, TimelineEntry } from '@noc/shared/meeting-timeline';
import { waitFor } from '@noc/shared/wait';
import { fetchAs, signInNewUser } from '../fixtures/auth.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { planNow } from '../fixtures/plan-now.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';

let noc: NocFixture;
let sfu: SfuFixture;
let occurrence: string;
let chairCookie: string;
const peers: TestPeer[] = [];

before(async () => {
  const sfuPort = await freePort();
  noc = await startTestNocServer({ sfuUrl: `http://127.0.0.1:${sfuPort}`, env: { NOC_PLAN_OPEN_RETRY_MS: '300' } });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile });
  const admin = await noc.adminCookie();
  occurrence = (await planNow(noc.url, admin, { kind: 'giao-ban', title: 'Họp giao ban', startInMs: -2 * 60_000, minutes: 60 })).key;
  chairCookie = await signInNewUser(noc.url, admin, { username: 'chutri', role: 'chair' });
});

after(async () => {
  for (const p of peers) p.close();
  await noc?.stop();
  await sfu?.stop();
});

async function timeline(): Promise<MeetingTimeline> {
  const res = await fetchAs(chairCookie, `${noc.url}/api/timeline?occurrence=${encodeURIComponent(occurrence)}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as MeetingTimeline;
}

const has = (entries: TimelineEntry[], type: TimelineEntry['type'], site: string | null) =>
  entries.find((e) => e.type === type && e.site === site);

test('joins, a drop, the floor and an incident of a real meeting are on its timeline, in order', async () => {
  const connect = async (claims: Parameters<typeof TestPeer.connect>[1]) => {
    const peer = await TestPeer.connect(sfu, claims);
    peers.push(peer);
    return peer;
  };
  // The plan's meeting, opened on the SFU by the NOC at the plan's start.
  const meetingId = await waitFor(
    'the plan opened on the SFU',
    async () => noc.server.ctx.plans.store.opening(occurrence)?.meetingId ?? undefined,
    {
      timeoutMs: 15_000,
    },
  );
  const chair = await connect({ role: 'chair', meeting: meetingId, name: 'Chủ trì' });
  await chair.join(meetingId);
  const daBac = await connect({ role: 'site', site: 'da-bac', meeting: meetingId });
  const maiChau = await connect({ role: 'site', site: 'mai-chau', meeting: meetingId });
  await daBac.join(meetingId);
  await maiChau.join(meetingId);
  await waitFor('both joins recorded', async () => {
    const t = await timeline();
    return has(t.entries, 'join', 'da-bac') && has(t.entries, 'join', 'mai-chau') ? t : undefined;
  });

  // Mai Châu opens its microphone without the floor: refused, and an incident.
  const mic = await maiChau.produceMic();
  await assert.rejects(maiChau.client.request('producer.resume', { producerId: mic.producerId }));
  await chair.client.request('floor.grant', { site: 'da-bac' });
  await waitFor('the floor recorded', async () => has((await timeline()).entries, 'floor', 'da-bac'));
  await chair.client.request('floor.revoke', {});
  maiChau.close();
  const t = await waitFor(
    'the drop, the floor taken back and the incident recorded',
    async () => {
      const now = await timeline();
      return has(now.entries, 'drop', 'mai-chau') &&
        has(now.entries, 'floor-released', 'da-bac') &&
        has(now.entries, 'incident-opened', 'mai-chau')
        ? now
        : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 250 },
  );
  assert.deepEqual(t.meetings, [meetingId]);
  assert.ok(has(t.entries, 'meeting-opened', null));
  const joinDaBac = has(t.entries, 'join', 'da-bac')!;
  const floor = has(t.entries, 'floor', 'da-bac')!;
  const released = has(t.entries, 'floor-released', 'da-bac')!;
  const drop = has(t.entries, 'drop', 'mai-chau')!;
  const incident = has(t.entries, 'incident-opened', 'mai-chau')!;
  assert.ok(joinDaBac.at <= floor.at && floor.at <= released.at && released.at <= drop.at, JSON.stringify(t.entries));
  assert.ok('rule' in incident && incident.rule === 'micWithoutFloor', JSON.stringify(incident));
  assert.ok(
    t.entries.every((e, i) => i === 0 || t.entries[i - 1]!.at <= e.at),
    'entries in time order',
  );
  assert.ok(t.entries.every((e) => e.at >= t.from && e.at <= t.to));
  assert.equal(has(t.entries, 'join', 'tan-lac'), undefined, 'Tân Lạc never joined');
});

test("the timeline refuses an occurrence it does not know, naming it, and a technician's session", async () => {
  const res = await fetchAs(chairCookie, `${noc.url}/api/timeline?occurrence=${encodeURIComponent('77@once')}`);
  assert.equal(res.status, 404);
  assert.match(((await res.json()) as { error: string }).error, /77@once/);
  const bad = await fetchAs(chairCookie, `${noc.url}/api/timeline`);
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { field: string }).field, 'occurrence');
  const tech = await signInNewUser(noc.url, await noc.adminCookie(), { username: 'kt-da-bac', role: 'technician', site: 'da-bac' });
  assert.equal((await fetchAs(tech, `${noc.url}/api/timeline?occurrence=${encodeURIComponent(occurrence)}`)).status, 403);
});
