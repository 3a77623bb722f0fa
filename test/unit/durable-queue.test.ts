// The durable queue under the probe's spool and the gateway's buffer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { DurableQueue } from '@noc/shared/durable-queue';
import { tempDir } from '../fixtures/temp-dir.ts';

let root: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
const freshFile = () => `${root.path}/queue-${++n}.sqlite`;

before(async () => {
  root = await tempDir('durable-queue');
});
after(() => root.remove());

test('entries come back oldest first with their counts, and the totals follow appends and removals', () => {
  const q = DurableQueue.open({ file: freshFile(), durability: 'process' });
  assert.deepEqual(q.append([{ text: 'a' }, { text: 'ơi', count: 3 }, { text: 'ccc', count: 2 }]), [1, 2, 3]);
  assert.deepEqual([q.entries, q.count, q.bytes], [3, 6, 1 + 3 + 3]);
  assert.deepEqual(
    q.read(10).map((e) => [e.id, e.text, e.count]),
    [
      [1, 'a', 1],
      [2, 'ơi', 3],
      [3, 'ccc', 2],
    ],
  );
  assert.deepEqual(
    q.read(10, 2).map((e) => e.id),
    [2, 3],
  );
  assert.deepEqual(
    q.read(10, 0, 3).map((e) => e.id),
    [1, 2],
  );
  assert.deepEqual(q.remove([2, 99]), { entries: 1, count: 3, bytes: 3 });
  assert.deepEqual(q.removeThrough(3), { entries: 2, count: 3, bytes: 4 });
  assert.deepEqual([q.entries, q.count, q.bytes], [0, 0, 0]);
  q.close();
});

test('a reopened queue has what was left, and ids are never reused, even once it was empty', () => {
  const file = freshFile();
  const q = DurableQueue.open({ file, durability: 'power-cut' });
  q.append([{ text: 'x' }, { text: 'y' }]);
  q.remove([1]);
  q.close();
  const again = DurableQueue.open({ file, durability: 'power-cut' });
  assert.deepEqual([again.entries, again.count, again.bytes, again.nextId], [1, 1, 1, 3]);
  again.removeThrough(2);
  again.close();
  const third = DurableQueue.open({ file, durability: 'process' });
  assert.deepEqual(third.append([{ text: 'z' }]), [3]);
  third.close();
});

test('an append is all or nothing, and bad input is refused naming the problem', () => {
  const q = DurableQueue.open({ file: freshFile(), durability: 'process' });
  assert.throws(() => q.append([{ text: 'ok' }, { text: 'bad', count: -1 }]), /count must be a whole number ≥ 0, got -1/);
  assert.equal(q.entries, 0);
  assert.deepEqual(q.read(10), []);
  q.close();
  assert.throws(() => q.read(1), /is closed/);
  const notAQueue = `${root.path}/not-a-queue.sqlite`;
  writeFileSync(notAQueue, 'this is not a database, just text long enough to have a header of sorts...............');
  assert.throws(() => DurableQueue.open({ file: notAQueue, durability: 'process' }), /not-a-queue\.sqlite/);
});
