import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, backoffDelay } from '@noc/shared/backoff';
import { envNumber, envPort } from '@noc/shared/env-number';

test('backoff doubles from its first delay to its ceiling and starts again after a success', () => {
  const b = new Backoff({ firstMs: 1000, maxMs: 15_000 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [1000, 2000, 4000, 8000, 15_000, 15_000]);
  b.reset();
  assert.equal(b.next(), 1000);
});

test('a polling loop may retry only once the delay has passed', () => {
  const b = new Backoff({ firstMs: 500, maxMs: 4000 });
  assert.equal(b.ready(0), true);
  assert.equal(b.failed(10_000), 500);
  assert.equal(b.ready(10_499), false);
  assert.equal(b.ready(10_500), true);
  assert.equal(b.failed(10_500), 1000);
  b.reset();
  assert.equal(b.ready(10_501), true);
});

test('jitter draws each delay from the upper half of its step', () => {
  const o = { firstMs: 500, maxMs: 8000, jitter: true };
  assert.equal(backoffDelay(0, { ...o, random: () => 0 }), 250);
  assert.equal(backoffDelay(0, { ...o, random: () => 0.999999 }), 500);
  assert.equal(backoffDelay(10, { ...o, random: () => 0 }), 4000);
  assert.equal(backoffDelay(10, { ...o, random: () => 0.999999 }), 8000);
});

test('numbers from the environment: the fallback when unset, the value within its range, else an error naming it', () => {
  const range = { min: 1, max: 100, integer: true };
  assert.equal(envNumber({}, 'N', 7, range), 7);
  assert.equal(envNumber({ N: ' ' }, 'N', 7, range), 7);
  assert.equal(envNumber({ N: '42' }, 'N', 7, range), 42);
  assert.throws(() => envNumber({ N: '4.5' }, 'N', 7, range), /^Error: N must be a whole number from 1 to 100, got "4.5"$/);
  assert.throws(() => envNumber({ N: '101' }, 'N', 7, range), /N must be a whole number from 1 to 100/);
  assert.throws(
    () => envNumber({ N: 'ten' }, 'N', 7, { min: 0, max: 1, unit: 'seconds' }),
    /N must be a number from 0 to 1 seconds, got "ten"/,
  );
  assert.equal(envNumber({ N: '0.25' }, 'N', 1, { min: 0, max: 1 }), 0.25);
  assert.equal(envPort({ P: '0' }, 'P', 80), 0);
  assert.throws(() => envPort({ P: '65536' }, 'P', 80), /P must be a whole number from 0 to 65535/);
});
