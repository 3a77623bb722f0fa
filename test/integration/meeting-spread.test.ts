// A meeting larger than one worker's share spreads its receivers over routers
// on other workers, joined to the first with pipeToRouter; seats there receive
// the sites' media like any other. A site in Chromium sends its fake camera;
// seats in Chromium, each with its own receive transport, count its packets,
// and the worker process that owns each seat's socket tells which worker it is on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../fixtures/chromium.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import type { SeatJoined, SeatReceived } from '../fixtures/webrtc-page/seat-stats.ts';
import { serveWebrtcPage } from '../fixtures/webrtc-page/serve.ts';

const SEATS = 5;
const SHARE = 2;

let sfu: SfuFixture;
let browser: Browser;
let sendPage: Awaited<ReturnType<typeof serveWebrtcPage>>;
let seatPage: Awaited<ReturnType<typeof serveWebrtcPage>>;
const peers: TestPeer[] = [];
before(async () => {
  sfu = await startSfu({ env: { SFU_WORKERS: '2', SFU_RECV_PER_ROUTER: String(SHARE) } });
  sendPage = await serveWebrtcPage('join-meeting.ts');
  seatPage = await serveWebrtcPage('receive-seats.ts');
  browser = await launchChromium();
});
after(async () => {
  for (const p of peers) p.close();
  await browser?.close();
  await sendPage?.stop();
  await seatPage?.stop();
  await sfu?.stop();
});

/** The pid of the process holding the UDP socket bound to `port` on this machine. */
async function udpSocketOwner(port: number): Promise<number> {
  const { stdout } = await promisify(execFile)('ss', ['-H', '-u', '-a', '-n', '-p', `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  assert.ok(pid, `a process holds UDP port ${port} (ss: ${stdout.trim() || 'nothing'})`);
  return Number(pid);
}

const call = <T>(page: Page, fn: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(`window.${fn}(${args.map((a) => JSON.stringify(a)).join(', ')})`) as Promise<T>;

test(
  "receivers beyond a router's share go to a router on the other worker and still receive the site's camera",
  { timeout: 60_000 },
  async () => {
    const operator = await TestPeer.connect(sfu, { role: 'operator' });
    peers.push(operator);
    const { meetingId } = await operator.client.request('meeting.create', {
      kind: 'tap-huan',
      title: 'Tập huấn hè',
      invitedSites: ['so-gddt', 'kim-boi'],
    });

    // The Sở sends its fake camera and microphone from Chromium.
    const site = await browser.newPage();
    watchConsole(site);
    await site.goto(sendPage.url);
    const siteToken = sfu.token({ role: 'site', site: 'so-gddt', meeting: meetingId });
    const produced = await call<string[]>(site, 'joinMeeting', sfu.signallingUrl, siteToken, meetingId);
    const { producers } = await operator.join(meetingId);
    const camera = producers.find((p) => p.site === 'so-gddt' && p.source === 'camera');
    assert.ok(camera && produced.includes(camera.producerId), "the Sở's camera is a producer of the meeting");

    // Five seats of Kim Bôi, one after another, each with its own receive transport.
    const seats = await browser.newPage();
    watchConsole(seats);
    await seats.goto(seatPage.url);
    const joined: SeatJoined[] = [];
    for (let i = 0; i < SEATS; i++) {
      const token = sfu.token({ role: 'seat', site: 'kim-boi', meeting: meetingId });
      joined.push(await call<SeatJoined>(seats, 'receiveSeat', sfu.signallingUrl, token, meetingId, camera.producerId));
    }
    assert.equal(new Set(joined.map((s) => s.consumerId)).size, SEATS);
    assert.deepEqual(
      joined.map((s) => s.site),
      Array(SEATS).fill('so-gddt'),
      'every seat consumes the Sở',
    );

    // The standing router, the meeting's first router and one on the other worker:
    // a meeting takes at most one router per worker, and fills them past the share when all are taken.
    const status = await sfu.status('health');
    assert.equal(status.workers.length, 2);
    assert.equal(
      status.workers.reduce((n, w) => n + w.routers, 0),
      1 + 2,
    );
    assert.ok(
      status.workers.every((w) => w.routers >= 1),
      'routers are spread over both workers',
    );

    // The first seats fill the meeting's first router; the next ones, beyond its
    // share, are on the other worker.
    const workerPids = status.workers.map((w) => w.pid);
    const workerOf = await Promise.all(joined.map((s) => udpSocketOwner(s.sfuUdpPort)));
    for (const pid of workerOf) assert.ok(workerPids.includes(pid), `seat socket held by worker ${pid} of ${workerPids.join(', ')}`);
    const first = workerOf[0]!;
    const within = workerOf.slice(0, SHARE);
    const beyond = workerOf.slice(SHARE, 2 * SHARE);
    assert.deepEqual(
      within,
      Array(SHARE).fill(first),
      `the first ${SHARE} seats share the meeting's first router (${workerOf.join(', ')})`,
    );
    assert.ok(
      beyond.every((pid) => pid !== first),
      `the next ${SHARE} seats are on the other worker (${workerOf.join(', ')})`,
    );

    // Every seat, on either worker, connects (ICE and DTLS) and receives the
    // camera's packets, and keeps receiving them.
    const received = () => Promise.all(joined.map((s) => call<SeatReceived>(seats, 'seatReceived', s.seat)));
    const started = await onPage(
      seats,
      'every seat to connect and receive the camera',
      async () => {
        const now = await received();
        const waiting = now.flatMap((r, i) =>
          r.connectionState === 'connected' && r.packetsReceived > 0
            ? []
            : [`seat ${i} (worker ${workerOf[i]}): ${r.connectionState}, ${r.packetsReceived} packets`],
        );
        // Thrown, not asserted: it may still come, and the timeout says who is left.
        if (waiting.length > 0) throw new Error(waiting.join('; '));
        return now;
      },
      20_000,
    );
    await onPage(
      seats,
      'every seat to receive 30 more packets',
      async () => {
        const now = await received();
        now.forEach((r, i) => assert.equal(r.connectionState, 'connected', `seat ${i} stays connected`));
        return now.every((r, i) => r.packetsReceived >= started[i]!.packetsReceived + 30);
      },
      20_000,
    );
  },
);
