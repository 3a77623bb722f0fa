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

    // A refused token is the credential's fault, not the samples': they stay queued, the refusal is reported,
    // and the next try waits for the back-off.
    const refusals: string[] = [];
    const forged = new IngestClient({
      url: `${noc.url}/api/ingest`,
      token: issueProbeToken(randomBytes(32), 'lac-son'),
      retry: { firstMs: 60_000, maxMs: 60_000 },
      onError: (m) => refusals.push(m),
    });
    await forged.send([rtt(1, t0)]);
    assert.equal(forged.spoolDepth, 1);
    assert.equal(forged.dropped, 0);
    assert.equal(forged.tokenRefused, 401);
    assert.match(refusals[0] ?? '', /gateway refused the token \(401\): the probe token is not valid; 1 samples kept, next try in 60\.0 s/);
    await forged.send([rtt(2, t0 + 1000)]);
    assert.equal(refusals.length, 1, 'no new try before the back-off has passed');
    assert.equal(forged.spoolDepth, 2);
    await forged.flush();
    assert.equal(refusals.length, 2, 'flush() tries at once');
    assert.equal(forged.spoolDepth, 2);

    // A batch the gateway refuses for its content (400) would be refused on every try: dropped and counted.
    const malformed = new IngestClient({ url: `${noc.url}/api/ingest`, token: issueProbeToken(secret, 'lac-son') });
    const bad = { measurement: 'link', tags: { target: 'sfu' }, fields: { rtt_ms: 'fast' }, time: t0 } as unknown as ProbeSample;
    await assert.rejects(
      malformed.send([bad, rtt(3, t0 + 3000)]),
      (err: unknown) => err instanceof IngestRejectedError && err.status === 400,
    );
    assert.equal(malformed.spoolDepth, 0);
    assert.equal(malformed.dropped, 2);
    assert.equal(malformed.tokenRefused, null);
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
