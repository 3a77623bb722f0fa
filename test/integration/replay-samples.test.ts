// What a replay reads of the sample store, on the embedded store (node:sqlite):
// within the raw samples' 14 days every point up to the moment; beyond them
// the 1-minute means, each standing at the end of its minute and never after
// the moment.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Point } from '@noc/shared/metrics';
import { readReplaySamples } from '../../dashboard/server/replay/replay-samples.ts';
import { EmbeddedStore } from '../../dashboard/server/store/embedded-store.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
let dir: Awaited<ReturnType<typeof tempDir>>;
let store: EmbeddedStore;
const now = Date.now();
/** A moment beyond the raw retention, and one within it. */
const OLD = Math.floor((now - 20 * DAY) / 1000) * 1000 + 30_500;
const RECENT = Math.floor((now - 2 * 3600_000) / 1000) * 1000 + 500;

/** 15 minutes of one site's seconds up to `at` (2 % loss), and one second after it (50 % loss, which no read may show). */
function quarterHour(at: number): Point[] {
  const points: Point[] = [];
  for (let t = at - 15 * MINUTE; t <= at + 1000; t += 1000) {
    const loss = t > at ? 50 : 2;
    points.push({ measurement: 'probe', tags: { site: 'da-bac' }, fields: { seq: t / 1000 }, time: t });
    points.push({
      measurement: 'link',
      tags: { site: 'da-bac', target: 'sfu' },
      fields: { rtt_ms: 40, loss_pct: loss, jitter_ms: 3 },
      time: t,
    });
  }
  return points;
}

before(async () => {
  dir = await tempDir('replay-samples');
  store = await EmbeddedStore.open(join(dir.path, 'samples.sqlite'));
  await store.write([...quarterHour(OLD), ...quarterHour(RECENT)]);
});
after(async () => {
  await store?.close();
  await dir?.remove();
});

test('within 14 days: every raw point up to the moment', async () => {
  const r = await readReplaySamples(store, RECENT, undefined, now);
  assert.equal(r.source, 'raw');
  const link = r.samples.filter((s) => s.measurement === 'link');
  assert.equal(link.length, 61, 'the last minute of link samples, one a second');
  assert.ok(link.every((s) => s.fields.loss_pct === 2 && s.time <= RECENT));
  const beats = r.samples.filter((s) => s.measurement === 'probe' && s.fields.seq !== undefined);
  assert.deepEqual(
    beats.map((s) => s.time),
    [RECENT],
    'the newest heartbeat at or before the moment',
  );
  assert.equal(r.rtt['da-bac']!.length, 901);
});

test('beyond 14 days: the 1-minute means, each at the end of its minute, none after the moment', async () => {
  const r = await readReplaySamples(store, OLD, undefined, now);
  assert.equal(r.source, 'year');
  const link = r.samples.filter((s) => s.measurement === 'link');
  assert.ok(link.length >= 2 && link.length <= 3, `${link.length} minutes`);
  assert.ok(
    link.every((s) => (s.time <= OLD && (s.time + 1) % MINUTE === 0) || s.time === OLD),
    JSON.stringify(link.map((s) => s.time)),
  );
  assert.ok(
    link.every((s) => s.fields.loss_pct === 2),
    'the second after the moment is in no mean',
  );
  const rtt = r.rtt['da-bac']!;
  assert.ok(rtt.length >= 15 && rtt.length <= 17, `${rtt.length} means`);
  assert.ok(rtt.every(([t]) => t <= OLD));
  const beat = r.samples.find((s) => s.measurement === 'probe' && s.fields.seq !== undefined)!;
  assert.ok(OLD - beat.time < MINUTE, 'heard within the minute of the moment');
});
