// The webhook sender over a real state database and receivers on loopback:
//   - a webhook switched off gives up what it still had to send, in its log, and sends no more;
//   - a receiver that never answers does not hold up the deliveries to the others.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@noc/shared/wait';
import { openStateDb } from '../../dashboard/server/auth/state-db.ts';
import { Webhooks } from '../../dashboard/server/incidents/webhooks.ts';
import { tempDir } from '../fixtures/temp-dir.ts';
import { startWebhookReceiver } from '../fixtures/webhook-receiver.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sender(opts: ConstructorParameters<typeof Webhooks>[1]): Promise<Webhooks> {
  const dir = await tempDir('webhooks');
  const db = openStateDb(join(dir.path, 'noc.db'));
  const hooks = new Webhooks(db, { log: () => {}, ...opts });
  hooks.start(100);
  cleanups.push(async () => {
    await hooks.close();
    db.close();
    await dir.remove();
  });
  return hooks;
}

test('a webhook switched off gives up its pending deliveries, says so in its log, and sends no more', async () => {
  const receiver = await startWebhookReceiver();
  cleanups.push(() => receiver.close());
  receiver.failNext(1000);
  // The next attempt would come 2 s after the first failure: switched off before it, it must never come.
  const hooks = await sender({ retryBaseMs: 2000 });
  const hook = hooks.create({
    name: 'Tổ CNTT',
    url: receiver.url,
    secret: receiver.secret,
    minSeverity: 'warning',
    escalation: false,
    enabled: true,
  });
  hooks.notify('test', null, Date.now(), hook.id);
  await waitFor('a first failed attempt', async () => hooks.deliveries(hook.id)[0]?.attempts === 1, { timeoutMs: 5000, intervalMs: 20 });
  hooks.update(hook.id, { enabled: false });
  const [d] = hooks.deliveries(hook.id);
  assert.equal(d!.state, 'failed');
  assert.equal(d!.lastError, 'the webhook was switched off');
  const tries = receiver.received.length;
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(receiver.received.length, tries, 'no attempt after it was switched off');
});

test('a receiver that never answers does not hold up the deliveries to another', async () => {
  const hung: IncomingMessage[] = [];
  const silent: Server = createServer((req) => void hung.push(req));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const receiver = await startWebhookReceiver();
  cleanups.push(() => receiver.close());
  const timeoutMs = 4000;
  const hooks = await sender({ retryBaseMs: 60_000, timeoutMs });
  const stuck = hooks.create({
    name: 'treo',
    url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`,
    secret: 'x'.repeat(16),
    minSeverity: 'warning',
    escalation: false,
    enabled: true,
  });
  const ok = hooks.create({
    name: 'Tổ CNTT',
    url: receiver.url,
    secret: receiver.secret,
    minSeverity: 'warning',
    escalation: false,
    enabled: true,
  });
  // More deliveries to the silent receiver than one batch takes, queued first.
  for (let i = 0; i < 30; i++) hooks.notify('test', null, Date.now(), stuck.id);
  const queuedAt = Date.now();
  hooks.notify('test', null, Date.now(), ok.id);
  await waitFor('the other receiver served', async () => receiver.received.length === 1, { timeoutMs: timeoutMs * 3, intervalMs: 20 });
  const waited = Date.now() - queuedAt;
  console.log(`delivered to the other receiver ${waited} ms after it was queued, behind 30 to a silent one (timeout ${timeoutMs} ms)`);
  assert.ok(waited < timeoutMs, `it waited ${waited} ms: behind the silent receiver's timeouts`);
});
