// The systemd units and environment-file templates of deploy/: each unit passes
// `systemd-analyze verify` (with the repository in place of /opt/online-room-noc), runs as its
// own user with the hardening the deployment promises, starts a part noc-service knows, and reads
// an environment file whose template sets only variables the code reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { readServerConfig } from '../../dashboard/server/config.ts';
import { privateInfluxd } from '../../deploy/src/private-influxd.ts';
import { readSfuConfig } from '../../sfu/src/config.ts';
import { makeTestCa } from '../fixtures/test-ca.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
const UNITS = join(ROOT, 'deploy/systemd');
const ENVS = join(ROOT, 'deploy/env');
const SERVICES = readdirSync(UNITS).filter((f) => f.endsWith('.service'));
const unitText = (name: string) => readFileSync(join(UNITS, name), 'utf8');

/** `Key=value` lines of a unit's [Service] section (a key given twice keeps both). */
function serviceSection(text: string): [string, string][] {
  const lines = text.split('\n');
  const start = lines.indexOf('[Service]');
  assert.ok(start >= 0, 'no [Service] section');
  const out: [string, string][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('[')) break;
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) out.push([m[1]!, m[2]!]);
  }
  return out;
}
const valueOf = (section: [string, string][], key: string) => section.find(([k]) => k === key)?.[1];

/** The variables an env template sets (not the commented ones). */
function templateVariables(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => /^([A-Z][A-Z0-9_]*)=/.exec(l)?.[1])
    .filter((v): v is string => v !== undefined);
}

/** Every source file the NOC server, the SFU node, the shared code, the deploy scripts and the setup's env read settings in. */
function sources(): string {
  const out: string[] = [readFileSync(join(ROOT, 'scripts/env.sh'), 'utf8')];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push(readFileSync(path, 'utf8'));
    }
  };
  for (const dir of ['dashboard/server', 'sfu/src', 'shared/src', 'deploy/src']) walk(join(ROOT, dir));
  return out.join('\n');
}

test('every unit passes systemd-analyze verify with the repository in its place', async () => {
  assert.ok(
    existsSync('/usr/bin/systemd-analyze'),
    'systemd-analyze is not installed (Debian package systemd): run bash scripts/setup.sh apt',
  );
  const dir = await mkdtemp(join(tmpdir(), 'noc-units-'));
  try {
    const names = readdirSync(UNITS);
    assert.ok(names.includes('noc-backup.timer'));
    for (const name of names) await writeFile(join(dir, name), unitText(name).replaceAll('/opt/online-room-noc', ROOT));
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile('systemd-analyze', ['verify', ...names.map((n) => join(dir, n))], (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    // A unit's own problems are named with its file; systemd's about other units of the machine are not ours.
    const ours = output.split('\n').filter((l) => l.includes(dir) || SERVICES.some((s) => l.startsWith(`${s}:`)));
    assert.equal(code, 0, output);
    assert.deepEqual(ours, []);
    // The check itself can fail: a misspelt setting is reported.
    await writeFile(
      join(dir, 'noc-sfu.service'),
      unitText('noc-sfu.service').replaceAll('/opt/online-room-noc', ROOT).replace('NoNewPrivileges=yes', 'NoNewPrivileges=perhaps'),
    );
    const bad = await new Promise<string>((resolve) =>
      execFile('systemd-analyze', ['verify', join(dir, 'noc-sfu.service')], (_e, o, e) => resolve(`${o}${e}`)),
    );
    assert.match(bad, /noc-sfu\.service:\d+: .*perhaps/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('every service runs as its own user, with the promised hardening, and writes only its data folder', () => {
  assert.deepEqual(SERVICES.sort(), [
    'noc-backup.service',
    'noc-influxd.service',
    'noc-probe.service',
    'noc-server.service',
    'noc-sfu.service',
  ]);
  for (const name of SERVICES) {
    const s = serviceSection(unitText(name));
    const user = valueOf(s, 'User');
    assert.ok(user === 'noc' || user === 'noc-probe', `${name}: User=${user}`);
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['UMask', '0077'],
    ] as const) {
      assert.equal(valueOf(s, key), value, `${name}: ${key}`);
    }
    // What it may write: nothing (the SFU node), or its data folder.
    const writable = s.filter(([k]) => k === 'ReadWritePaths').flatMap(([, v]) => v.split(/\s+/));
    if (name === 'noc-sfu.service') assert.deepEqual(writable, []);
    else if (name === 'noc-probe.service') assert.deepEqual(writable, ['/var/lib/noc-probe']);
    else assert.ok(writable.includes('/var/lib/online-room-noc'), `${name}: ReadWritePaths=${writable.join(' ')}`);
    // Only the NOC server keeps a capability: binding port 443.
    const caps = valueOf(s, 'CapabilityBoundingSet');
    assert.equal(caps, name === 'noc-server.service' ? 'CAP_NET_BIND_SERVICE' : '', `${name}: CapabilityBoundingSet`);
  }
});

test('every service starts a part noc-service knows, with an environment file that has a template', () => {
  const wrapper = readFileSync(join(ROOT, 'deploy/bin/noc-service'), 'utf8');
  assert.ok(statSync(join(ROOT, 'deploy/bin/noc-service')).mode & 0o100, 'deploy/bin/noc-service is executable');
  const templates: Record<string, string> = {
    '/etc/online-room-noc/noc.env': 'noc.env',
    '/etc/online-room-noc/sfu.env': 'sfu-main.env',
    '/etc/online-room-noc/probe.env': 'probe.env',
  };
  for (const name of SERVICES) {
    const s = serviceSection(unitText(name));
    const exec = valueOf(s, 'ExecStart') ?? '';
    const m = /^\/opt\/online-room-noc\/deploy\/bin\/noc-service (\w+)/.exec(exec);
    assert.ok(m, `${name}: ExecStart=${exec}`);
    assert.match(wrapper, new RegExp(`\\n  ${m[1]}\\) exec node ([\\w/.-]+)`), `${name}: noc-service has no part "${m[1]}"`);
    const script = new RegExp(`\\n  ${m[1]}\\) exec node ([\\w/.-]+)`).exec(wrapper)![1]!;
    assert.ok(existsSync(join(ROOT, script)), `${name}: ${script} is missing`);
    const envFile = valueOf(s, 'EnvironmentFile') ?? '';
    assert.ok(templates[envFile], `${name}: EnvironmentFile=${envFile} has no template`);
  }
});

test('the environment templates set only variables the code reads', () => {
  const code = sources();
  const files = readdirSync(ENVS);
  assert.deepEqual(files.sort(), ['noc.env', 'probe.env', 'sfu-backup.env', 'sfu-main.env']);
  for (const file of files) {
    const vars = templateVariables(join(ENVS, file));
    assert.ok(vars.length > 0, file);
    for (const v of vars) {
      const read = new RegExp(`(env\\.${v}\\b|['"\`]${v}['"\`]|\\b${v}=|\\$\\{?${v}\\b)`).test(code);
      assert.ok(read, `${relative(ROOT, join(ENVS, file))}: ${v} is read nowhere`);
    }
  }
  // The check can fail.
  assert.ok(!new RegExp(`(env\\.NOC_NO_SUCH_SETTING\\b|['"\`]NOC_NO_SUCH_SETTING['"\`])`).test(code));
  // The two SFU nodes differ in their role and their addresses only.
  const main = templateVariables(join(ENVS, 'sfu-main.env'));
  assert.deepEqual(templateVariables(join(ENVS, 'sfu-backup.env')), main);
  for (const v of [
    'SFU_NODE',
    'SFU_PEER_URL',
    'SFU_ANNOUNCED_ADDRESS',
    'SFU_RTC_MIN_PORT',
    'SFU_RTC_MAX_PORT',
    'SFU_LISTEN_IP',
    'NOC_SECRET_FILE',
  ]) {
    assert.ok(main.includes(v), `sfu-main.env sets ${v}`);
  }
});

test('each environment template gives a configuration its part accepts, with the roles and addresses it says', async (t) => {
  // The certificates the templates name, made for the test where they point.
  const ca = await makeTestCa();
  t.after(() => ca.remove());
  const TLS = '/etc/online-room-noc/tls/';
  const envOf = (file: string) => {
    const env = parseEnv(readFileSync(join(ENVS, file), 'utf8')) as NodeJS.ProcessEnv;
    for (const [k, v] of Object.entries(env)) {
      if (v?.startsWith(TLS)) env[k] = v.endsWith('.key') ? ca.keyFile : ca.certFile;
    }
    return env;
  };
  const noc = readServerConfig(envOf('noc.env'));
  assert.equal(noc.port, 443);
  assert.equal(noc.host, '0.0.0.0');
  assert.equal(noc.dataDir, '/var/lib/online-room-noc');
  assert.equal(noc.secretFile, '/etc/online-room-noc/secret.key');
  assert.equal(noc.influxUrl, privateInfluxd(envOf('noc.env')).url, "INFLUX_URL is the private influxd's");
  assert.equal(noc.simulator, false);
  assert.ok(noc.tls, 'the NOC serves HTTPS');
  assert.equal(noc.httpRedirectPort, 80);
  const main = readSfuConfig(envOf('sfu-main.env'));
  const backup = readSfuConfig(envOf('sfu-backup.env'));
  assert.equal(main.node, 'main');
  assert.equal(backup.node, 'backup');
  for (const sfu of [main, backup]) {
    assert.equal(sfu.listenIp, '0.0.0.0');
    assert.match(sfu.announcedAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(sfu.secretFile, noc.secretFile, 'the nodes sign with the NOC secret');
    assert.equal(sfu.echoPort, 4460);
    assert.equal(sfu.nocUrl, envOf('noc.env').NOC_PUBLIC_URL);
    assert.ok(sfu.tls, 'the node serves HTTPS and WSS');
  }
  assert.notEqual(main.announcedAddress, backup.announcedAddress);
  // Each node's peer is the other, as the NOC names them.
  assert.equal(main.peerUrl, noc.sfuBackupUrl);
  assert.equal(backup.peerUrl, noc.sfuUrl);
});
