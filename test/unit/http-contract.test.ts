// The route tables: every NOC route has a distinct method and path and a rule
// of who may call it; paths fill their parameters as single segments; a
// numeric `:id` is refused naming it; an SFU status answer of another shape
// is an error that names the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nocApi, numericId } from '@noc/shared/http-api';
import { fillPath } from '@noc/shared/http-contract';
import { parseSfuStatus } from '@noc/shared/sfu-status-api';

test('every route of the NOC table is one method and path under /api/, with its access rule', () => {
  const seen = new Set<string>();
  for (const [name, spec] of Object.entries(nocApi)) {
    const key = `${spec.method} ${spec.path}`;
    assert.ok(!seen.has(key), `${name}: ${key} is in the table twice`);
    seen.add(key);
    assert.match(spec.path, /^\/api\//, name);
    const { access } = spec;
    assert.ok('public' in access ? access.public.length > 0 : access.roles.length > 0, `${name}: who may call it`);
  }
});

test('a path gets its parameters as encoded segments, and a missing one is an error', () => {
  assert.equal(fillPath(nocApi['users.update'].path, { username: 'a/b c' }), '/api/admin/users/a%2Fb%20c');
  assert.equal(fillPath(nocApi['incidents.ack'].path, { id: 7 }), '/api/incidents/7/ack');
  assert.throws(() => fillPath(nocApi['incidents.ack'].path, {}), /parameter "id" is missing/);
});

test('a numeric id is a positive whole number; anything else is refused with what it numbers', () => {
  assert.equal(numericId('incident').parse('42'), 42);
  for (const raw of ['0', '-1', '1.5', '1e3', 'abc', '', '99999999999999999']) {
    const parsed = numericId('incident').safeParse(raw);
    assert.equal(parsed.success, false, raw);
    assert.equal(parsed.error?.issues[0]?.message, `"${raw}" is not a incident number`);
  }
});

test('an SFU status answer is checked against its schema, naming the field that is wrong', () => {
  const status = { node: 'main', mediasoupVersion: '3.27.1', workers: [{ pid: 1, routers: 2, died: false }] };
  assert.deepEqual(parseSfuStatus('health', status), status);
  assert.throws(
    () => parseSfuStatus('health', { ...status, workers: [{ pid: 1, routers: '2', died: false }] }),
    /GET \/health answered an unexpected shape: workers\[0\]\.routers: /,
  );
  assert.throws(() => parseSfuStatus('meetings', { node: 'main', carried: [{ id: 'x' }], copies: [] }), /carried\[0\]\.kind: /);
});
