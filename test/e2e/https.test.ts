// HTTPS and WSS with a certificate of the province's own CA (here the test's,
// fixtures/test-ca.ts, for 127.0.0.1): the NOC server answers over HTTPS with
// HSTS, its plain-HTTP port only redirects, the sign-in cookie is `Secure`, and
// it polls both SFU nodes over HTTPS and tells the pages their wss:// signalling;
// the two SFU nodes replicate over wss (trusting the CA through
// NODE_EXTRA_CA_CERTS); a signalling client connects over wss; Chromium, trusting
// the certificate's key, opens a room page over HTTPS in a secure context and its
// fake camera joins the meeting through wss.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { ClientConfig } from '@noc/shared/http-api';
import type { HealthReport } from '@noc/shared/health';
import { waitFor } from '@noc/shared/wait';
import { fetchAs, SESSION_COOKIE } from '../fixtures/auth.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { TestPeer } from '../fixtures/meeting-peers.ts';
import { NOC_ADMIN_PASSWORD, startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { makeTestCa, type TestCa } from '../fixtures/test-ca.ts';

const builtApp = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));

let ca: TestCa;
let noc: NocFixture;
let main: SfuFixture;
let backup: SfuFixture;
let redirectPort: number;
let browser: Browser | null = null;
const peers: TestPeer[] = [];

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  ca = await makeTestCa();
  // The NOC server runs in this process: it trusts the CA as NODE_EXTRA_CA_CERTS would make it.
  ca.trustHere();
  const [mainPort, backupPort] = [await freePort(), await freePort()];
  redirectPort = await freePort();
  noc = await startTestNocServer({
    sfuUrl: `https://127.0.0.1:${mainPort}`,
    sfuBackupUrl: `https://127.0.0.1:${backupPort}`,
    env: { NOC_TLS_CERT: ca.certFile, NOC_TLS_KEY: ca.keyFile, NOC_HTTP_REDIRECT_PORT: String(redirectPort) },
  });
  const tls = { certFile: ca.certFile, keyFile: ca.keyFile, caFile: ca.caFile };
  [main, backup] = await Promise.all([
    startSfu({ node: 'main', port: mainPort, peerUrl: `https://127.0.0.1:${backupPort}`, secretFile: noc.secretFile, tls }),
    startSfu({ node: 'backup', port: backupPort, peerUrl: `https://127.0.0.1:${mainPort}`, secretFile: noc.secretFile, tls }),
  ]);
});
after(async () => {
  for (const peer of peers) peer.close();
  await browser?.close();
  await Promise.all([main?.stop(), backup?.stop()]);
  await noc?.stop();
  await ca?.remove();
});

test('the NOC server answers over HTTPS with HSTS, and its HTTP port only redirects there', async () => {
  assert.match(noc.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${noc.url}/api/health`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000');

  const httpsPort = new URL(noc.url).port;
  const get = await fetch(`http://127.0.0.1:${redirectPort}/wall?x=1`, { redirect: 'manual' });
  assert.equal(get.status, 301);
  assert.equal(get.headers.get('location'), `https://127.0.0.1:${httpsPort}/wall?x=1`);
  const post = await fetch(`http://127.0.0.1:${redirectPort}/api/auth/login`, { method: 'POST', body: '{}', redirect: 'manual' });
  assert.equal(post.status, 308, 'the method kept');
  assert.equal(post.headers.get('location'), `https://127.0.0.1:${httpsPort}/api/auth/login`);
  // Followed, the redirect lands on the HTTPS page.
  const followed = await fetch(`http://127.0.0.1:${redirectPort}/api/health`);
  assert.equal(followed.status, 200);
  assert.equal(followed.url, `${noc.url}/api/health`);
});

test('the session cookie is Secure, and the pages are told the SFU nodes at wss://', async () => {
  const res = await fetch(`${noc.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: NOC_ADMIN_PASSWORD }),
  });
  assert.equal(res.status, 200);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  assert.ok(setCookie, 'a session cookie');
  assert.match(setCookie, /;\s*Secure(;|$)/i);
  const config = (await (await fetchAs(setCookie.split(';')[0]!, `${noc.url}/api/config`)).json()) as ClientConfig;
  assert.deepEqual(config.signallingUrls, { main: `${main.signallingUrl}`, backup: `${backup.signallingUrl}` });
  assert.match(config.signallingUrl, /^wss:\/\/127\.0\.0\.1:\d+\/signalling$/);

  // The NOC polls both nodes over HTTPS, trusting the CA.
  const report = await waitFor('both SFU nodes up in the NOC health report', async () => {
    const r = (await (await fetch(`${noc.url}/api/health`)).json()) as HealthReport;
    return r.components.sfu.state === 'up' && r.components.sfuBackup.state === 'up' ? r : undefined;
  });
  assert.match(report.components.sfu.detail, /node main/);
});

let meetingId = '';

test('signalling clients connect over wss, and the backup node holds the main node’s meeting through wss replication', async () => {
  const operator = await TestPeer.connect(main, { role: 'operator', name: 'Tổ CNTT Sở' });
  peers.push(operator);
  const created = await operator.client.request('meeting.create', {
    kind: 'giao-ban',
    title: 'Giao ban qua HTTPS',
    invitedSites: ['da-bac'],
  });
  meetingId = created.meetingId;
  await operator.join(meetingId);

  const onBackup = await TestPeer.connect(backup, { role: 'operator', name: 'Tổ CNTT Sở' });
  peers.push(onBackup);
  await waitFor('the meeting copied to the backup node', async () => {
    const { meetings } = await onBackup.client.request('meeting.list', {});
    return meetings.some((m) => m.id === meetingId);
  });
});

test('Chromium opens the room page over HTTPS in a secure context, and its camera joins through wss', async () => {
  browser = await launchChromium({ args: [`--ignore-certificate-errors-spki-list=${ca.spkiSha256}`] });
  const page = await browser.newPage();
  watchConsole(page);
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const operator = peers[0]!;
  const from = operator.events.length;
  await page.goto(`${noc.url}/room?token=${encodeURIComponent(main.token({ role: 'site', site: 'da-bac' }))}`);
  assert.equal(await page.evaluate('window.isSecureContext'), true);
  assert.equal(await page.evaluate('location.protocol'), 'https:');
  await onPage(
    page,
    'the room to join the meeting',
    async () => (await page.locator(`[data-meeting-id="${meetingId}"]`).count()) === 1,
    20_000,
  );
  const video = await operator.waitFor('producer.new', (p) => p.site === 'da-bac' && p.kind === 'video', { from, timeoutMs: 20_000 });
  assert.equal(video.source, 'camera');
  assert.ok(
    sockets.some((url) => url.startsWith(`${main.signallingUrl}?`)),
    `the page's signalling went over wss: ${sockets.join(', ')}`,
  );
  assert.ok(!sockets.some((url) => url.startsWith('ws:')), `no plain ws: ${sockets.join(', ')}`);
});
