// A probe keeps its samples while the NOC cannot take them, and delivers all
// of them, in order, once it can.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProbeSample } from '@noc/shared/metrics';
import { issueProbeToken } from '@noc/shared/probe-token';
import { IngestClient, IngestRejectedError } from '@noc/shared/ingest-client';
import { fetchAs } from '../fixtures/auth.ts';
import { startTestNocServer } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const rtt = (ms: number, time: number): ProbeSample => ({ measurement: 'link', tags: { target: 'sfu' }, fields: { rtt_ms: ms }, time });

test('samples sent while the gateway is down are spooled and delivered in order when it comes back', async () => {
  const dir = await tempDir('spool');
  const secret = randomBytes(32);
  const secretFile = join(dir.path, 'secret.key');
  await writeFile(secretFile, secret.toString('hex'));
  const port = await freePort();
  const errors: string[] = [];
  const client = new IngestClient({
    url: `http://127.0.0.1:${port}/api/ingest`,
    token: issueProbeToken(secret, 'lac-son'),
    onError: (m) => errors.push(m),
  });
  const t0 = Date.now() - 10_000;
  await client.send([rtt(10, t0), rtt(11, t0 + 1000)]);
  await client.send([rtt(12, t0 + 2000)]);
  assert.equal(client.spoolDepth, 3);
  assert.match(errors[0] ?? '', /unreachable/);

  const noc = await startTestNocServer({ port, secretFile });
  try {
    await client.flush();
    assert.equal(client.spoolDepth, 0);
    assert.equal(client.dropped, 0);
    const res = await fetchAs(await noc.adminCookie(), `${noc.url}/api/history?measurement=link&field=rtt_ms&target=sfu`);
    const { series } = (await res.json()) as { series: Record<string, [number, number][]> };
    assert.deepEqual(series['lac-son'], [
      [t0, 10],
      [t0 + 1000, 11],
      [t0 + 2000, 12],
    ]);

    // A batch the gateway refuses for good (4xx) is dropped and counted, not retried forever.
    const forged = new IngestClient({ url: `${noc.url}/api/ingest`, token: issueProbeToken(randomBytes(32), 'lac-son') });
    await assert.rejects(forged.send([rtt(1, t0)]), (err: unknown) => err instanceof IngestRejectedError && err.status === 401);
    assert.equal(forged.spoolDepth, 0);
    assert.equal(forged.dropped, 1);
  } finally {
    await noc.stop();
    await dir.remove();
  }
});

test('a full spool drops the oldest samples and counts them', async () => {
  const client = new IngestClient({ url: `http://127.0.0.1:${await freePort()}/api/ingest`, token: 'x.y', maxSpool: 5 });
  const t0 = Date.now();
  await client.send([1, 2, 3, 4, 5, 6, 7].map((n) => rtt(n, t0 + n)));
  assert.equal(client.spoolDepth, 5);
  assert.equal(client.dropped, 2);
});
