// The durable queue and the probe's spool on a full disk (a 1 MiB tmpfs,
// filled): a write the disk refuses is rolled back whole and thrown as
// DiskFullError, what was stored stays, the queue opens on the full disk (also
// after its writer was killed), and takes writes again once space returns; an
// acknowledgement the spool's disk refuses is not handed out again and is done
// once there is space.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DiskFullError, DurableQueue } from '@noc/shared/durable-queue';
import { Spool } from '../../probes/src/spool/spool.ts';
import { mountSmallFs } from '../fixtures/small-fs.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const filler = (i: number) => ({ text: `${i}:${'x'.repeat(2000)}` });

test('a full disk refuses a queue write whole, the queue opens there after a kill, and takes writes when space returns', async () => {
  const dir = await tempDir('queue-disk-full');
  const fs = await mountSmallFs(join(dir.path, 'fs'), 1024 * 1024);
  const file = join(fs.path, 'q.sqlite');
  try {
    // A writer that stores five entries, fills the disk, and is killed (SIGKILL) after its first refused append.
    const writer = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DurableQueue } from '@noc/shared/durable-queue';
         import { statfsSync, writeFileSync } from 'node:fs';
         const q = DurableQueue.open({ file: ${JSON.stringify(file)}, durability: 'power-cut' });
         for (let i = 1; i <= 5; i++) q.append([{ text: i + ':' + 'x'.repeat(2000) }]);
         const s = statfsSync(${JSON.stringify(fs.path)});
         try { writeFileSync(${JSON.stringify(join(fs.path, '.filler'))}, Buffer.alloc(s.bavail * s.bsize)); } catch {}
         for (let i = 6; ; i++) {
           try { q.append([{ text: i + ':' + 'x'.repeat(2000) }]); } catch (err) { console.log(err.name); process.kill(process.pid, 'SIGKILL'); }
         }`,
      ],
      { cwd: join(import.meta.dirname, '../../shared'), encoding: 'utf8' },
    );
    assert.equal(writer.signal, 'SIGKILL', writer.stderr);
    assert.equal(writer.stdout.trim(), 'DiskFullError');
    assert.ok((await fs.free()) < 4096, 'the disk is full');

    const q = DurableQueue.open({ file, durability: 'power-cut' });
    const stored = q.entries;
    assert.ok(stored >= 5, `what the killed writer stored is there: ${stored}`);
    assert.deepEqual(
      q.read(Infinity).map((e) => Number(e.text.split(':')[0])),
      Array.from({ length: stored }, (_, i) => i + 1),
      'in order, none torn',
    );
    assert.throws(() => q.append([filler(100), filler(101)]), DiskFullError);
    assert.equal(q.entries, stored, 'nothing of the refused append is stored');

    await fs.release();
    q.append([filler(100)]);
    assert.equal(q.entries, stored + 1);
    q.close();
  } finally {
    await fs.remove();
    await dir.remove();
  }
});

test('the probe spool on a full disk: appends refused whole, acknowledged samples not handed out again, deleted once there is space', async () => {
  const dir = await tempDir('spool-disk-full');
  const fs = await mountSmallFs(join(dir.path, 'fs'), 1024 * 1024);
  const warnings: string[] = [];
  const spool = Spool.open({ dir: fs.path, fsyncIntervalMs: 0, log: { info: () => {}, warn: (m) => warnings.push(m) } });
  const sample = (seq: number) => ({
    measurement: 'probe' as const,
    tags: {},
    fields: { seq, pad: 'x'.repeat(1500) },
    time: 1_700_000_000_000 + seq,
  });
  try {
    for (let seq = 1; seq <= 20; seq++) spool.append([sample(seq)]);
    await fs.fill();
    let next = 21;
    assert.throws(() => {
      for (; ; next++) spool.append([sample(next)]);
    }, DiskFullError);
    const depth = spool.depth;
    assert.equal(depth, next - 1, 'every append before the refused one is stored, the refused one is not');

    // Acknowledge the oldest ten, whether or not the disk lets the deletion through.
    const oldest = spool.oldest(10);
    spool.ack(oldest.map((r) => r.id));
    assert.equal(spool.depth, depth - 10);
    assert.deepEqual(
      spool.oldest(5).map((r) => (JSON.parse(r.json) as { fields: { seq: number } }).fields.seq),
      [11, 12, 13, 14, 15],
      'acknowledged samples are not handed out again',
    );

    await fs.release();
    spool.append([sample(next)]);
    spool.close();
    const reopened = Spool.open({ dir: fs.path });
    assert.equal(reopened.depth, depth - 10 + 1, 'after space returns the acknowledged samples are gone from the disk too');
    reopened.close();
    assert.ok(!warnings.some((w) => /dropping/.test(w)), warnings.join('\n'));
  } finally {
    spool.close();
    await fs.remove();
    await dir.remove();
  }
});
