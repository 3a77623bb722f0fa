// Incidents at a past moment, rebuilt from the records and timelines the
// incident engine writes (on a clock the test moves): not yet open, open,
// acknowledged (by whom), resolved, reopened, its severity as it was then.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { incidentsAt } from '../../dashboard/server/replay/incidents-at.ts';
import { engineBench } from '../fixtures/incident-engine.ts';

const SITE = 'mai-chau';

test('an offline incident: open, acknowledged, resolved, reopened — each moment as it stood', async () => {
  const bench = await engineBench();
  try {
    const start = bench.now;
    bench.run(30);
    bench.run(20, undefined, [SITE]);
    const [opened] = bench.incidents('siteOffline', SITE);
    assert.ok(opened && opened.state === 'open');
    // Acknowledged as the incident API records it.
    const ackAt = bench.now;
    bench.store.update(opened.id, { state: 'acknowledged', acknowledgedAt: ackAt, acknowledgedBy: 'dieuhanh' }, [
      { kind: 'acknowledged', at: ackAt, by: 'dieuhanh', text: 'đang gọi điện cho điểm cầu' },
    ]);
    bench.run(5, undefined, [SITE]);
    bench.run(20);
    const resolvedAt = bench.incidents('siteOffline', SITE)[0]!.resolvedAt!;
    assert.ok(resolvedAt > ackAt);
    bench.run(20, undefined, [SITE]);
    const now = bench.incidents('siteOffline', SITE)[0]!;
    assert.equal(now.reopenCount, 1, 'it came back');
    assert.equal(now.state, 'open');

    const at = (t: number) => incidentsAt(bench.store, t, null).filter((i) => i.site === SITE);
    assert.deepEqual(at(start + 10_000), [], 'before it opened');
    assert.deepEqual(
      at(opened.openedAt).map((i) => [i.state, i.acknowledgedBy, i.reopenCount]),
      [['open', null, 0]],
    );
    assert.deepEqual(
      at(ackAt + 1000).map((i) => [i.state, i.acknowledgedBy, i.acknowledgedAt, i.resolvedAt]),
      [['acknowledged', 'dieuhanh', ackAt, null]],
    );
    assert.deepEqual(at(resolvedAt + 1000), [], 'resolved then: not among the open ones');
    assert.deepEqual(
      at(bench.now).map((i) => [i.state, i.acknowledgedBy, i.reopenCount]),
      [['open', null, 1]],
      'reopened: open again, the acknowledgement gone',
    );
    assert.equal(at(bench.now)[0]!.openedAt, opened.openedAt, 'the same incident, since its first opening');
    assert.deepEqual(incidentsAt(bench.store, ackAt + 1000, ['da-bac']), [], 'another site only');
  } finally {
    await bench.close();
  }
});

test("a loss incident's severity as it was: warning first, major later", async () => {
  const bench = await engineBench();
  try {
    const loss = (pct: number) => () => {
      bench.feed('da-bac', 'probe', { seq: 1, spool_depth: 0 });
      bench.feed('da-bac', 'link', { rtt_ms: 40, jitter_ms: 3, loss_pct: pct }, { target: 'sfu' });
    };
    bench.run(30);
    bench.run(60, loss(3), ['da-bac']);
    const warningAt = bench.now;
    bench.run(60, loss(9), ['da-bac']);
    const now = bench.incidents('lossHigh', 'da-bac')[0]!;
    assert.equal(now.severity, 'major');
    const at = (t: number) => incidentsAt(bench.store, t, null).filter((i) => i.rule === 'lossHigh');
    assert.deepEqual(
      at(warningAt).map((i) => i.severity),
      ['warning'],
    );
    assert.deepEqual(
      at(bench.now).map((i) => i.severity),
      ['major'],
    );
    assert.notDeepEqual(at(warningAt)[0]!.params, now.params, 'its figures as they were then');
  } finally {
    await bench.close();
  }
});
