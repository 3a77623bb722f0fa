// waitFor: a probe's errors count as "not yet", but a failed assertion in a
// probe ends the wait at once and fails the caller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeoutError, waitFor } from '@noc/shared/wait';

test('waitFor returns the first value that is neither undefined nor false', async () => {
  let calls = 0;
  const value = await waitFor('the third call', () => (++calls === 3 ? 'ready' : calls === 1 ? undefined : false), { intervalMs: 1 });
  assert.equal(value, 'ready');
  assert.equal(calls, 3);
});

test('an ordinary error from the probe counts as "not yet", and its message ends the timeout', async () => {
  let calls = 0;
  const value = await waitFor(
    'a server that answers on the second call',
    () => {
      if (++calls === 1) throw new Error('connection refused');
      return calls;
    },
    { intervalMs: 1 },
  );
  assert.equal(value, 2);

  await assert.rejects(
    waitFor(
      'a server that never answers',
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 30, intervalMs: 5 },
    ),
    (err: unknown) => err instanceof TimeoutError && /a server that never answers: connection refused$/.test(err.message),
  );
});

test('a failed assertion in the probe ends the wait at once and is thrown as it is', async () => {
  let calls = 0;
  const started = Date.now();
  await assert.rejects(
    waitFor(
      'a value that must stay below 2',
      () => {
        calls++;
        assert.ok(calls < 2, 'the value stays below 2');
        return false;
      },
      { timeoutMs: 10_000, intervalMs: 1 },
    ),
    (err: unknown) => err instanceof assert.AssertionError && err.message === 'the value stays below 2',
  );
  assert.equal(calls, 2, 'no poll after the failed assertion');
  assert.ok(Date.now() - started < 5000, 'well before the deadline');
});
