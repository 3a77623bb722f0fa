// The capacity tests' Chromium endpoint (loadtest/src/browser/room-endpoint.ts)
// on a page that answers scripted readings of its page watch: what it reports
// while it stays and at the end, when it is stopped early, and the input it
// refuses. Real Chromium on the room page: test/e2e/room-figures.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Script } from 'node:vm';
import { PAGE_WATCH_SCRIPT, type PageReading } from '@noc/loadtest/browser/page-watch';
import { runRoomEndpoint, type RoomEndpointFigures, type RoomEndpointPage } from '@noc/loadtest/browser/room-endpoint';

const URL_OK = 'http://127.0.0.1:8080/room?token=abc';

const reading = (patch: Partial<PageReading>): PageReading => ({
  now: 0,
  firstPictureMs: null,
  main: null,
  freezeCount: 0,
  freezeMaxMs: 0,
  audioJitterMs: null,
  ...patch,
});

/** A page whose watch answers `readings` in turn (the last one again once they run out). */
function fakePage(readings: PageReading[], opts: { goneAfter?: number } = {}) {
  const calls = { initScripts: [] as string[], urls: [] as string[], reads: 0 };
  const page: RoomEndpointPage = {
    async addInitScript(script) {
      calls.initScripts.push(script);
    },
    async goto(url) {
      calls.urls.push(url);
    },
    async evaluate(expression) {
      assert.match(expression, /__nocRoomWatch\.read\(\)/);
      calls.reads++;
      if (opts.goneAfter !== undefined && calls.reads > opts.goneAfter) throw new Error('Target page, context or browser has been closed');
      return readings[Math.min(calls.reads - 1, readings.length - 1)];
    },
  };
  return { page, calls };
}

test('the page watch is a script the browser can parse', () => {
  assert.doesNotThrow(() => new Script(PAGE_WATCH_SCRIPT));
});

test('it opens the room with the watch installed first, reports every period and answers the figures of the stay', async () => {
  const { page, calls } = fakePage([
    reading({ now: 1000 }),
    reading({
      now: 1100,
      firstPictureMs: 1049.6,
      main: { framesSinceRead: 3, msSinceRead: 100, frames: 3, msSinceFirst: 50 },
      audioJitterMs: 12.34,
    }),
    reading({
      now: 1200,
      firstPictureMs: 1049.6,
      main: { framesSinceRead: 2, msSinceRead: 100, frames: 5, msSinceFirst: 150 },
      freezeCount: 1,
      freezeMaxMs: 1500.4,
      audioJitterMs: 4,
    }),
  ]);
  const reports: RoomEndpointFigures[] = [];
  const result = await runRoomEndpoint(page, URL_OK, { durationMs: 350, reportEveryMs: 100, onFigures: (f) => reports.push(f) });
  assert.equal(calls.initScripts.length, 1);
  assert.equal(calls.initScripts[0], PAGE_WATCH_SCRIPT);
  assert.deepEqual(calls.urls, [URL_OK]);
  assert.ok(reports.length >= 2 && reports.length <= 3, `${reports.length} reports in 350 ms, one each 100 ms`);
  assert.deepEqual(reports[0], { firstPictureMs: null, fps: null, freezeCount: 0, freezeMaxMs: 0, audioJitterMs: null });
  assert.deepEqual(reports[1], { firstPictureMs: 1050, fps: 30, freezeCount: 0, freezeMaxMs: 0, audioJitterMs: 12.3 });
  // The end: the frame rate since the main video's first frame, the worst jitter of the stay.
  assert.deepEqual(result, { firstPictureMs: 1050, fps: 33.3, freezeCount: 1, freezeMaxMs: 1500, audioJitterMs: 12.3 });
});

test('stopped early, it answers at once with the figures so far', async () => {
  const { page } = fakePage([
    reading({ now: 10, firstPictureMs: 800, main: { framesSinceRead: 1, msSinceRead: 100, frames: 40, msSinceFirst: 2000 } }),
  ]);
  const stop = new AbortController();
  const started = Date.now();
  setTimeout(() => stop.abort(), 150);
  const result = await runRoomEndpoint(page, URL_OK, { durationMs: 60_000, reportEveryMs: 100, onFigures: () => {}, signal: stop.signal });
  assert.ok(Date.now() - started < 2000, 'it did not stay its whole duration');
  assert.equal(result.fps, 20);
  assert.equal(result.firstPictureMs, 800);
});

test('a page closed after a stop leaves the last report standing; closed during the stay, it is an error', async () => {
  const first = reading({ now: 10, firstPictureMs: 900, audioJitterMs: 3 });
  const stop = new AbortController();
  const { page } = fakePage([first], { goneAfter: 1 });
  const result = await runRoomEndpoint(page, URL_OK, {
    durationMs: 60_000,
    reportEveryMs: 100,
    onFigures: () => stop.abort(),
    signal: stop.signal,
  });
  assert.deepEqual(result, { firstPictureMs: 900, fps: null, freezeCount: 0, freezeMaxMs: 0, audioJitterMs: 3 });

  const closing = fakePage([first], { goneAfter: 1 });
  await assert.rejects(
    runRoomEndpoint(closing.page, URL_OK, { durationMs: 60_000, reportEveryMs: 100, onFigures: () => {} }),
    /has been closed/,
  );
});

test('a page that left the room page (no watch in it) is named as such', async () => {
  const { page } = fakePage([undefined as unknown as PageReading]);
  await assert.rejects(
    runRoomEndpoint(page, URL_OK, { durationMs: 250, reportEveryMs: 100, onFigures: () => {} }),
    /the page watch is not in the page/,
  );
});

test('bad input is refused with the problem named, before the page is touched', async () => {
  const { page, calls } = fakePage([]);
  const onFigures = () => {};
  await assert.rejects(runRoomEndpoint(page, 'not a url', { durationMs: 1000, onFigures }), /room URL "not a url" is not a URL/);
  await assert.rejects(runRoomEndpoint(page, 'ws://127.0.0.1/room', { durationMs: 1000, onFigures }), /must be http or https, not "ws:"/);
  await assert.rejects(runRoomEndpoint(page, URL_OK, { durationMs: 0, onFigures }), /durationMs must be a positive number of ms, not 0/);
  await assert.rejects(runRoomEndpoint(page, URL_OK, { durationMs: Number.NaN, onFigures }), /durationMs must be a positive/);
  await assert.rejects(
    runRoomEndpoint(page, URL_OK, { durationMs: 1000, reportEveryMs: 10, onFigures }),
    /reportEveryMs must be at least 100 ms, not 10/,
  );
  assert.equal(calls.initScripts.length + calls.urls.length + calls.reads, 0);
});
