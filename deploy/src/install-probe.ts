// Installs the probe agent on a site's PC (deploy/install-probe.sh runs it): checks that the
// NOC takes the site's probe token (probe-token-check.ts), writes the agent's config (checked by
// the agent's own rules, probes/src/agent/config.ts), its environment file and its systemd unit,
// then makes the service's user and starts the service. Nothing is written when the check fails.
// `--root DIR` writes every file under DIR instead of `/`; `--no-systemd` writes the files only.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseAgentConfig } from '../../probes/src/agent/config.ts';
import { checkEcho } from './echo-check.ts';
import { PROBE_PATHS } from './probe-paths.ts';
import { checkProbeToken } from './probe-token-check.ts';
import { commandLine } from './command-line.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
/** Where the unit templates say the repository is. */
const TEMPLATE_REPO = '/opt/online-room-noc';
const UNIT_TEMPLATE = join(REPO, 'deploy/systemd/noc-probe.service');

const USAGE = `usage: deploy/install-probe.sh --noc-url URL --token TOKEN [options]
  --noc-url URL          the NOC server's address, as this PC reaches it (https://noc.example:443)
  --token TOKEN          the site's probe token (on the NOC: node probes/src/agent/issue-token.ts --secret-file … --site …)
  --sfu-echo HOST:PORT   the main SFU node's link echo (default: the NOC's host, port 4460)
  --sfu-http URL         the main SFU node's health URL, tried when no echo comes back
  --backup-echo HOST:PORT   the backup SFU node's link echo (TTGDTX Thành phố)
  --isp-echo HOST:PORT   an echo responder at the provider, if there is one
  --ca-file FILE         the certificate (PEM) of the CA the NOC's and SFU nodes' certificates are from, when
                         it is the province's own: trusted for the checks, and by the agent (NODE_EXTRA_CA_CERTS)
  --ups NAME@HOST[:PORT] the UPS in NUT's upsd (e.g. ups@127.0.0.1:3493)
  --sensor-file FILE     the room sensor's reading file (JSON or key=value)
  --root DIR             write every file under DIR instead of / (for a test or an image; with --no-systemd)
  --no-systemd           write the files only: no user, no systemctl`;

const say = (message: string) => console.log(`[install-probe] ${message}`);

const OPTIONS = {
  'noc-url': { type: 'string' },
  token: { type: 'string' },
  'sfu-echo': { type: 'string' },
  'sfu-http': { type: 'string' },
  'backup-echo': { type: 'string' },
  'isp-echo': { type: 'string' },
  ups: { type: 'string' },
  'ca-file': { type: 'string' },
  'sensor-file': { type: 'string' },
  root: { type: 'string', default: '/' },
  'no-systemd': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

const cli = commandLine('install-probe', USAGE, OPTIONS);
const args = cli.values;
// Declared with its type, so TypeScript knows a call to it does not return.
const fail: (message: string) => never = cli.fail;
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!args['noc-url'] || !args.token) fail(`--noc-url and --token are needed\n${USAGE}`);
const token = args.token.trim();
const dot = token.lastIndexOf('.');
if (dot <= 0) fail(`--token "${token}" is not a probe token: it looks like <site>.<code>`);
const site = token.slice(0, dot);

let nocUrl: URL;
try {
  nocUrl = new URL(args['noc-url']);
  if (nocUrl.protocol !== 'http:' && nocUrl.protocol !== 'https:') throw new Error('not http(s)');
} catch {
  fail(`--noc-url "${args['noc-url']}" is not an http:// or https:// address`);
}

function upsOf(text: string | undefined) {
  if (text === undefined) return undefined;
  const m = /^([^@\s]+)@([^:\s]+)(?::(\d+))?$/.exec(text);
  if (!m) fail(`--ups "${text}" must be NAME@HOST or NAME@HOST:PORT`);
  return { name: m[1]!, host: m[2]!, port: m[3] ? Number(m[3]) : 3493 };
}

const raw = {
  site,
  token,
  nocUrl: nocUrl.href.replace(/\/+$/, ''),
  targets: {
    sfu: {
      echo: args['sfu-echo'] ?? `${nocUrl.hostname.includes(':') ? `[${nocUrl.hostname}]` : nocUrl.hostname}:4460`,
      ...(args['sfu-http'] ? { http: args['sfu-http'] } : {}),
    },
    ...(args['backup-echo'] ? { backup: args['backup-echo'] } : {}),
    ...(args['isp-echo'] ? { isp: args['isp-echo'] } : {}),
  },
  ...(args.ups ? { ups: upsOf(args.ups) } : {}),
  ...(args['sensor-file'] ? { sensor: { file: args['sensor-file'] } } : {}),
  spoolDir: PROBE_PATHS.spool,
};
// The agent's own rules, so the agent takes what is written.
function checked() {
  try {
    return parseAgentConfig(raw, PROBE_PATHS.config);
  } catch (err) {
    return fail(`the agent would refuse this config: ${(err as Error).message}`);
  }
}
const parsed = checked();

if (!args['no-systemd'] && resolve(args.root) !== '/') fail('--root writes the files for another system: add --no-systemd');
if (!args['no-systemd'] && process.getuid?.() !== 0) {
  fail('installing the service needs root (sudo deploy/install-probe.sh …), or --no-systemd to write the files only');
}
// The service sees neither /root nor /home (ProtectHome): the checkout and Node.js must be elsewhere.
const hidden = (path: string | undefined) => path !== undefined && /^\/(root|home)(\/|$)/.test(path);
if (!args['no-systemd'] && hidden(REPO))
  fail(`the checkout is in ${REPO}, which the service cannot see (ProtectHome): put it in /opt/online-room-noc`);
if (!args['no-systemd'] && hidden(process.env.NOC_CACHE)) {
  fail(
    `NOC_CACHE is ${process.env.NOC_CACHE}, which the service cannot see (ProtectHome): run the setup with NOC_CACHE=/var/cache/online-room-noc, then this again`,
  );
}

// The province's CA: trusted from here on by this process's checks, as the agent will trust it.
async function readCa(file: string | undefined): Promise<string | null> {
  if (file === undefined) return null;
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
    new X509Certificate(pem);
  } catch (err) {
    return fail(`--ca-file ${file} is not a readable PEM certificate: ${(err as Error).message}`);
  }
  setDefaultCACertificates([...getCACertificates('default'), pem]);
  return pem;
}
const caPem = await readCa(args['ca-file']);

const check = await checkProbeToken(raw.nocUrl, token);
if (!check.ok) fail(`${check.message}\nNothing was installed.`);
say(check.message);

// The link echoes: a warning only, as the agent runs without them.
for (const [target, t] of Object.entries(parsed.targets)) {
  if (!t) continue;
  const where = `${t.echo.host}:${t.echo.port}`;
  const echo = await checkEcho(t.echo.host, t.echo.port);
  if (echo.answered > 0) say(`the ${target} link echo at ${where} answers over UDP (${echo.answered} of ${echo.sent} datagrams)`);
  else {
    console.warn(
      `[install-probe] warning: no answer from the ${target} link echo at ${where} over UDP` +
        `${echo.error ? ` (${echo.error})` : ''}: the agent will report this link unreachable` +
        `${t.http ? ', or fall back to its HTTP URL,' : ''} until UDP ${t.echo.port} gets through to it`,
    );
  }
}

const root = resolve(args.root);
const under = (path: string) => join(root, path);

async function put(path: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(under(path)), { recursive: true, mode: 0o755 });
  await writeFile(under(path), text, { mode });
  await chmod(under(path), mode);
  say(`wrote ${under(path)}`);
}

const unit = (await readFile(UNIT_TEMPLATE, 'utf8')).replaceAll(TEMPLATE_REPO, REPO);
const cache = process.env.NOC_CACHE;
await put(PROBE_PATHS.config, JSON.stringify(raw, null, 2) + '\n', 0o640);
if (caPem !== null) await put(PROBE_PATHS.ca, caPem, 0o644);
await put(
  PROBE_PATHS.env,
  `# The probe agent's environment (noc-probe.service), written by deploy/install-probe.sh.\n` +
    `# Where the setup keeps Node.js (scripts/env.sh).\n${cache ? `NOC_CACHE=${cache}\n` : ''}` +
    (caPem !== null
      ? `# The province's CA, which the NOC's and the SFU nodes' certificates are from.\nNODE_EXTRA_CA_CERTS=${PROBE_PATHS.ca}\n`
      : ''),
  0o644,
);
await put(PROBE_PATHS.unit, unit, 0o644);

if (args['no-systemd']) {
  say(`--no-systemd: files written under ${root}; no user made, no service started`);
  process.exit(0);
}

const run = (program: string, ...argv: string[]) => execFileSync(program, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
try {
  try {
    run('id', '-u', PROBE_PATHS.user);
  } catch {
    run('useradd', '--system', '--home-dir', '/var/lib/noc-probe', '--no-create-home', '--shell', '/usr/sbin/nologin', PROBE_PATHS.user);
    say(`made the system user ${PROBE_PATHS.user}`);
  }
  // The config holds the token: readable by root and the agent's group only.
  const gid = Number(run('id', '-g', PROBE_PATHS.user).trim());
  await chown(under(PROBE_PATHS.config), 0, gid);
  run('systemctl', 'daemon-reload');
  run('systemctl', 'enable', PROBE_PATHS.service);
  run('systemctl', 'restart', PROBE_PATHS.service);
  await new Promise((r) => setTimeout(r, 3000));
  const state = (() => {
    try {
      return run('systemctl', 'is-active', PROBE_PATHS.service).trim();
    } catch (err) {
      return ((err as { stdout?: string }).stdout ?? '').trim() || 'unknown';
    }
  })();
  if (state !== 'active') fail(`${PROBE_PATHS.service} is ${state}: see journalctl -u ${PROBE_PATHS.service}`);
  say(`${PROBE_PATHS.service} is running; its log: journalctl -u ${PROBE_PATHS.service} -f`);
} catch (err) {
  fail(`installing the service failed: ${(err as Error).message}`);
}
