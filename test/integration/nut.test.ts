// NutClient and the power mapping against a real upsd serving a dummy-ups UPS.
// Needs root and the nut-server package; run inside a private network namespace:
//   source scripts/env.sh && unshare -n bash -c 'ip link set lo up && node --test test/integration/nut.test.ts'

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { NutClient, NutError, splitNutLine } from '../../probes/src/nut/client.ts';
import { powerFromNutVars } from '../../probes/src/nut/power.ts';
import { startUpsd } from '../fixtures/upsd.ts';

test('splitNutLine handles quotes and backslash escapes', () => {
  assert.deepEqual(splitNutLine('VAR ups ups.status "OB DISCHRG"'), ['VAR', 'ups', 'ups.status', 'OB DISCHRG']);
  assert.deepEqual(splitNutLine('VAR ups x "say \\"hi\\" \\\\ ok"'), ['VAR', 'ups', 'x', 'say "hi" \\ ok']);
  assert.deepEqual(splitNutLine('VAR ups empty ""'), ['VAR', 'ups', 'empty', '']);
});

test('powerFromNutVars leaves out missing and non-numeric values', () => {
  assert.deepEqual(powerFromNutVars({ 'ups.status': 'OL CHRG', 'battery.charge': '87.5', 'ups.load': 'n/a', 'input.voltage': '' }), {
    status: 'OL CHRG',
    on_mains: true,
    battery_pct: 87.5,
  });
  assert.equal(powerFromNutVars({ 'ups.status': 'OL OB' }).on_mains, false);
  assert.deepEqual(powerFromNutVars({}), {});
});

test('NutClient reassembles lines split across TCP chunks and times out a silent server', async (t) => {
  // A stand-in upsd that answers byte by byte, and never answers "GET VAR u slow".
  const server = net.createServer((sock) => {
    sock.setEncoding('utf8');
    let buf = '';
    sock.on('data', async (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const cmd = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const reply =
          cmd === 'LIST VAR u'
            ? 'BEGIN LIST VAR u\r\nVAR u ups.status "OB LB"\nVAR u x.note "a \\"quoted\\" \\\\ word"\nEND LIST VAR u\n'
            : cmd === 'GET VAR u slow'
              ? ''
              : 'ERR UNKNOWN-UPS\n';
        for (const byte of reply) {
          sock.write(byte);
          await new Promise((r) => setImmediate(r));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as net.AddressInfo;

  const client = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 300 });
  t.after(() => client.close());
  const [vars, missing] = await Promise.allSettled([client.listVars('u'), client.getVar('v', 'ups.status')]);
  assert.deepEqual(vars, { status: 'fulfilled', value: { 'ups.status': 'OB LB', 'x.note': 'a "quoted" \\ word' } });
  assert.equal(missing.status, 'rejected');
  assert.equal((missing as PromiseRejectedResult).reason.code, 'UNKNOWN-UPS');

  await assert.rejects(client.getVar('u', 'slow'), { name: 'NutConnectionError', message: /no complete reply within 300 ms/ });
  // After a timeout the connection is dropped: later replies could not be matched up.
  await assert.rejects(client.listVars('u'), { name: 'NutConnectionError' });
});

test('NutClient reads a dummy UPS through upsd', async (t) => {
  const upsd = await startUpsd();
  t.after(() => upsd.stop());
  const client = await NutClient.connect({ host: upsd.host, port: upsd.port, timeoutMs: 5000 });
  t.after(() => client.close());

  const upsList = await client.listUps();
  assert.ok(upsd.ups in upsList, `LIST UPS has ${upsd.ups}: ${JSON.stringify(upsList)}`);

  const vars = await client.listVars(upsd.ups);
  assert.equal(vars['ups.status'], 'OL');
  assert.equal(vars['battery.charge'], '100');

  assert.deepEqual(powerFromNutVars(vars), {
    on_mains: true,
    status: 'OL',
    battery_pct: 100,
    runtime_s: 1800,
    input_v: 228,
    load_pct: 35,
  });

  await upsd.setVars({ 'ups.status': 'OB DISCHRG', 'battery.charge': '64' });
  // Commands queued together are answered in order on the one connection.
  const [status, after] = await Promise.all([client.getVar(upsd.ups, 'ups.status'), client.listVars(upsd.ups)]);
  assert.equal(status, 'OB DISCHRG');
  const power = powerFromNutVars(after);
  assert.equal(power.on_mains, false);
  assert.equal(power.status, 'OB DISCHRG');
  assert.equal(power.battery_pct, 64);
  assert.equal(power.runtime_s, 1800);

  await assert.rejects(client.getVar(upsd.ups, 'no.such.var'), (err: unknown) => {
    assert.ok(err instanceof NutError);
    assert.equal(err.code, 'VAR-NOT-SUPPORTED');
    return true;
  });
  await assert.rejects(client.listVars('no-such-ups'), (err: unknown) => {
    assert.ok(err instanceof NutError);
    assert.equal(err.code, 'UNKNOWN-UPS');
    return true;
  });
  await assert.rejects(client.getVar('no-such-ups', 'ups.status'), { name: 'NutError', code: 'UNKNOWN-UPS' });

  // The connection is still usable after ERR replies.
  assert.equal(await client.getVar(upsd.ups, 'battery.charge'), '64');
});
