// The bandwidth test's words and its per-site quota (probes/src/echo/), on a
// clock the test moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRefusal, formatRequest, parseAnswer, parseRequest } from '../../probes/src/echo/bandwidth-protocol.ts';
import { SiteQuota } from '../../probes/src/echo/site-quota.ts';

test('one transfer at a time per site; the slot is free once released, and releasing twice frees nothing more', () => {
  const quota = new SiteQuota(10, () => 0);
  const first = quota.take('da-bac');
  assert.ok(first.ok);
  assert.deepEqual(quota.take('da-bac'), {
    ok: false,
    reason: 'busy',
    text: 'a bandwidth test of site "da-bac" is running; one at a time per site',
  });
  assert.ok(quota.take('mai-chau').ok, 'another site has its own slot');
  first.release();
  first.release();
  const second = quota.take('da-bac');
  assert.ok(second.ok);
  assert.equal(quota.take('da-bac').ok, false, 'the second release of the first did not free the second');
});

test('at most N started in any minute per site; refusals count for nothing; the wait said is to the oldest leaving the minute', () => {
  let now = 1_000_000;
  const quota = new SiteQuota(3, () => now);
  for (let i = 0; i < 3; i++) {
    const slot = quota.take('da-bac');
    assert.ok(slot.ok, `transfer ${i + 1}`);
    slot.release();
    now += 10_000;
  }
  // Started at 0, 10 and 20 s; now 30 s.
  assert.deepEqual(quota.take('da-bac'), {
    ok: false,
    reason: 'rate',
    text: 'site "da-bac" has started 3 transfers in the last minute (a test is two); try again in 30 s',
  });
  now += 29_999;
  assert.equal(quota.take('da-bac').ok, false, 'still within the minute of the first');
  now += 1;
  const again = quota.take('da-bac');
  assert.ok(again.ok, 'the first has left the minute');
  again.release();
  assert.equal(quota.take('da-bac').ok, false, 'and the quota is full again');
  assert.ok(quota.take('tan-lac').ok, 'another site has its own quota');
});

test('the request line: direction, bytes and token, or the reason it is refused', () => {
  assert.equal(formatRequest({ direction: 'UP', bytes: 1000, token: 'da-bac.abc' }), 'UP 1000 da-bac.abc\n');
  assert.deepEqual(parseRequest('DOWN 1000 da-bac.abc', 5000), { direction: 'DOWN', bytes: 1000, token: 'da-bac.abc' });
  assert.deepEqual(parseRequest('DOWN 1000', 5000), {
    refused: 'token',
    text: `missing probe token: send "DOWN 1000 <the site's probe token>"`,
  });
  assert.deepEqual(parseRequest('UP 0 da-bac.abc', 5000), { refused: 'request', text: 'the transfer must be 1-5000 bytes, not 0' });
  assert.deepEqual(parseRequest('UP 5001 da-bac.abc', 5000), { refused: 'request', text: 'the transfer must be 1-5000 bytes, not 5001' });
  for (const line of ['', 'GET / HTTP/1.1', 'down 10 x', 'DOWN 10 a b', 'DOWN -1 x']) {
    assert.equal((parseRequest(line, 5000) as { refused: string }).refused, 'request', line);
  }
});

test("the responder's answer: go, or a refusal with its reason; a line of an older responder is no go", () => {
  assert.deepEqual(parseAnswer('GO'), { go: true });
  const refusal = formatRefusal('rate', 'too many\nthis minute');
  assert.equal(refusal, 'NO rate too many this minute\n');
  assert.deepEqual(parseAnswer(refusal.trimEnd()), { go: false, reason: 'rate', text: 'too many this minute' });
  assert.deepEqual(parseAnswer('NO weird thing'), { go: false, reason: 'unknown', text: 'thing' });
  assert.deepEqual(parseAnswer('BUSY'), {
    go: false,
    reason: 'unknown',
    text: 'unexpected answer "BUSY" (is the responder of an older release?)',
  });
});
