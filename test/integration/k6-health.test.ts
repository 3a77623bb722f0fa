// k6 drives the health endpoint of a real NOC server and its thresholds pass;
// pointed at a port where nothing answers, the same script fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runK6 } from '../fixtures/k6.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const script = fileURLToPath(new URL('../../loadtest/scripts/health-check.ts', import.meta.url));
let noc: NocFixture;
before(async () => {
  noc = await startTestNocServer();
});
after(async () => {
  await noc?.stop();
});

test('k6 checks /api/health: every answer is 200 and names each component', async () => {
  const dir = await tempDir('k6');
  try {
    const summaryFile = join(dir.path, 'summary.json');
    const run = await runK6(script, { BASE_URL: noc.url, ITERATIONS: '20', SUMMARY_FILE: summaryFile });
    assert.equal(run.code, 0, run.output);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as {
      metrics: { checks: { values: { passes: number; fails: number } }; http_reqs: { values: { count: number } } };
    };
    assert.equal(summary.metrics.http_reqs.values.count, 20);
    assert.equal(summary.metrics.checks.values.passes, 60);
    assert.equal(summary.metrics.checks.values.fails, 0);
  } finally {
    await dir.remove();
  }
});

test('the k6 health check fails when nothing answers', async () => {
  const run = await runK6(script, { BASE_URL: `http://127.0.0.1:${await freePort()}`, ITERATIONS: '4' });
  assert.equal(run.code, 99, `k6 should report crossed thresholds (exit 99):\n${run.output}`);
});
