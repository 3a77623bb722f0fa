// The probe's disk spool: what a site relies on to lose no sample while the NOC
// is unreachable, and to lose only the oldest, counted, when the spool fills.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import type { ProbeSample } from '@noc/shared/metrics';
import { Spool, type SpoolOptions } from '../../probes/src/spool/spool.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const heartbeat = (seq: number, time = 1_700_000_000_000 + seq): ProbeSample => ({ measurement: 'probe', tags: {}, fields: { seq }, time });
const heartbeats = (from: number, to: number): ProbeSample[] => Array.from({ length: to - from + 1 }, (_, i) => heartbeat(from + i));
const seqs = (records: { json: string }[]): number[] => records.map((r) => (JSON.parse(r.json) as { fields: { seq: number } }).fields.seq);
/** The ids stored in the spool's file, read straight from it. */
const storedIds = (dir: string): number[] => {
  const db = new DatabaseSync(join(dir, 'spool.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT id FROM entries ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  } finally {
    db.close();
  }
};
const spoolModule = fileURLToPath(new URL('../../probes/src/spool/spool.ts', import.meta.url));

describe('probe spool', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let n = 0;
  const warnings: string[] = [];
  const open = (dir: string, opts: Partial<SpoolOptions> = {}) =>
    Spool.open({ dir, log: { info: () => undefined, warn: (m) => warnings.push(m) }, ...opts });
  const freshDir = () => `${root.path}/spool-${++n}`;

  before(async () => {
    root = await tempDir('probe-spool');
  });
  after(() => root.remove());

  test('hands samples out oldest first, with their time, and keeps them until acknowledged', () => {
    const spool = open(freshDir());
    spool.append(heartbeats(1, 5));
    spool.append([{ measurement: 'env', tags: {}, fields: { temp_c: 27 } }], 1_700_000_999_000);
    assert.equal(spool.depth, 6);
    const all = spool.oldest(10);
    assert.deepEqual(
      all.map((r) => r.id),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal((JSON.parse(all[5]!.json) as { time: number }).time, 1_700_000_999_000, 'a sample without time gets the append time');
    assert.deepEqual(seqs(spool.oldest(2)), [1, 2]);

    spool.ack([1, 2]);
    assert.equal(spool.depth, 4);
    assert.deepEqual(seqs(spool.oldest(2)), [3, 4]);
    // Live samples can be acknowledged before the backlog: the rest keep their order.
    spool.ack([5]);
    assert.deepEqual(
      spool.oldest(10).map((r) => r.id),
      [3, 4, 6],
    );
    assert.deepEqual(
      spool.from(4, 10).map((r) => r.id),
      [4, 6],
    );
    assert.deepEqual(
      spool.oldest(10, 4).map((r) => r.id),
      [3],
    );
    spool.ack([3, 4, 6, 99]);
    assert.equal(spool.depth, 0);
    assert.deepEqual(spool.oldest(10), []);
    spool.close();
  });

  test('when full it drops the oldest samples, counts them and says so', () => {
    const seen = warnings.length;
    const spool = open(freshDir(), { maxSamples: 10 });
    spool.append(heartbeats(1, 8));
    spool.append(heartbeats(9, 15));
    assert.equal(spool.depth, 10);
    assert.equal(spool.dropped, 5);
    assert.deepEqual(seqs(spool.oldest(100)), [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    assert.match(warnings.slice(seen).join('\n'), /spool full.*dropped the 5 oldest samples, 5 since start/);
    spool.close();

    // The byte limit works the same way.
    const small = open(freshDir(), { maxBytes: 64 * 1024 });
    const big = { measurement: 'power', tags: {}, fields: { status: 'X'.repeat(60) } } as const;
    for (let i = 0; i < 1000; i++) small.append([{ ...big, time: 1_700_000_000_000 + i }]);
    assert.ok(small.bytes <= 64 * 1024, `${small.bytes} bytes kept`);
    assert.ok(small.dropped > 0 && small.depth + small.dropped === 1000, `depth ${small.depth} + dropped ${small.dropped}`);
    assert.equal(JSON.parse(small.oldest(1)[0]!.json).time, 1_700_000_000_000 + small.dropped, 'the oldest went first');
    small.close();
  });

  test('a new instance on the same folder takes up what was not acknowledged, in order', () => {
    const dir = freshDir();
    const first = open(dir);
    first.append(heartbeats(1, 10));
    first.ack([1, 2, 3, 4, 5]);
    first.close();
    assert.deepEqual(storedIds(dir), [6, 7, 8, 9, 10], 'acknowledged samples are gone from the disk');

    const second = open(dir);
    assert.equal(second.depth, 5);
    assert.deepEqual(seqs(second.oldest(100)), [6, 7, 8, 9, 10]);
    second.append(heartbeats(11, 12));
    assert.deepEqual(
      second.oldest(100).map((r) => r.id),
      [6, 7, 8, 9, 10, 11, 12],
      'ids go on where the last run stopped',
    );
    second.ack(second.oldest(100).map((r) => r.id));
    second.close();
    assert.deepEqual(storedIds(dir), [], 'nothing is left on disk once everything is acknowledged');

    const third = open(dir);
    assert.equal(third.depth, 0);
    assert.equal(third.nextId, 13);
    third.close();
  });

  test('a process that dies without closing the spool loses nothing it wrote', () => {
    const dir = freshDir();
    // Appends 1-3, acknowledges 1 and exits without close(): no final sync, the lock file stays.
    const script = `
      const { Spool } = await import(${JSON.stringify(spoolModule)});
      const spool = Spool.open({ dir: ${JSON.stringify(dir)}, fsyncIntervalMs: 60000 });
      spool.append([1, 2, 3].map((seq) => ({ measurement: 'probe', tags: {}, fields: { seq }, time: 1700000000000 + seq })));
      spool.ack([1]);
      process.exit(0);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);

    const spool = open(dir);
    const left = seqs(spool.oldest(100));
    // Sample 1 may come back (its acknowledgement was not saved yet): a duplicate, never a loss.
    assert.ok(left.includes(2) && left.includes(3), `left: ${left}`);
    spool.append(heartbeats(4, 4));
    assert.equal(spool.oldest(100).at(-1)!.id, 4);
    spool.close();
  });

  test('an agent killed (SIGKILL) while writing keeps every sample it stored, once, and none it acknowledged', async () => {
    const dir = freshDir();
    // Writes batches of 1-20 heartbeats with increasing seq; before each it prints
    // "B <first> <last>", after it "A <last>"; now and then it acknowledges the
    // oldest waiting samples, printing "k <seq> <seq> …" before and "K" after.
    const script = `
      const { writeSync } = await import('node:fs');
      const { Spool } = await import(${JSON.stringify(spoolModule)});
      const spool = Spool.open({ dir: ${JSON.stringify(dir)} });
      let seq = 0;
      for (let round = 1; ; round++) {
        const n = 1 + Math.floor(Math.random() * 20);
        const batch = Array.from({ length: n }, () => ({ measurement: 'probe', tags: {}, fields: { seq: ++seq }, time: 1700000000000 + seq }));
        writeSync(1, 'B ' + (seq - n + 1) + ' ' + seq + '\\n');
        spool.append(batch);
        writeSync(1, 'A ' + seq + '\\n');
        if (round % 3 === 0) {
          const done = spool.oldest(1 + Math.floor(Math.random() * 15));
          writeSync(1, 'k ' + done.map((r) => JSON.parse(r.json).fields.seq).join(' ') + '\\n');
          spool.ack(done.map((r) => r.id));
          writeSync(1, 'K\\n');
        }
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const startedAt = Date.now();
    while (!/^A /m.test(out) && Date.now() - startedAt < 10_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    assert.match(out, /^A /m, `the writer got going: ${err}`);
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    // Only whole lines count: a line cut by the kill says nothing.
    const lines = out.slice(0, out.lastIndexOf('\n')).split('\n');
    let stored = 0;
    let intent: [number, number] | null = null;
    const acked = new Set<number>();
    /** An acknowledgement the kill may have cut: its samples may be there or not. */
    let acking: number[] = [];
    for (const line of lines) {
      const [kind, ...nums] = line.split(' ').map((w, i) => (i === 0 ? w : Number(w))) as [string, ...number[]];
      if (kind === 'B') intent = [nums[0]!, nums[1]!];
      else if (kind === 'A') [stored, intent] = [nums[0]!, null];
      else if (kind === 'k') acking = nums;
      else if (kind === 'K') {
        for (const n of acking) acked.add(n);
        acking = [];
      }
    }
    assert.ok(stored > 0);

    const spool = open(dir);
    const records = spool.oldest(1_000_000);
    const seqsLeft = seqs(records);
    assert.equal(spool.depth, records.length);
    assert.equal(new Set(seqsLeft).size, seqsLeft.length, 'no sample stored twice');
    assert.deepEqual(
      records.map((r) => r.id),
      [...records.map((r) => r.id)].sort((a, b) => a - b),
      'in order',
    );
    const left = new Set(seqsLeft);
    for (let n = 1; n <= stored; n++) {
      if (acking.includes(n)) continue;
      assert.equal(left.has(n), !acked.has(n), `sample ${n} ${acked.has(n) ? 'was acknowledged' : 'was stored'}`);
    }
    // The batch being written when the kill came is all there or not at all; nothing beyond it.
    const beyond = seqsLeft.filter((n) => n > stored);
    if (intent) assert.ok(beyond.length === 0 || beyond.length === intent[1] - intent[0] + 1, `a torn batch: ${beyond.join(' ')}`);
    assert.ok(
      beyond.every((n) => intent && n >= intent[0] && n <= intent[1]),
      `samples nobody wrote: ${beyond.join(' ')}`,
    );
    const lastId = records.at(-1)?.id ?? 0;
    spool.append(heartbeats(1_000_000, 1_000_000));
    assert.ok(spool.oldest(1_000_000).at(-1)!.id > lastId, 'new ids come after the old ones');
    spool.close();
  });

  test('a spool of the earlier JSONL format is taken up on open, and its files removed', () => {
    const dir = freshDir();
    mkdirSync(dir);
    const line = (id: number) => JSON.stringify({ id, sample: heartbeat(id) });
    writeFileSync(join(dir, 'seg-0000000000000001.jsonl'), [1, 2, 3, 4].map(line).join('\n') + '\n');
    // The newest segment ends in a line a crash cut short.
    writeFileSync(join(dir, 'seg-0000000000000005.jsonl'), [5, 6].map(line).join('\n') + '\n{"id":7,"sam');
    writeFileSync(join(dir, 'head.json'), '{"head":3}\n');
    const infos: string[] = [];
    const spool = Spool.open({ dir, log: { info: (m) => infos.push(m), warn: (m) => warnings.push(m) } });
    assert.deepEqual(seqs(spool.oldest(100)), [3, 4, 5, 6], 'the samples not done, in order');
    assert.match(infos.join('\n'), /took up 4 samples from the spool's earlier format .*; skipped 1 unreadable lines/);
    assert.deepEqual(
      readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl') || f === 'head.json')
        .sort(),
      [],
    );
    spool.close();
    const again = open(dir);
    assert.deepEqual(seqs(again.oldest(100)), [3, 4, 5, 6], 'taken up once');
    again.close();
  });

  test('a second spool on a folder in use is refused', () => {
    const dir = freshDir();
    const spool = open(dir);
    assert.throws(() => open(dir), /is in use by process \d+/);
    spool.close();
    open(dir).close();
  });
});
