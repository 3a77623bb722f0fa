// deploy/install-probe.sh against a real NOC server: with the site's probe token it writes the
// agent's config (which the agent takes), its environment file and its unit under --root, and
// the agent started on that config reaches the NOC; a wrong token, a site the NOC does not know,
// an address where nothing listens and one where something else answers each stop it with a
// message saying so, and nothing is written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEchoResponder, type EchoResponder } from '@noc/probes/echo-server';
import { ManagedProcess } from '@noc/shared/child-process';
import { waitFor } from '@noc/shared/wait';
import { loadAgentConfig } from '../../probes/src/agent/config.ts';
import { PROBE_PATHS } from '../../deploy/src/probe-paths.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { makeTestCa } from '../fixtures/test-ca.ts';
import { freePort } from '../fixtures/ports.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
const SCRIPT = join(ROOT, 'deploy/install-probe.sh');

let noc: NocFixture;
let echo: EchoResponder;
let other: Server;
let otherUrl: string;
const dirs: { remove(): Promise<void> }[] = [];

before(async () => {
  noc = await startTestNocServer();
  echo = await startEchoResponder({ host: '127.0.0.1', port: 0 });
  // Something that answers HTTP but is not a NOC server.
  other = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
});

after(async () => {
  await noc?.stop();
  await echo?.close();
  other?.close();
  for (const d of dirs) await d.remove();
});

async function install(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; root: string }> {
  const root = await tempDir('probe-root');
  dirs.push(root);
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, '--root', root.path, '--no-systemd', ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr, root: root.path }),
    );
  });
}

test('a good token: the check passes, and the config, environment file and unit are written for the agent', async () => {
  const token = noc.tokenFor('da-bac');
  const sfuEcho = `127.0.0.1:${echo.port}`;
  const r = await install(
    '--noc-url',
    `${noc.url}/`,
    '--token',
    token,
    '--sfu-echo',
    sfuEcho,
    '--backup-echo',
    '10.10.0.3:4460',
    '--ups',
    'ups@127.0.0.1:3493',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /takes the probe token of site "da-bac"/);
  // The link echoes: the running one answers; silence from the other is a warning, not a failure.
  assert.ok(r.stdout.includes(`the sfu link echo at ${sfuEcho} answers over UDP (5 of 5 datagrams)`), r.stdout);
  assert.match(r.stderr, /warning: no answer from the backup link echo at 10\.10\.0\.3:4460 over UDP/);

  const configFile = join(r.root, PROBE_PATHS.config);
  const config = await loadAgentConfig(configFile);
  assert.equal(config.site, 'da-bac');
  assert.equal(config.token, token);
  assert.equal(config.nocUrl, noc.url);
  assert.deepEqual(config.targets.sfu.echo, { host: '127.0.0.1', port: echo.port });
  assert.deepEqual(config.targets.backup?.echo, { host: '10.10.0.3', port: 4460 });
  assert.deepEqual(config.ups && { name: config.ups.name, host: config.ups.host, port: config.ups.port }, {
    name: 'ups',
    host: '127.0.0.1',
    port: 3493,
  });
  assert.equal(config.spoolDir, PROBE_PATHS.spool);
  // It holds the token: not readable by everyone.
  assert.equal((await stat(configFile)).mode & 0o777, 0o640);

  const unit = await readFile(join(r.root, PROBE_PATHS.unit), 'utf8');
  assert.ok(unit.includes(`ExecStart=${ROOT}/deploy/bin/noc-service probe --config ${PROBE_PATHS.config}`), unit);
  if (ROOT !== '/opt/online-room-noc') assert.ok(!unit.includes('/opt/online-room-noc/deploy'), 'the unit names this checkout');
  assert.match(await readFile(join(r.root, PROBE_PATHS.env), 'utf8'), new RegExp(`^NOC_CACHE=${process.env.NOC_CACHE}$`, 'm'));

  // The agent takes the written config and reaches the NOC: its heartbeats make the site report.
  const spool = await tempDir('probe-spool');
  dirs.push(spool);
  const runnable = join(spool.path, 'agent.json');
  await writeFile(runnable, JSON.stringify({ ...JSON.parse(await readFile(configFile, 'utf8')), spoolDir: join(spool.path, 'spool') }));
  const agent = ManagedProcess.start({
    name: 'agent',
    command: process.execPath,
    args: [join(ROOT, 'probes/src/agent/index.ts'), '--config', runnable],
    quiet: true,
  });
  try {
    const started = Date.now();
    await waitFor(
      "da-bac's heartbeat through the installed config",
      () => {
        assert.ok(agent.running, `the agent exited:\n${agent.tail}`);
        return (noc.server.ctx.heartbeats.lastSeen('da-bac') ?? 0) >= started;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  } finally {
    await agent.stop();
  }
});

test('a wrong token: refused with what to do, nothing written', async () => {
  const good = noc.tokenFor('da-bac');
  const wrong = `da-bac.${good
    .slice(good.indexOf('.') + 1)
    .split('')
    .reverse()
    .join('')}`;
  const r = await install('--noc-url', noc.url, '--token', wrong);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refused the probe token of site "da-bac"/);
  assert.match(r.stderr, /issue-token\.ts --secret-file .* --site da-bac/);
  assert.match(r.stderr, /Nothing was installed/);
  assert.deepEqual(readdirSync(r.root), []);
});

test('a token of this NOC for a site it does not know: refused, naming the site', async () => {
  const r = await install('--noc-url', noc.url, '--token', noc.tokenFor('khong-co'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refused site "khong-co".*not in the site registry/);
  assert.deepEqual(readdirSync(r.root), []);
});

test('a wrong address: nothing listening, or something that is not the NOC', async () => {
  const token = noc.tokenFor('da-bac');
  const closed = await install('--noc-url', `http://127.0.0.1:${await freePort()}`, '--token', token);
  assert.equal(closed.code, 1);
  assert.match(closed.stderr, /cannot reach the NOC at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  assert.deepEqual(readdirSync(closed.root), []);

  const notNoc = await install('--noc-url', otherUrl, '--token', token);
  assert.equal(notNoc.code, 1);
  assert.match(notNoc.stderr, /answers, but not as the NOC server \(GET \/api\/health answered 404\)/);
  assert.deepEqual(readdirSync(notNoc.root), []);
});

test("without --sfu-echo the main node's echo is taken on the NOC's host, port 4460", async () => {
  const r = await install('--noc-url', noc.url, '--token', noc.tokenFor('tan-lac'));
  assert.equal(r.code, 0, r.stderr);
  const config = await loadAgentConfig(join(r.root, PROBE_PATHS.config));
  assert.deepEqual(config.targets.sfu.echo, { host: '127.0.0.1', port: 4460 });
  assert.equal(config.targets.backup, undefined);
});

test("a NOC over HTTPS with the province's own CA: refused until the CA is given, then trusted by the installer and the agent", async (t) => {
  const ca = await makeTestCa();
  t.after(() => ca.remove());
  // The NOC in this process; the installer, another process, trusts only what it is given.
  const https = await startTestNocServer({ env: { NOC_TLS_CERT: ca.certFile, NOC_TLS_KEY: ca.keyFile } });
  t.after(() => https.stop());
  assert.match(https.url, /^https:/);
  const token = https.tokenFor('da-bac');
  const untrusted = await install('--noc-url', https.url, '--token', token);
  assert.equal(untrusted.code, 1);
  assert.match(
    untrusted.stderr,
    /answers over HTTPS, but this PC does not trust its certificate \(\w+\): give the certificate of the CA it is from .* with --ca-file/,
  );
  assert.deepEqual(readdirSync(untrusted.root), []);

  const notPem = await install('--noc-url', https.url, '--token', token, '--ca-file', SCRIPT);
  assert.equal(notPem.code, 1);
  assert.match(notPem.stderr, /--ca-file .* is not a readable PEM certificate/);

  const trusted = await install('--noc-url', https.url, '--token', token, '--ca-file', ca.caFile);
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.match(trusted.stdout, /takes the probe token of site "da-bac"/);
  assert.equal(await readFile(join(trusted.root, PROBE_PATHS.ca), 'utf8'), await readFile(ca.caFile, 'utf8'));
  assert.match(await readFile(join(trusted.root, PROBE_PATHS.env), 'utf8'), new RegExp(`^NODE_EXTRA_CA_CERTS=${PROBE_PATHS.ca}$`, 'm'));
});

test('bad arguments are named before anything is asked', async () => {
  const noToken = await install('--noc-url', noc.url);
  assert.equal(noToken.code, 1);
  assert.match(noToken.stderr, /--noc-url and --token are needed/);
  const notToken = await install('--noc-url', noc.url, '--token', 'khongphaitoken');
  assert.match(notToken.stderr, /is not a probe token/);
  const badEcho = await install('--noc-url', noc.url, '--token', noc.tokenFor('da-bac'), '--sfu-echo', 'sfu-without-port');
  assert.equal(badEcho.code, 1);
  assert.match(badEcho.stderr, /the agent would refuse this config: .*targets\.sfu\.echo: must be "host:port"/);
  const badUrl = await install('--noc-url', 'ftp://noc', '--token', noc.tokenFor('da-bac'));
  assert.match(badUrl.stderr, /is not an http:\/\/ or https:\/\/ address/);
  assert.ok(!existsSync(join(badUrl.root, 'etc')));
  // --root is for files only: it never starts a service on this machine.
  const rooted = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile('bash', [SCRIPT, '--root', badUrl.root, '--noc-url', noc.url, '--token', noc.tokenFor('da-bac')], (err, _o, stderr) =>
      resolve({ code: err ? 1 : 0, stderr }),
    ),
  );
  assert.equal(rooted.code, 1);
  assert.match(rooted.stderr, /--root writes the files for another system: add --no-systemd/);
  assert.ok(!existsSync(join(badUrl.root, 'etc')));
});
