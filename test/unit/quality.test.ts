// The quality model as the README gives it: grades per 20 s window, the vote over the
// last three windows, and the E-model MOS, with worked examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QualityTracker, gradeFromLoss, mos, votedGrade, windowGrade } from '@noc/shared/quality';

test('loss grades a window: <1 % good, <3 % ok, <10 % bad, else terrible', () => {
  assert.equal(gradeFromLoss(0), 'good');
  assert.equal(gradeFromLoss(0.99), 'good');
  assert.equal(gradeFromLoss(1), 'ok');
  assert.equal(gradeFromLoss(2.99), 'ok');
  assert.equal(gradeFromLoss(3), 'bad');
  assert.equal(gradeFromLoss(9.99), 'bad');
  assert.equal(gradeFromLoss(10), 'terrible');
  assert.equal(gradeFromLoss(100), 'terrible');
});

test('jitter above 40 ms lowers a window by one grade, never below terrible', () => {
  assert.equal(windowGrade(0.5, 40), 'good');
  assert.equal(windowGrade(0.5, 40.1), 'ok');
  assert.equal(windowGrade(2, 55), 'bad');
  assert.equal(windowGrade(5, 55), 'terrible');
  assert.equal(windowGrade(50, 200), 'terrible');
  assert.equal(windowGrade(0.5, null), 'good');
});

test('the shown grade is the most frequent of the windows, a tie going to the worse', () => {
  assert.equal(votedGrade(['good', 'bad', 'good']), 'good');
  assert.equal(votedGrade(['bad', 'bad', 'good']), 'bad');
  assert.equal(votedGrade(['good', 'ok', 'terrible']), 'terrible');
  assert.equal(votedGrade(['good', 'ok']), 'ok');
  assert.equal(votedGrade(['ok']), 'ok');
  assert.equal(votedGrade([]), null);
});

test('MOS follows the E-model as the README writes it', () => {
  // RTT 50, jitter 5, loss 0: EL = 50 + 10 + 10 = 70 < 160, so R = 94.768 − 70/40 = 93.018;
  // MOS = 1 + 0.035·93.018 + 7e-6·93.018·33.018·6.982 = 1 + 3.25563 + 0.150105 = 4.405735.
  assert.ok(Math.abs(mos(50, 5, 0) - 4.405735) < 1e-6);
  // RTT 200, jitter 30, loss 2 %: EL = 200 + 60 + 10 = 270 ≥ 160, so R = 94.768 − 150/10 = 79.768,
  // minus 2.5·2 = 74.768; MOS = 1 + 2.61688 + 7e-6·74.768·14.768·25.232 = 1 + 2.61688 + 0.195024 = 3.811904.
  assert.ok(Math.abs(mos(200, 30, 2) - 3.811904) < 1e-6);
  // The two branches at EL = 160: RTT 130, jitter 10 gives EL = 160, R = 94.768 − 40/10 = 90.768,
  // MOS = 1 + 3.17688 + 7e-6·90.768·30.768·9.232 = 4.357359; RTT 129 gives EL = 159,
  // R = 94.768 − 159/40 = 90.793, MOS = 4.357941.
  assert.ok(Math.abs(mos(130, 10, 0) - 4.357359) < 1e-6);
  assert.ok(Math.abs(mos(129, 10, 0) - 4.357941) < 1e-6);
  // 40 % loss: R = 94.768 − 34/40 − 100 = −6.082 < 0, which G.107 maps to MOS 1.
  assert.equal(mos(20, 2, 40), 1);
  // A perfect link cannot pass the E-model's ceiling (R = 93.2 → 4.41).
  assert.ok(mos(0, 0, 0) < 4.5);
});

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 20_000); // the start of a 20 s window

function feed(tracker: QualityTracker, from: number, seconds: number, loss: number, jitter = 3, rtt = 40): void {
  for (let s = 0; s < seconds; s++) tracker.add({ time: from + s * 1000, lossPct: loss, jitterMs: jitter, rttMs: rtt });
}

test('a site with steady 0.2 % loss is good, with its MOS from the last 20 s', () => {
  const q = new QualityTracker();
  feed(q, T0, 60, 0.2, 4, 40);
  const now = q.current(T0 + 59_500);
  assert.equal(now.grade, 'good');
  assert.deepEqual(now.windows, ['good', 'good', 'good']);
  assert.ok(Math.abs(now.mos! - mos(40, 4, 0.2)) < 1e-9);
});

test('one bad window among three does not flicker the grade; two do change it', () => {
  const q = new QualityTracker();
  feed(q, T0, 20, 0);
  feed(q, T0 + 20_000, 20, 5); // 5 % loss: bad
  feed(q, T0 + 40_000, 1, 0);
  assert.equal(q.current(T0 + 40_500).grade, 'good', 'good, bad, good → good');
  feed(q, T0 + 41_000, 19, 5);
  feed(q, T0 + 60_000, 1, 5);
  assert.equal(q.current(T0 + 60_500).grade, 'bad', 'bad, bad, bad → bad');
});

test('the windows vote on mean loss and jitter; high jitter costs a grade', () => {
  const q = new QualityTracker();
  // Half the seconds at 0 % and half at 1.6 %: mean 0.8 % → good, but jitter 45 ms → ok.
  for (let s = 0; s < 60; s++) q.add({ time: T0 + s * 1000, lossPct: s % 2 ? 1.6 : 0, jitterMs: 45, rttMs: 30 });
  assert.deepEqual(q.current(T0 + 59_000).windows, ['ok', 'ok', 'ok']);
});

test('without a sample for 10 s there is no grade: old data claims nothing', () => {
  const q = new QualityTracker();
  feed(q, T0, 30, 0);
  assert.equal(q.current(T0 + 29_000 + 10_000).grade, 'good');
  const stale = q.current(T0 + 29_000 + 10_001);
  assert.equal(stale.grade, null);
  assert.equal(stale.mos, null);
  assert.equal(stale.lastSampleAt, T0 + 29_000);
});

test('samples back-filled out of order count once per timestamp', () => {
  const q = new QualityTracker();
  feed(q, T0 + 10_000, 10, 0);
  feed(q, T0, 20, 0); // the gap and a repeat of what was already there
  assert.equal(q.size, 20);
  q.add({ time: T0 + 5_000, rttMs: 99 }); // fills nothing in: the sample already had an RTT
  assert.equal(q.size, 20);
});

test('a link sample without loss (an unreachable echo) is kept but votes only with loss', () => {
  const q = new QualityTracker();
  for (let s = 0; s < 20; s++) q.add({ time: T0 + s * 1000, lossPct: 100 });
  const now = q.current(T0 + 19_000);
  assert.equal(now.grade, 'terrible');
  assert.equal(now.mos, null, 'no RTT, no MOS');
});
