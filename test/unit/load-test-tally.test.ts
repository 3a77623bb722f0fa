// What the runner makes of the scenarios' datagrams: seats, join p95, the
// signalling error rate, the sinks' loss, the browsers' figures, the wall
// clients on the live feed, and the summary and curve taken from the figures
// of a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadTestFigures } from '@noc/shared/load-test';
import { parseFigureDatagram } from '@noc/loadtest/figure-datagram';
import { FigureTally } from '@noc/loadtest/runner/figure-tally';
import { percentile } from '@noc/loadtest/runner/percentile';
import { curveOf, summarise } from '@noc/loadtest/runner/run-summary';

test('percentile is nearest-rank', () => {
  assert.equal(percentile([], 95), null);
  assert.equal(percentile([5], 95), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95), 19);
  assert.equal(percentile([30, 10, 20], 50), 20);
});

test('datagrams that are not figures are ignored', () => {
  assert.equal(parseFigureDatagram('not json'), null);
  assert.equal(parseFigureDatagram('{"k":"other"}'), null);
  assert.deepEqual(parseFigureDatagram('{"k":"seat-left","site":"da-bac"}'), { k: 'seat-left', site: 'da-bac' });
});

test('the tally adds up seats, signalling, sinks and browsers', () => {
  const t = new FigureTally();
  for (let i = 1; i <= 20; i++) t.add({ k: 'seat-joined', site: 'da-bac', joinMs: i * 10 });
  t.add({ k: 'seat-left', site: 'da-bac' });
  t.add({ k: 'seat-failed', site: 'mai-chau', error: 'limit-reached' });
  t.add({ k: 'signalling', requests: 190, errors: 0 });
  t.add({ k: 'signalling', requests: 10, errors: 2 });
  t.add({ k: 'sink', id: 'seat-0', expected: 100, received: 90, jitterMs: 2 });
  // A later datagram of the same sink replaces the earlier one (they are cumulative).
  t.add({ k: 'sink', id: 'seat-0', expected: 200, received: 190, jitterMs: 2 });
  t.add({ k: 'sink', id: 'seat-1', expected: 200, received: 200, jitterMs: 1 });
  t.add({ k: 'browser', site: 'da-bac', fps: null, firstPictureMs: null, freezeMaxMs: 0, audioJitterMs: null });
  t.add({ k: 'browser', site: 'da-bac', fps: 14, firstPictureMs: 900, freezeMaxMs: 1200, audioJitterMs: 3 });
  t.add({ k: 'browser', site: 'da-bac', fps: 15, firstPictureMs: 900, freezeMaxMs: 0, audioJitterMs: 4 });
  assert.equal(t.seatsJoined, 19);
  assert.equal(t.seatsFailed, 1);
  assert.equal(t.joinP95Ms(), 190);
  assert.equal(t.signallingErrorPct(), 1);
  assert.equal(t.receiverLossPct(), 2.5);
  assert.equal(t.browserFps(), 15);
  // The mean of its periods until it sends its whole stay's rate, then that.
  assert.equal(t.browserFpsMin(), 14.5);
  t.add({ k: 'browser', site: 'mai-chau', fps: 12, firstPictureMs: 700, freezeMaxMs: 0, audioJitterMs: null });
  assert.equal(t.browserFpsMin(), 12);
  t.add({ k: 'browser', site: 'mai-chau', fps: 14.8, firstPictureMs: 700, freezeMaxMs: 0, audioJitterMs: null, final: true });
  assert.equal(t.browserFpsMin(), 14.5);
  assert.equal(t.browserFps(), 12);
  assert.equal(t.firstPictureMs(), 900);
  assert.equal(t.freezeMaxMs(), 1200);
});

function figure(t: number, consumers: number, cpus: number[], seatsJoined: number): LoadTestFigures {
  return {
    t,
    seatsWanted: 10,
    seatsJoined,
    joinP95Ms: null,
    signallingRequests: 0,
    signallingErrors: 0,
    workers: cpus.map((cpuPct, i) => ({ worker: `main/${i + 1}`, cpuPct, consumers: consumers / cpus.length })),
    consumers,
    receiverLossPct: 0,
    browserFps: null,
    firstPictureMs: null,
    freezeMaxMs: null,
    audioJitterMs: null,
    generatorCpuPct: 10,
  };
}

test("the tally counts the walls on the live feed, their events and the p95 of the samples' delay", () => {
  const t = new FigureTally();
  assert.deepEqual(parseFigureDatagram('{"k":"wall","id":"wall-0","connected":true,"events":3,"delaysMs":[]}'), {
    k: 'wall',
    id: 'wall-0',
    connected: true,
    events: 3,
    delaysMs: [],
  });
  assert.equal(t.wallsConnected(), 0);
  assert.equal(t.liveFeedDelayP95Ms(), null);
  t.add({ k: 'wall', id: 'wall-0', connected: true, events: 3, delaysMs: [] });
  t.add({ k: 'wall', id: 'wall-1', connected: true, events: 5, delaysMs: Array.from({ length: 10 }, (_, i) => (i + 1) * 10) });
  t.add({ k: 'wall', id: 'wall-0', connected: true, events: 2, delaysMs: Array.from({ length: 10 }, (_, i) => (i + 11) * 10) });
  assert.equal(t.wallsConnected(), 2);
  assert.equal(t.liveFeedEvents, 10);
  assert.equal(t.liveFeedDelayP95Ms(), 190);
  // A wall whose feed closed no longer counts; the most at once stays in the summary.
  t.add({ k: 'wall', id: 'wall-1', connected: false, events: 0, delaysMs: [] });
  assert.equal(t.wallsConnected(), 1);
  const summary = summarise({ seatsWanted: 0, tally: t, figures: [], steadyFrom: 0, walls: true });
  assert.equal(summary.wallsConnected, 2);
  assert.equal(summary.liveFeedEvents, 10);
  assert.equal(summary.liveFeedDelayP95Ms, 190);
  // A run without walls has no wall figures in its summary.
  assert.equal('wallsConnected' in summarise({ seatsWanted: 0, tally: t, figures: [], steadyFrom: 0 }), false);
});

test('the summary takes the busiest worker over the steady part, the curve every figure', () => {
  const figures = [figure(1000, 4, [5, 3], 2), figure(3000, 12, [12, 4], 6), figure(5000, 20, [20, 6], 10), figure(7000, 20, [22, 6], 10)];
  const t = new FigureTally();
  const summary = summarise({ seatsWanted: 10, tally: t, figures, steadyFrom: 5000 });
  assert.equal(summary.seatsJoined, 10);
  assert.equal(summary.workerCpuPct, 21);
  assert.equal(summary.consumers, 20);
  assert.equal(summary.generatorCpuPct, 10);
  assert.deepEqual(
    curveOf(figures).map((p) => [p.consumers, p.cpuPct]),
    [
      [4, 5],
      [12, 12],
      [20, 20],
      [20, 22],
    ],
  );
});
