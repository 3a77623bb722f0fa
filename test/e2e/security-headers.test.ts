// The dashboard under its Content-Security-Policy: every page of the router
// (dashboard/src/router.ts) loaded in Chromium, signed in with a role that may
// open it, against a NOC server with sites reporting (charts drawn, an incident
// open) and a real SFU node (the room and control pages' signalling), fails on
// any `securitypolicyviolation` event or console error naming the policy. And
// the headers themselves: CSP with the SFU's ws: origin in connect-src, no
// framing, no referrer, no sniffing; no HSTS over plain HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Incident } from '@noc/shared/incidents';
import { waitFor } from '@noc/shared/wait';
import { addSessionCookie, fetchAs, signInNewUser } from '../fixtures/auth.ts';
import { sendLiveSecond } from '../fixtures/backdated-probe.ts';
import { launchChromium } from '../fixtures/chromium.ts';
import { writeFastRules } from '../fixtures/fast-rules.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { onPage, watchConsole } from '../fixtures/page-wait.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const builtApp = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));
const LOSSY = 'da-bac';

let sfu: SfuFixture;
let noc: NocFixture;
let rulesDir: Awaited<ReturnType<typeof tempDir>>;
let browser: Browser;
let feeder: ReturnType<typeof setInterval> | null = null;
const cookies: Record<'admin' | 'technician', string> = { admin: '', technician: '' };

/** Every site heard each second; Đà Bắc losing 8 % (an incident opens within seconds under the fast rules). */
async function liveSecond(): Promise<void> {
  await sendLiveSecond(noc, LOSSY, 8);
}

before(async () => {
  if (!existsSync(builtApp)) throw new Error('the dashboard is not built (dashboard/dist); run: npm run build (npm test does it)');
  rulesDir = await tempDir('csp-rules');
  const sfuPort = await freePort();
  noc = await startTestNocServer({
    sfuUrl: `http://127.0.0.1:${sfuPort}`,
    env: { NOC_INCIDENT_RULES_FILE: await writeFastRules(rulesDir.path) },
  });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile });
  feeder = setInterval(() => void liveSecond().catch((err: unknown) => console.error('[live samples]', err)), 1000);
  cookies.admin = await noc.adminCookie();
  cookies.technician = await signInNewUser(noc.url, cookies.admin, { username: 'kt-da-bac', role: 'technician', site: LOSSY });
  browser = await launchChromium();
});
after(async () => {
  if (feeder) clearInterval(feeder);
  await browser?.close();
  await noc?.stop();
  await sfu?.stop();
  await rulesDir?.remove();
});

test('the dashboard is served with the security headers', async () => {
  for (const path of ['/', '/wall', '/assets/', '/api/health']) {
    const res = await fetch(`${noc.url}${path}`);
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => [d.trim().split(/\s+/)[0]!, d.trim().split(/\s+/).slice(1)]));
    assert.deepEqual(directives.get('default-src'), ["'self'"], `${path}: ${csp}`);
    assert.deepEqual(directives.get('script-src'), ["'self'"], `${path}: no inline script, no eval`);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.ok(
      directives.get('connect-src')?.includes(`ws://127.0.0.1:${new URL(sfu.url).port}`),
      `${path}: the SFU in connect-src: ${csp}`,
    );
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(res.headers.get('strict-transport-security'), null, `${path}: no HSTS over plain HTTP`);
  }
  // No proxy is trusted here: a client's own X-Forwarded-Proto changes nothing.
  const forged = await fetch(`${noc.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
  assert.equal(forged.headers.get('strict-transport-security'), null, 'X-Forwarded-Proto from an untrusted address');
  // The built page loads only files: no inline script for the policy to refuse.
  const html = await (await fetch(`${noc.url}/wall`)).text();
  for (const script of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    assert.match(script[0], /\ssrc="\/assets\//, `a script from a file: ${script[0]}`);
    assert.equal(script[1]!.trim(), '', 'no inline script body');
  }
});

/** Collects CSP violations from the first script on: the DOM event and Chromium's console message. */
async function watchedPage(role: 'admin' | 'technician' | null): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  if (role) await addSessionCookie(context, noc.url, cookies[role]);
  await context.addInitScript({
    content: `window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(e.effectiveDirective + ' refused ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ') ' + e.sample);
      });`,
  });
  const page = await context.newPage();
  watchConsole(page);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (/content security policy/i.test(m.text())) consoleErrors.push(`[console ${m.type()}] ${m.text()}`);
  });
  return {
    page,
    violations: async () => [...((await page.evaluate('window.__csp')) as string[]), ...consoleErrors],
  };
}

/** A page's path, who opens it, and what shows it is drawn. */
interface PageCase {
  path: string;
  role: 'admin' | 'technician' | null;
  ready: string;
  /** More to do once it is drawn (e.g. open replay). */
  then?: (page: Page) => Promise<void>;
}

test('every page of the dashboard loads in Chromium without a CSP violation', async () => {
  const incident = await waitFor(
    'an incident open on Đà Bắc',
    async () => {
      const res = await fetchAs(cookies.admin, `${noc.url}/api/incidents`);
      const { incidents } = (await res.json()) as { incidents: Incident[] };
      return incidents.find((i) => i.site === LOSSY);
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  const cases: PageCase[] = [
    { path: '/signin', role: null, ready: 'main.signin input[type="password"]' },
    // `/` sends an admin to /admin.
    { path: '/', role: 'admin', ready: '.admin' },
    { path: '/wall', role: 'admin', ready: `.site-tile[data-site="${LOSSY}"]` },
    {
      path: '/wall',
      role: 'admin',
      ready: '[data-replay="back10m"]',
      then: async (page) => {
        await page.locator('[data-replay="back10m"]').click();
        await onPage(page, 'the replay banner', async () => (await page.locator('[data-testid="replay-banner"]').count()) === 1);
      },
    },
    { path: `/site/${LOSSY}`, role: 'admin', ready: '[data-testid="site-status"][data-state="online"]' },
    { path: `/site/${LOSSY}`, role: 'technician', ready: '[data-testid="site-status"][data-state="online"]' },
    { path: '/incidents', role: 'admin', ready: `[data-incident="${incident.id}"]` },
    { path: `/incidents/${incident.id}`, role: 'admin', ready: '[data-testid="incident-summary"]' },
    { path: '/maintenance', role: 'admin', ready: '[data-testid="maintenance-page"]' },
    { path: '/load-tests', role: 'admin', ready: '[data-testid="load-test-page"]' },
    { path: '/plans', role: 'admin', ready: '[data-testid="plans-page"]' },
    { path: '/readiness', role: 'admin', ready: '[data-testid="readiness-page"]' },
    { path: '/reports', role: 'admin', ready: '[data-testid="reports-page"]' },
    { path: '/rules', role: 'admin', ready: '[data-testid="rules-form"]' },
    { path: '/admin', role: 'admin', ready: '.admin' },
    { path: '/directory', role: 'admin', ready: '[data-testid="directory"]' },
    { path: '/audit', role: 'admin', ready: '[data-testid="audit"]' },
    // The desk pages that reach the SFU's signalling by WebSocket (connect-src).
    { path: '/room', role: 'technician', ready: '[data-room-message="waiting"]' },
    { path: '/control', role: 'admin', ready: '[data-site-checkbox]' },
    { path: '/no-such-page', role: 'admin', ready: '[data-testid="not-found"]' },
  ];
  const failures: string[] = [];
  for (const c of cases) {
    const { page, violations } = await watchedPage(c.role);
    await page.goto(`${noc.url}${c.path}`);
    await onPage(page, `${c.path} (${c.role ?? 'signed out'}) drawn`, async () => (await page.locator(c.ready).count()) > 0, 20_000);
    await c.then?.(page);
    // A moment for what the page loads after it is drawn (lazy chunks, charts, sockets).
    await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
    const found = await violations();
    if (found.length) failures.push(`${c.path} (${c.role ?? 'signed out'}):\n  ${found.join('\n  ')}`);
    await page.context().close();
  }
  assert.deepEqual(failures, [], `CSP violations:\n${failures.join('\n')}`);
});
