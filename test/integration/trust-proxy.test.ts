// A NOC server behind a reverse proxy that terminates TLS (NOC_TRUST_PROXY):
// the proxy's X-Forwarded-Proto: https makes the answer carry HSTS and its
// X-Forwarded-For is the client the sign-in limits count; a server that trusts
// no proxy believes neither.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';

let trusting: NocFixture;
let plain: NocFixture;

before(async () => {
  [trusting, plain] = await Promise.all([
    startTestNocServer({ env: { NOC_TRUST_PROXY: 'loopback', NOC_COOKIE_SECURE: '1' } }),
    startTestNocServer(),
  ]);
});
after(async () => {
  await trusting?.stop();
  await plain?.stop();
});

const viaProxy = (url: string, proto: string) =>
  fetch(`${url}/api/health`, { headers: { 'x-forwarded-proto': proto, 'x-forwarded-for': '203.0.113.7' } });

test('HSTS only on what a trusted proxy says went out over HTTPS', async () => {
  assert.equal((await viaProxy(trusting.url, 'https')).headers.get('strict-transport-security'), 'max-age=31536000');
  assert.equal((await viaProxy(trusting.url, 'http')).headers.get('strict-transport-security'), null);
  assert.equal((await viaProxy(plain.url, 'https')).headers.get('strict-transport-security'), null);
});

test("the sign-in limit per address counts the proxy's client, not the proxy", async () => {
  // A wall's display sign-in: limited per address only, with no password hashing to wait for.
  const attempt = (forwardedFor: string) =>
    fetch(`${trusting.url}/api/auth/display`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ token: 'not-a-display-token-of-any-wall' }),
    }).then((r) => r.status);
  // Twenty failures from one client lock that client, and only that one.
  for (let i = 0; i < 20; i++) assert.equal(await attempt('203.0.113.7'), 401);
  assert.equal(await attempt('203.0.113.7'), 429);
  assert.equal(await attempt('203.0.113.8'), 401, 'another client behind the same proxy');
});
