// The store's minutes read on the embedded store (node:sqlite): each minute's
// raw samples averaged (a boolean true 1, false 0), summed and counted per
// window and site; a window is [from, to); a bad query is refused by name.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Point } from '@noc/shared/metrics';
import { EmbeddedStore } from '../../dashboard/server/store/embedded-store.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const MINUTE = 60_000;
const T0 = Math.floor((Date.now() - 3600_000) / 3600_000) * 3600_000;
let dir: Awaited<ReturnType<typeof tempDir>>;
let store: EmbeddedStore;

before(async () => {
  dir = await tempDir('store-minutes');
  store = await EmbeddedStore.open(join(dir.path, 'samples.sqlite'));
  const points: Point[] = [];
  // da-bac: 10 minutes, 6 samples a minute; in minute 2 half the samples unreachable, in minutes 5-6 all.
  for (let m = 0; m < 10; m++) {
    for (let s = 0; s < 6; s++) {
      const reachable = m === 5 || m === 6 ? false : m === 2 ? s % 2 === 0 : true;
      points.push({
        measurement: 'link',
        tags: { site: 'da-bac', target: 'sfu' },
        fields: { reachable, rtt_ms: 40 },
        time: T0 + m * MINUTE + s * 10_000,
      });
      points.push({
        measurement: 'link',
        tags: { site: 'da-bac', target: 'isp' },
        fields: { reachable: false },
        time: T0 + m * MINUTE + s * 10_000,
      });
    }
  }
  // mai-chau: only minutes 0-3, always up.
  for (let m = 0; m < 4; m++)
    points.push({ measurement: 'link', tags: { site: 'mai-chau', target: 'sfu' }, fields: { reachable: true }, time: T0 + m * MINUTE });
  await store.write(points);
});
after(async () => {
  await store?.close();
  await dir?.remove();
});

test('per window and site: the minutes with a mean and the sum of the means', async () => {
  const windows = [
    { from: T0, to: T0 + 10 * MINUTE },
    { from: T0 + 5 * MINUTE, to: T0 + 7 * MINUTE },
    { from: T0 + 20 * MINUTE, to: T0 + 30 * MINUTE },
  ];
  const [all, down, none] = await store.minutes({ measurement: 'link', field: 'reachable', tags: { target: 'sfu' }, windows });
  assert.deepEqual(all, { 'da-bac': { sum: 7.5, minutes: 10 }, 'mai-chau': { sum: 4, minutes: 4 } });
  assert.deepEqual(down, { 'da-bac': { sum: 0, minutes: 2 } }, 'the window ends before its `to`');
  assert.deepEqual(none, {});
  const [rtt] = await store.minutes({ measurement: 'link', field: 'rtt_ms', windows: [windows[0]!] });
  assert.deepEqual(rtt, { 'da-bac': { sum: 400, minutes: 10 } });
});

test('a field that is not numeric or boolean, or a window that ends before it starts, is refused by name', async () => {
  await assert.rejects(
    store.minutes({ measurement: 'power', field: 'status', windows: [{ from: T0, to: T0 + MINUTE }] }),
    /"status" is not a numeric or boolean field of power/,
  );
  await assert.rejects(
    store.minutes({ measurement: 'link', field: 'reachable', windows: [{ from: T0, to: T0 }] }),
    /windows\[0\] must be finite and end after it starts/,
  );
});
