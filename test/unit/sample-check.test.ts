// The gateway's fast check of a probe's batch never accepts what the metrics
// schema refuses, and accepts what the schema accepts (so the schema only
// runs for bad batches, to name the problem).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestBatchSchema, MAX_SAMPLES_PER_BATCH, SAMPLE_MAX_AGE_MS, SAMPLE_MAX_AHEAD_MS } from '@noc/shared/metrics';
import { acceptProbeBatch } from '@noc/shared/sample-check';

const NOW = Date.now();

/** Both checks at the same moment: the fast one may accept only what the schema accepts. */
function agree(body: unknown, expectAccepted: boolean | null = null): void {
  const fast = acceptProbeBatch(body, Date.now());
  const schema = ingestBatchSchema.safeParse(body);
  const text = JSON.stringify(body).slice(0, 300);
  if (fast !== null) assert.ok(schema.success, `the fast check accepted what the schema refuses: ${text}`);
  assert.equal(fast !== null, schema.success, `the fast check and the schema disagree on ${text}`);
  if (expectAccepted !== null) assert.equal(schema.success, expectAccepted, `expected ${expectAccepted ? 'accepted' : 'refused'}: ${text}`);
}

const link = () => ({
  measurement: 'link',
  tags: { target: 'sfu' },
  fields: { rtt_ms: 12.5, jitter_ms: 1, loss_pct: 0, up_kbps: 900, down_kbps: 4000, reachable: true },
  time: NOW - 1000,
});
const video = () => ({
  measurement: 'media',
  tags: { kind: 'video', direction: 'recv' },
  fields: { bitrate_kbps: 800, fps: 25, width: 1280, height: 720, freeze_count: 0, nack: 3, mos: 4.1, score: 9 },
});
const power = () => ({ measurement: 'power', tags: {}, fields: { on_mains: true, status: 'OL', battery_pct: 100 } });
const heartbeat = () => ({ measurement: 'probe', tags: {}, fields: { seq: 7, uptime_s: 30.5, version: '1.2.0' } });

test('good batches of every probe measurement are accepted as they are', () => {
  const body = { samples: [link(), video(), power(), heartbeat(), { measurement: 'env', tags: {}, fields: { temp_c: -5 } }] };
  assert.equal(acceptProbeBatch(body), body);
  agree(body, true);
  agree({ samples: Array.from({ length: MAX_SAMPLES_PER_BATCH }, link) }, true);
  agree({ samples: [{ ...video(), tags: { kind: 'audio', direction: 'send', node: 'main' } }] }, true);
});

test('every kind of bad batch is left to the schema, which refuses it', () => {
  const bad: unknown[] = [
    null,
    [],
    'samples',
    {},
    { samples: [] },
    { samples: link() },
    { samples: Array.from({ length: MAX_SAMPLES_PER_BATCH + 1 }, link) },
    { samples: [link()], extra: 1 },
    { samples: [null] },
    { samples: [{ ...link(), site: 'da-bac' }] },
    { samples: [{ ...link(), measurement: 'sfu' }] },
    { samples: [{ ...link(), measurement: 'quality' }] },
    { samples: [{ ...link(), time: NOW - SAMPLE_MAX_AGE_MS - 1000 }] },
    { samples: [{ ...link(), time: NOW + SAMPLE_MAX_AHEAD_MS + 1000 }] },
    { samples: [{ ...link(), time: NOW - 0.5 }] },
    { samples: [{ ...link(), time: String(NOW) }] },
    { samples: [{ ...link(), tags: {} }] },
    { samples: [{ ...link(), tags: { target: 'lan' } }] },
    { samples: [{ ...link(), tags: { target: 'sfu', site: 'da-bac' } }] },
    { samples: [{ ...link(), tags: [] }] },
    { samples: [{ ...link(), fields: {} }] },
    { samples: [{ ...link(), fields: { rtt_ms: -1 } }] },
    { samples: [{ ...link(), fields: { rtt_ms: 600_001 } }] },
    { samples: [{ ...link(), fields: { loss_pct: 100.5 } }] },
    { samples: [{ ...link(), fields: { reachable: 1 } }] },
    { samples: [{ ...link(), fields: { rtt_ms: '12' } }] },
    { samples: [{ ...link(), fields: { bitrate_kbps: 5 } }] },
    { samples: [{ ...video(), fields: { width: 1280.5 } }] },
    { samples: [{ ...video(), fields: { nack: Number.MAX_SAFE_INTEGER + 2 } }] },
    { samples: [{ ...video(), fields: { fps: 241 } }] },
    { samples: [{ ...video(), fields: { mos: 0.5 } }] },
    { samples: [{ ...video(), tags: { kind: 'video' } }] },
    { samples: [{ ...video(), tags: { kind: 'video', direction: 'recv', node: 'edge' } }] },
    { samples: [{ ...power(), fields: { status: 'x'.repeat(65) } }] },
    { samples: [{ ...heartbeat(), fields: { version: 'v'.repeat(33) } }] },
    { samples: [{ ...heartbeat(), tags: { site: 'x' } }] },
    { samples: [link(), { ...link(), fields: { loss_pct: -0.1 } }] },
    JSON.parse('{"samples":[{"measurement":"probe","tags":{},"fields":{"seq":1},"__proto__":{"x":1}}]}'),
    JSON.parse('{"samples":[{"measurement":"probe","tags":{"__proto__":{}},"fields":{"seq":1}}]}'),
  ];
  for (const body of bad) {
    assert.equal(acceptProbeBatch(body), null, `accepted ${JSON.stringify(body)?.slice(0, 200)}`);
    agree(body, false);
  }
});

test('random samples at the bounds: the fast check and the schema agree on every one', () => {
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const values = [
    -1,
    -0.001,
    0,
    0.5,
    1,
    3,
    5,
    9.99,
    10,
    10.01,
    100,
    100.01,
    200,
    240,
    241,
    500,
    600_000,
    600_001,
    1e7,
    1e9,
    2 ** 53,
    true,
    'OL',
    '',
  ];
  // Mostly each measurement's own tags and fields, at times another's.
  const own = {
    link: { tags: { target: 'isp' }, fields: ['rtt_ms', 'jitter_ms', 'loss_pct', 'up_kbps', 'reachable'] },
    media: { tags: { kind: 'audio', direction: 'send' }, fields: ['bitrate_kbps', 'fps', 'width', 'mos', 'score', 'audio_level'] },
    power: { tags: {}, fields: ['on_mains', 'status', 'battery_pct', 'runtime_s', 'input_v', 'load_pct'] },
    env: { tags: {}, fields: ['temp_c', 'humidity_pct'] },
    probe: { tags: {}, fields: ['seq', 'uptime_s', 'spool_depth', 'version'] },
    sfu: { tags: { node: 'main', worker: '1' }, fields: ['cpu_pct', 'rooms'] },
  } as const;
  const measurements = Object.keys(own) as (keyof typeof own)[];
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const m = pick(measurements);
    const mine = rand() < 0.85 ? own[m] : own[pick(measurements)];
    const fields: Record<string, unknown> = {};
    for (let k = Math.floor(rand() * 3); k >= 0; k--) fields[pick(rand() < 0.9 ? own[m].fields : mine.fields)] = pick(values);
    const tags = rand() < 0.1 ? { kind: 'video', direction: 'recv', node: 'backup' } : mine.tags;
    const sample = {
      measurement: m,
      tags,
      fields,
      ...(rand() < 0.3 ? { time: pick([NOW, NOW - 0.5, NOW + SAMPLE_MAX_AHEAD_MS * 2]) } : {}),
    };
    const body = { samples: [sample] };
    agree(body);
    if (acceptProbeBatch(body)) accepted++;
  }
  assert.ok(accepted > 100, `only ${accepted} random samples were good: the generator tests too little`);
});
