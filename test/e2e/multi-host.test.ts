// The province's network on separate hosts (Linux network namespaces made by
// fixtures/netns.ts, routed through a router namespace, documentation
// addresses only): the Sở (NOC server and main SFU node, 192.0.2.10), TTGDTX
// TP Hòa Bình (backup SFU node, 198.51.100.10) and two sites, Đà Bắc
// (203.0.113.11) and Mai Châu (203.0.113.12), each running the real probe
// agent; Chromium at Đà Bắc opens the room page from the NOC server and sends
// its fake camera to the main node's announced address. The Sở is then cut off
// the network (its port on the router down) and the room carries on at the
// backup; a site's link held to a few hundred kbit/s with tbf shows in its
// probe's bandwidth figures on the NOC's live feed (what the wall reads).
//
// HTTPS: with `HTTPS` below on, the NOC server and both SFU nodes get a
// certificate made here with openssl (NOC_TLS_CERT/NOC_TLS_KEY,
// SFU_TLS_CERT/SFU_TLS_KEY) and Chromium trusts its public key
// (--ignore-certificate-errors-spki-list). Off, everything is plain HTTP/WS and
// Chromium is told to treat the NOC's origin as secure, so getUserMedia works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { issueAccessToken, type AccessClaims } from '@noc/shared/access-token';
import type { HealthReport } from '@noc/shared/health';
import type { HistoryAnswer } from '@noc/shared/history-query';
import type { LiveEvent, LiveSample } from '@noc/shared/live';
import { issueProbeToken } from '@noc/shared/probe-token';
import { waitFor } from '@noc/shared/wait';
import { addSessionCookie, signIn } from '../fixtures/auth.ts';
import { CHROMIUM_BIN, launchChromium } from '../fixtures/chromium.ts';
import { connectLive, type LiveClient } from '../fixtures/live-client.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { Hosts } from '../fixtures/netns.ts';
import { NOC_ADMIN_PASSWORD } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { makeTestCa, type TestCa } from '../fixtures/test-ca.ts';
import { tempDir } from '../fixtures/temp-dir.ts';
import type { ManagedProcess } from '@noc/shared/child-process';

/** HTTPS and WSS across the WAN, as deployed (NOC_TLS_*, SFU_TLS_*); NOC_MULTI_HOST_HTTPS=0 runs it all over plain HTTP. */
const HTTPS = process.env.NOC_MULTI_HOST_HTTPS !== '0';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SO = '192.0.2.10';
const TP = '198.51.100.10';
const DA_BAC = '203.0.113.11';
const MAI_CHAU = '203.0.113.12';
/** The test process: the control centre's desk on the Sở's subnet. */
const DESK = '192.0.2.200';
const NOC_PORT = 8080;
const SFU_PORT = 4450;
const ECHO_PORT = 4460;
const http = HTTPS ? 'https' : 'http';
const ws = HTTPS ? 'wss' : 'ws';
const NOC_URL = `${http}://${SO}:${NOC_PORT}`;
const sfuUrl = (address: string) => `${http}://${address}:${SFU_PORT}`;
/** Mai Châu's probe reaches the main node's echo responder through a relay of the test's on its own host (delay and drops on demand). */
const RELAY = '127.0.0.1:4470';
/** A site's link during the bandwidth check (kbit/s, both ways). */
const THROTTLE_KBIT = 400;
/** Bytes each way of the probe's bandwidth test: a few seconds through the throttled link. */
const BANDWIDTH_BYTES = 160_000;

let dir: Awaited<ReturnType<typeof tempDir>>;
let hosts: Hosts;
let secret: Buffer;
let cert: TestCa | null = null;
let browser: Browser;
let room: Page;
let live: LiveClient;
let adminCookie: string;
let operator: TestPeer | null = null;
let wall: Browser | null = null;
let relay: ManagedProcess | null = null;
/** The meeting the Sở's cut moved to the backup node. */
let meetingCut: string | null = null;
const agents = new Map<string, ManagedProcess>();

const token = (claims: Omit<AccessClaims, 'exp'>) => issueAccessToken(secret, { exp: Date.now() + 3600_000, ...claims });

/** The environment every process in the hosts gets: the project's, the shared secret, and trust in the test certificate. */
function baseEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NOC_SECRET_FILE: join(dir.path, 'secret.key'),
    ...(cert ? { NODE_EXTRA_CA_CERTS: cert.caFile } : {}),
  };
}

function startSfu(host: 'so' | 'tp', node: 'main' | 'backup', address: string, peer: string) {
  return hosts.start(host, `sfu-${node}`, process.execPath, [join(root, 'sfu/src/index.ts')], {
    ...baseEnv(),
    SFU_NODE: node,
    SFU_HOST: address,
    SFU_PORT: String(SFU_PORT),
    SFU_LISTEN_IP: address,
    SFU_ANNOUNCED_ADDRESS: address,
    SFU_RTC_MIN_PORT: '40000',
    SFU_RTC_MAX_PORT: '40199',
    SFU_WORKERS: '1',
    SFU_ECHO_PORT: String(ECHO_PORT),
    SFU_PEER_URL: sfuUrl(peer),
    NOC_URL,
    ...(cert ? { SFU_TLS_CERT: cert.certFile, SFU_TLS_KEY: cert.keyFile } : {}),
  });
}

async function startAgent(host: 'dabac' | 'maichau', site: string): Promise<void> {
  const config = join(dir.path, `${site}.json`);
  await writeFile(
    config,
    JSON.stringify({
      site,
      token: issueProbeToken(secret, site),
      nocUrl: NOC_URL,
      targets: { sfu: site === 'mai-chau' ? RELAY : `${SO}:${ECHO_PORT}`, backup: `${TP}:${ECHO_PORT}` },
      spoolDir: join(dir.path, `spool-${site}`),
      link: { bandwidthBytes: BANDWIDTH_BYTES, bandwidthAtStart: true },
    }),
  );
  agents.set(
    site,
    hosts.start(host, `probe-${site}`, process.execPath, [join(root, 'probes/src/agent/index.ts'), '--config', config], baseEnv()),
  );
}

/** The relay in front of the main node's echo responder at Mai Châu, passing `delayMs` late and dropping `dropPct` % each way. */
async function startRelay(delayMs: number, dropPct: number): Promise<void> {
  await relay?.stop();
  const args = ['--listen', RELAY, '--to', `${SO}:${ECHO_PORT}`, '--delay-ms', String(delayMs), '--drop-pct', String(dropPct)];
  relay = hosts.start('maichau', 'relay', process.execPath, [join(root, 'test/fixtures/udp-relay.ts'), ...args], baseEnv());
  await waitFor('the relay at Mai Châu', () => relay!.tail.includes('[relay]') || (assert.ok(relay!.running, relay!.tail), false), {
    timeoutMs: 10_000,
  });
}

/** Chromium inside a host: a wrapper that starts it with `ip netns exec` (Playwright talks to it over pipes). */
async function chromiumIn(host: string): Promise<Browser> {
  const wrapper = join(dir.path, `chromium-${host}.sh`);
  await writeFile(wrapper, `#!/bin/sh\nexec ip netns exec ${hosts.ns(host)} ${CHROMIUM_BIN} "$@"\n`);
  await chmod(wrapper, 0o755);
  return launchChromium({
    executablePath: wrapper,
    args: cert ? [`--ignore-certificate-errors-spki-list=${cert.spkiSha256}`] : [`--unsafely-treat-insecure-origin-as-secure=${NOC_URL}`],
  });
}

const samplesOf = (events: LiveEvent[], from = 0): LiveSample[] =>
  events.slice(from).flatMap((e) => (e.type === 'samples' ? e.samples : []));

const linkSample = (site: string, target: string, from = 0, match: (s: LiveSample) => boolean = () => true) =>
  samplesOf(live.events, from).find((s) => s.site === site && s.measurement === 'link' && s.tags.target === target && match(s));

/** The points of `GET /api/history` for one site, read as the NOC's admin. */
async function history(query: Record<string, string>): Promise<[number, number][]> {
  const res = await fetch(`${NOC_URL}/api/history?${new URLSearchParams(query)}`, { headers: { cookie: adminCookie } });
  assert.equal(res.status, 200, await res.clone().text());
  const answer = (await res.json()) as HistoryAnswer;
  return answer.series[query.site!] ?? [];
}

async function health(): Promise<HealthReport> {
  return (await (await fetch(`${NOC_URL}/api/health`)).json()) as HealthReport;
}

before(async () => {
  dir = await tempDir('multi-host');
  secret = randomBytes(32);
  await writeFile(join(dir.path, 'secret.key'), secret.toString('hex'));
  if (HTTPS) {
    cert = await makeTestCa([SO, TP]);
    // The desk (this process) trusts it too.
    cert.trustHere();
  }
  hosts = await Hosts.create(
    [
      { name: 'so', address: SO },
      { name: 'tp', address: TP },
      { name: 'dabac', address: DA_BAC },
      { name: 'maichau', address: MAI_CHAU },
    ],
    { desk: DESK },
  );
  const noc = hosts.start('so', 'noc', process.execPath, [join(root, 'dashboard/server/index.ts')], {
    ...baseEnv(),
    NOC_HOST: SO,
    PORT: String(NOC_PORT),
    NOC_DATA_DIR: join(dir.path, 'noc'),
    NOC_ADMIN_PASSWORD,
    SFU_URL: sfuUrl(SO),
    SFU_BACKUP_URL: sfuUrl(TP),
    ...(cert ? { NOC_TLS_CERT: cert.certFile, NOC_TLS_KEY: cert.keyFile, NOC_COOKIE_SECURE: '1' } : {}),
  });
  const main = startSfu('so', 'main', SO, TP);
  const backup = startSfu('tp', 'backup', TP, SO);
  await waitFor(
    'the NOC server at the Sở seeing both SFU nodes',
    async () => {
      for (const p of [noc, main, backup]) assert.ok(p.running, `${p.name} exited:\n${p.tail}`);
      const h = await health();
      return h.components.sfu.state === 'up' && h.components.sfuBackup.state === 'up';
    },
    { timeoutMs: 45_000, intervalMs: 250 },
  );
  adminCookie = await signIn(NOC_URL, 'admin', NOC_ADMIN_PASSWORD);
  live = await connectLive(NOC_URL, adminCookie);
  await startRelay(0, 0);
  await startAgent('dabac', 'da-bac');
  await startAgent('maichau', 'mai-chau');
  browser = await chromiumIn('dabac');
});

after(async () => {
  // The Sở back on the network first (a failed test may have left it cut off), so that every
  // connection of the desk's to it closes now rather than when TCP gives up.
  await hosts?.setLink('so', true).catch(() => {});
  operator?.close();
  live?.socket.terminate();
  await browser?.close();
  await wall?.close();
  await hosts?.destroy();
  await dir?.remove();
  await cert?.remove();
});

test('each site probe measures its real links to the Sở and to TP Hòa Bình', async () => {
  for (const site of ['da-bac', 'mai-chau']) {
    for (const target of ['sfu', 'backup']) {
      const s = await waitFor(
        `a link sample of ${site} to ${target} with a round trip`,
        () => linkSample(site, target, 0, (x) => x.fields.reachable === true && typeof x.fields.rtt_ms === 'number'),
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      assert.ok((s.fields.rtt_ms as number) < 200, `${site} → ${target}: rtt ${s.fields.rtt_ms} ms`);
    }
    // The bandwidth test at start, over the unshaped link (at Mai Châu against the backup's responder: the relay passes only UDP).
    const bw = await waitFor(
      `${site}'s bandwidth at start`,
      () => samplesOf(live.events).find((s) => s.site === site && s.measurement === 'link' && typeof s.fields.down_kbps === 'number'),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    assert.ok((bw.fields.down_kbps as number) > 5 * THROTTLE_KBIT, `${site} down ${bw.fields.down_kbps} kbit/s unshaped`);
    assert.ok((bw.fields.up_kbps as number) > 5 * THROTTLE_KBIT, `${site} up ${bw.fields.up_kbps} kbit/s unshaped`);
  }
});

test('a room at Đà Bắc opens the page from the Sở in Chromium and sends its camera to the main node', async () => {
  operator = await TestPeer.connect({ signallingUrl: `${ws}://${SO}:${SFU_PORT}/signalling`, token }, { role: 'operator' });
  const { meetingId } = await operator.client.request('meeting.create', {
    kind: 'hop',
    title: 'Họp trực tuyến nhiều máy',
    invitedSites: ['da-bac', 'mai-chau'],
  });
  await operator.join(meetingId);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  room = await context.newPage();
  watchConsole(room);
  await room.goto(`${NOC_URL}/room?token=${encodeURIComponent(token({ role: 'site', site: 'da-bac' }))}`);
  const secure = await room.evaluate('window.isSecureContext');
  assert.equal(secure, true, 'the room page is a secure context');
  await onPage(
    room,
    'the room in the meeting on the main node',
    async () => {
      return (
        (await room.locator(`[data-meeting-id="${meetingId}"]`).count()) === 1 &&
        (await room.locator('[data-sfu-node="main"]').count()) === 1 &&
        (await room.locator('[data-connection][data-status="connected"]').count()) === 1
      );
    },
    30_000,
  );
  const tracks = await onPage(
    room,
    'the fake camera and microphone on the page',
    () =>
      room.evaluate(
        `(() => {
        const kinds = [...document.querySelectorAll('video')]
          .flatMap((v) => (v.srcObject ? v.srcObject.getTracks() : []))
          .filter((t) => t.readyState === 'live')
          .map((t) => t.kind);
        return kinds.includes('video') && kinds.includes('audio') ? kinds : undefined;
      })()`,
      ) as Promise<string[] | undefined>,
  );
  assert.ok(tracks.includes('video'));
  // Its media path: the site's own address to the main node's announced address.
  const path = await onPage(
    room,
    'a media path with frames sent',
    async () => {
      const local = room.locator('[data-stats-local]');
      const sentFps = Number(await local.getAttribute('data-sent-fps'));
      const remote = (await local.getAttribute('data-remote-address')) ?? '';
      return sentFps > 0 && remote ? { local: (await local.getAttribute('data-local-address')) ?? '', remote } : undefined;
    },
    20_000,
  );
  assert.ok(path.remote.startsWith(SO), `the room sends to ${path.remote}, not the main node's announced ${SO}`);
  assert.ok(path.local.startsWith(DA_BAC), `the room sends from ${path.local}, not Đà Bắc's ${DA_BAC}`);
  // What the main node receives from the site reaches the NOC (its stats, tagged with the node).
  const from = 0;
  const received = await waitFor(
    'the main node receiving Đà Bắc video',
    () =>
      samplesOf(live.events, from).find(
        (s) =>
          s.site === 'da-bac' &&
          s.measurement === 'media' &&
          s.tags.node === 'main' &&
          s.tags.kind === 'video' &&
          s.tags.direction === 'send' &&
          (s.fields.bitrate_kbps as number) > 50,
      ),
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  assert.ok((received.fields.bitrate_kbps as number) > 50);
});

test('the Sở cut off the network: Đà Bắc carries on at TP Hòa Bình, and its probe saw the main node unreachable', async () => {
  assert.ok(room, 'the room of the previous test');
  const meetingId = await room.locator('[data-meeting-id]').getAttribute('data-meeting-id');
  const cutAt = Date.now();
  await hosts.setLink('so', false);
  await onPage(
    room,
    'the room in the meeting on the backup node',
    async () =>
      (await room.locator(`[data-meeting-id="${meetingId}"]`).count()) === 1 &&
      (await room.locator('[data-sfu-node="backup"]').count()) === 1 &&
      (await room.locator('[data-connection][data-status="connected"]').count()) === 1,
    60_000,
  );
  const rejoinMs = Date.now() - cutAt;
  const path = await onPage(
    room,
    'frames sent to the backup node',
    async () => {
      const local = room.locator('[data-stats-local]');
      const remote = (await local.getAttribute('data-remote-address')) ?? '';
      return Number(await local.getAttribute('data-sent-fps')) > 0 && remote.startsWith(TP) ? remote : undefined;
    },
    20_000,
  );
  const mediaMs = Date.now() - cutAt;
  console.log(`multi-host: the Sở cut; the room rejoined on the backup after ${rejoinMs} ms, sending to ${path} after ${mediaMs} ms`);

  // The Sở back: the NOC hears from the sites again, with what their probes spooled during the cut
  // (which lasts long enough for a whole probe window, 5 s, to fall inside it).
  const longEnough = cutAt + 10_000 - Date.now();
  if (longEnough > 0) await new Promise((r) => setTimeout(r, longEnough));
  const restoredAt = Date.now();
  await hosts.setLink('so', true);
  live.close();
  await waitFor('the NOC reachable from the desk again', async () => (await fetch(`${NOC_URL}/api/health`)).ok, { timeoutMs: 20_000 });
  live = await connectLive(NOC_URL, adminCookie);
  // The probe's windows wholly inside the cut, as the NOC stored them once the spool was sent.
  const during = { site: 'da-bac', from: String(cutAt + 6000), to: String(restoredAt) };
  const lossToMain = await waitFor(
    "Đà Bắc's spooled link samples from the cut in the NOC's store",
    async () => {
      const points = await history({ measurement: 'link', field: 'loss_pct', target: 'sfu', ...during });
      return points.length >= 3 ? points : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  assert.ok(
    lossToMain.every(([, loss]) => loss === 100),
    `Đà Bắc → Sở during the cut: ${JSON.stringify(lossToMain)}`,
  );
  const lossToBackup = await history({ measurement: 'link', field: 'loss_pct', target: 'backup', ...during });
  assert.ok(lossToBackup.length >= 3, `Đà Bắc → TP Hòa Bình during the cut: ${JSON.stringify(lossToBackup)}`);
  assert.ok(
    lossToBackup.every(([, loss]) => loss < 50),
    `Đà Bắc reached TP Hòa Bình during the cut: ${JSON.stringify(lossToBackup)}`,
  );
  // The NOC hears from the backup node that Đà Bắc's camera arrives there.
  const atBackup = await waitFor(
    "the backup node's stats of Đà Bắc's video on the NOC",
    () =>
      samplesOf(live.events).find(
        (s) =>
          s.site === 'da-bac' &&
          s.measurement === 'media' &&
          s.tags.node === 'backup' &&
          s.tags.kind === 'video' &&
          s.tags.direction === 'send' &&
          (s.fields.bitrate_kbps as number) > 50,
      ),
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  assert.ok((atBackup.fields.bitrate_kbps as number) > 50);
  // A link cut, unlike a node that died, is noticed only when the room's media path fails (ICE):
  // about 15 s in Chromium, then a connection attempt to the main node (3 s) before the backup.
  assert.ok(rejoinMs < 40_000, `the room rejoined on the backup after ${rejoinMs} ms`);
  meetingCut = meetingId;
});

test(
  'after the Sở comes back, the NOC shows the meeting where the sites are (on the backup node)',
  {
    todo: "the main node keeps the meeting it carried through the cut (its operator stayed connected), and the NOC shows the main node's copy",
  },
  async () => {
    assert.ok(meetingCut, 'the meeting of the previous test');
    await live.next((e) => e.type === 'meetings' && e.meetings.some((m) => m.id === meetingCut && m.activeOn === 'backup'), {
      timeoutMs: 10_000,
    });
  },
);

test('a site link held to a few hundred kbit/s shows in its probe figures on the NOC', async () => {
  await hosts.shape('maichau', { kbit: THROTTLE_KBIT });
  const from = live.events.length;
  const agent = agents.get('mai-chau');
  assert.ok(agent?.running, 'the Mai Châu probe agent runs');
  agent.child.kill('SIGUSR2');
  const bw = await waitFor(
    "Mai Châu's bandwidth through the throttled link",
    () =>
      samplesOf(live.events, from).find((s) => s.site === 'mai-chau' && s.measurement === 'link' && typeof s.fields.down_kbps === 'number'),
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  console.log(`multi-host: Mai Châu held to ${THROTTLE_KBIT} kbit/s measures down ${bw.fields.down_kbps}, up ${bw.fields.up_kbps} kbit/s`);
  // tbf lets its 16 kB bucket through at once, so a short test measures a little above the rate.
  for (const field of ['down_kbps', 'up_kbps']) {
    const v = bw.fields[field] as number;
    assert.ok(v > THROTTLE_KBIT * 0.5 && v < THROTTLE_KBIT * 1.5, `${field} ${v} kbit/s on a ${THROTTLE_KBIT} kbit/s link`);
  }
  await hosts.shape('maichau', null);
});

test('a site link with delay and loss shows on its tile of the wall at the control centre', async () => {
  // The wall on the desk, signed in as the NOC's admin.
  wall = await launchChromium(cert ? { args: [`--ignore-certificate-errors-spki-list=${cert.spkiSha256}`] } : {});
  const context = await wall.newContext({ viewport: { width: 1920, height: 1080 } });
  await addSessionCookie(context, NOC_URL, await signIn(NOC_URL, 'admin', NOC_ADMIN_PASSWORD));
  const page = await context.newPage();
  watchConsole(page);
  await page.goto(`${NOC_URL}/wall`);
  const tile = page.locator('[data-site="mai-chau"]');
  const figure = async (field: string) => Number(((await tile.locator(`[data-field="${field}"]`).textContent()) ?? '').replace(',', '.'));
  await onPage(
    page,
    "Mai Châu's tile with a short round trip",
    async () => (await figure('rtt')) > 0 && (await figure('rtt')) < 50,
    20_000,
  );

  await startRelay(100, 20);
  const seen = await onPage(
    page,
    "Mai Châu's tile showing the delay and the loss",
    async () => {
      const [rtt, loss] = [await figure('rtt'), await figure('loss')];
      return rtt >= 200 && loss >= 10 ? { rtt, loss } : undefined;
    },
    20_000,
  );
  console.log(`multi-host: Mai Châu through 100 ms and 20 % each way: the wall shows ${seen.rtt} ms, ${seen.loss} % loss`);
  assert.ok(seen.rtt < 400, `a round trip of ${seen.rtt} ms through 2 × 100 ms`);
  assert.ok(seen.loss < 70, `${seen.loss} % lost where about 36 % are dropped`);
  // Đà Bắc, on a clean link, stays as it was.
  const daBacRtt = Number(((await page.locator('[data-site="da-bac"] [data-field="rtt"]').textContent()) ?? '').replace(',', '.'));
  assert.ok(daBacRtt < 100, `Đà Bắc's round trip ${daBacRtt} ms`);
  await startRelay(0, 0);
});
