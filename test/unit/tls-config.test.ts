// HTTPS settings from the environment: the NOC server's (NOC_TLS_CERT, NOC_TLS_KEY,
// NOC_HTTP_REDIRECT_PORT, NOC_COOKIE_SECURE, NOC_TRUST_PROXY) and an SFU node's
// (SFU_TLS_CERT, SFU_TLS_KEY), each mistake stopping the start with an error that
// names the variable; the redirect's target and the policy's SFU origins.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { readServerConfig } from '../../dashboard/server/config.ts';
import { httpsLocation } from '../../dashboard/server/http-redirect.ts';
import { contentSecurityPolicy, signallingOrigin } from '../../dashboard/server/security-headers.ts';
import { readSfuConfig } from '../../sfu/src/config.ts';
import { makeTestCa, type TestCa } from '../fixtures/test-ca.ts';

let ca: TestCa;
before(async () => {
  ca = await makeTestCa();
});
after(() => ca?.remove());

const withTls = (): NodeJS.ProcessEnv => ({ NOC_TLS_CERT: ca.certFile, NOC_TLS_KEY: ca.keyFile });

test('without a certificate the NOC server is plain HTTP, its cookie Secure only when told', () => {
  const plain = readServerConfig({});
  assert.equal(plain.tls, null);
  assert.equal(plain.cookieSecure, false);
  assert.equal(plain.httpRedirectPort, null);
  assert.equal(plain.trustProxy, null);
  assert.equal(readServerConfig({ NOC_COOKIE_SECURE: '1' }).cookieSecure, true, 'behind a proxy terminating TLS');
});

test('a certificate and its key make HTTPS, which implies the Secure cookie', () => {
  const config = readServerConfig({ ...withTls(), NOC_HTTP_REDIRECT_PORT: '8081' });
  assert.ok(config.tls);
  assert.match(config.tls.cert.toString(), /BEGIN CERTIFICATE/);
  assert.equal(config.cookieSecure, true);
  assert.equal(config.httpRedirectPort, 8081);
  assert.equal(readServerConfig({ ...withTls(), NOC_HTTP_REDIRECT_PORT: 'off' }).httpRedirectPort, null);
});

test('each HTTPS mistake stops the start naming the variable', () => {
  assert.throws(() => readServerConfig({ NOC_TLS_CERT: ca.certFile }), /NOC_TLS_CERT is set but NOC_TLS_KEY is not/);
  assert.throws(() => readServerConfig({ NOC_TLS_KEY: ca.keyFile }), /NOC_TLS_KEY is set but NOC_TLS_CERT is not/);
  const missing = join(ca.certFile, '..', 'missing.pem');
  assert.throws(
    () => readServerConfig({ NOC_TLS_CERT: ca.certFile, NOC_TLS_KEY: missing }),
    /^Error: NOC_TLS_KEY: cannot read ".*missing\.pem": ENOENT/,
  );
  assert.throws(() => readServerConfig({ NOC_TLS_CERT: missing, NOC_TLS_KEY: ca.keyFile }), /^Error: NOC_TLS_CERT: cannot read/);
  // The CA's certificate with the server's key: not a pair.
  assert.throws(
    () => readServerConfig({ NOC_TLS_CERT: ca.caFile, NOC_TLS_KEY: ca.keyFile }),
    /NOC_TLS_CERT \(".*ca\.pem"\) and NOC_TLS_KEY \(".*server\.key"\) are not a certificate and its key/,
  );
  assert.throws(() => readServerConfig({ NOC_TLS_CERT: ca.keyFile, NOC_TLS_KEY: ca.keyFile }), /are not a certificate and its key/);
  assert.throws(() => readServerConfig({ NOC_HTTP_REDIRECT_PORT: '80' }), /NOC_HTTP_REDIRECT_PORT is set but HTTPS is not/);
  assert.throws(
    () => readServerConfig({ ...withTls(), NOC_HTTP_REDIRECT_PORT: 'eighty' }),
    /NOC_HTTP_REDIRECT_PORT must be a whole number/,
  );
});

test('NOC_TRUST_PROXY takes addresses, CIDRs and proxy-addr names only', () => {
  assert.equal(readServerConfig({ NOC_TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy, 'loopback,10.0.0.0/8,::1');
  assert.throws(() => readServerConfig({ NOC_TRUST_PROXY: 'true' }), /NOC_TRUST_PROXY "true": "true" is not an address/);
});

test('an SFU node takes SFU_TLS_CERT and SFU_TLS_KEY the same way', () => {
  assert.equal(readSfuConfig({}).tls, null);
  assert.ok(readSfuConfig({ SFU_TLS_CERT: ca.certFile, SFU_TLS_KEY: ca.keyFile }).tls);
  assert.throws(() => readSfuConfig({ SFU_TLS_KEY: ca.keyFile }), /SFU_TLS_KEY is set but SFU_TLS_CERT is not/);
});

test('the redirect keeps the host and path and takes the HTTPS port; a Host that is no host is refused', () => {
  const req = (host: string | undefined, url: string) => ({ headers: { host }, url }) as unknown as IncomingMessage;
  assert.equal(httpsLocation(req('noc.example.vn:80', '/wall?x=1'), 443, '0.0.0.0'), 'https://noc.example.vn/wall?x=1');
  assert.equal(httpsLocation(req('127.0.0.1:8081', '/a'), 8443, '127.0.0.1'), 'https://127.0.0.1:8443/a');
  assert.equal(httpsLocation(req('[::1]:8081', '/'), 8443, '::1'), 'https://[::1]:8443/');
  assert.equal(httpsLocation(req(undefined, '/b'), 8443, '127.0.0.1'), 'https://127.0.0.1:8443/b');
  assert.equal(httpsLocation(req('evil.example/x', '/'), 443, '127.0.0.1'), null);
  assert.equal(httpsLocation(req('user@evil.example', '/'), 443, '127.0.0.1'), null);
});

test("the policy's connect-src holds each SFU node's WebSocket origin", () => {
  assert.equal(signallingOrigin('http://127.0.0.1:4450'), 'ws://127.0.0.1:4450');
  assert.equal(signallingOrigin('https://sfu.example.vn'), 'wss://sfu.example.vn');
  const csp = contentSecurityPolicy(['https://sfu.example.vn:4450', 'https://sfu2.example.vn:4450/']);
  assert.deepEqual(csp.connectSrc, ["'self'", 'wss://sfu.example.vn:4450', 'wss://sfu2.example.vn:4450']);
  assert.deepEqual(csp.scriptSrc, ["'self'"]);
  assert.deepEqual(csp.frameAncestors, ["'none'"]);
});
