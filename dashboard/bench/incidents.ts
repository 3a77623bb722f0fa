// Incident benchmark (npm run bench:incidents), a benchmark, not a test:
//  1. Detection delay, on a real system: a private influxd, the NOC server and
//     the 12-site simulator on loopback, the shipped rules. Faults are injected
//     through the simulator's control endpoint; the delay is from the time the
//     endpoint gives to the incident's opening. UPS on battery (goal ≤ 2 s) and
//     site offline (goal ≤ 10 s), BENCH_ROUNDS rounds, on different sites.
//  2. Rule-evaluation cost per sample, in this process on a moved clock: the
//     engine over a real state database, fed what 12 sites send at 1 Hz, then
//     100 times that (12 sites at 100 Hz, and 1200 sites at 1 Hz), in
//     interleaved rounds; prints CPU µs per sample (ticks included) and the
//     ratio to the 1× case.
// The SFU node rules are switched off in part 1 (no SFU node runs here, and
// its incident would rightly suppress the site-offline alarm).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@noc/shared/child-process';
import { parseIncidentRules, type IncidentRules } from '@noc/shared/incident-rules';
import type { Point } from '@noc/shared/metrics';
import type { Site } from '@noc/shared/sites';
import { loadRegistry } from '@noc/shared/sites-loader';
import { waitFor } from '@noc/shared/wait';
import { openStateDb } from '../server/auth/state-db.ts';
import { readServerConfig } from '../server/config.ts';
import { IncidentEngine } from '../server/incidents/engine.ts';
import { IncidentStore } from '../server/incidents/incident-store.ts';
import { DEFAULT_RULES_FILE } from '../server/incidents/rule-settings.ts';
import { NocServer } from '../server/noc-server.ts';
import { influxdInstalled, startInfluxd, type RunningInfluxd } from '../server/store/influxd-process.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 10) throw new Error(`BENCH_ROUNDS must be 1-10, got "${process.env.BENCH_ROUNDS}"`);
const SIMULATOR = fileURLToPath(new URL('../../probes/src/simulator/index.ts', import.meta.url));

const defaults = (): IncidentRules => parseIncidentRules(readFileSync(DEFAULT_RULES_FILE, 'utf8'));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
};
const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// ---- 1. detection delay ------------------------------------------------------

async function detection(dir: string): Promise<void> {
  let influxd: RunningInfluxd | null = null;
  let noc: NocServer | null = null;
  let sim: ManagedProcess | null = null;
  try {
    const env: NodeJS.ProcessEnv = { NOC_DATA_DIR: join(dir, 'noc'), PORT: String(await freePort()), SFU_URL: 'http://127.0.0.1:9', NOC_ADMIN_PASSWORD: 'bench-admin-password' };
    if (influxdInstalled()) {
      influxd = await startInfluxd({ dir: join(dir, 'influxd'), httpPort: await freePort(), rpcPort: await freePort(), quiet: true });
      env.INFLUX_URL = influxd.url;
    }
    const rules = defaults();
    rules.rules.sfuMainDown.enabled = false;
    rules.rules.sfuBackupDown.enabled = false;
    env.NOC_INCIDENT_RULES_FILE = join(dir, 'rules.json');
    await writeFile(env.NOC_INCIDENT_RULES_FILE, JSON.stringify(rules));
    noc = await NocServer.create({ config: readServerConfig(env), logger: false });
    const controlPort = await freePort();
    sim = ManagedProcess.start({
      name: 'simulator',
      command: process.execPath,
      args: [SIMULATOR],
      env: { ...process.env, NOC_URL: noc.url, NOC_SECRET_FILE: join(dir, 'noc', 'secret.key'), SIM_SCENARIO: 'none', SIM_SPOOL_DIR: join(dir, 'spool'), SIM_CONTROL_PORT: String(controlPort) },
      logFile: join(dir, 'simulator.log'),
    });
    const control = `http://127.0.0.1:${controlPort}`;
    const server = noc;
    await waitFor('12 sites reporting', async () => {
      assert.ok(sim!.running, `the simulator exited:\n${sim!.tail}`);
      return server.ctx.heartbeats.reporting().length === 12;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const store = server.ctx.incidents.store;
    const inject = async (fault: object) => {
      const res = await fetch(`${control}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
      if (res.status !== 201) throw new Error(`injecting ${JSON.stringify(fault)}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; startedAt: number };
    };
    const opened = (site: string, rule: 'onBattery' | 'siteOffline', after: number) =>
      waitFor(`${rule} at ${site}`, async () => {
        const i = store.latest(site, rule);
        return i && i.state !== 'resolved' && i.openedAt >= after ? i.openedAt : undefined;
      }, { timeoutMs: 30_000, intervalMs: 10 });
    const battery: number[] = [];
    const offline: number[] = [];
    const powerSites = ['lac-son', 'cao-phong', 'tan-lac', 'kim-boi', 'yen-thuy', 'lac-thuy', 'mai-chau', 'luong-son', 'tinh', 'da-bac'];
    const cutSites = ['da-bac', 'mai-chau', 'luong-son', 'lac-thuy', 'tinh', 'yen-thuy', 'kim-boi', 'tan-lac', 'cao-phong', 'lac-son'];
    console.log(`\n1. detection delay, fault injected → incident open (${influxd ? 'influxd' : 'embedded store'}, shipped rules, ${ROUNDS} rounds)`);
    for (let r = 0; r < ROUNDS; r++) {
      const p = await inject({ fault: 'power-cut', site: powerSites[r]!, durationS: 120, drainMinutes: 25 });
      const c = await inject({ fault: 'link-cut', site: cutSites[r]!, durationS: 120 });
      const [pAt, cAt] = await Promise.all([opened(powerSites[r]!, 'onBattery', p.startedAt - 1000), opened(cutSites[r]!, 'siteOffline', c.startedAt - 1000)]);
      battery.push(pAt - p.startedAt);
      offline.push(cAt - c.startedAt);
      console.log(`   round ${r + 1}: UPS on battery at ${powerSites[r]} ${s1(pAt - p.startedAt)}, site offline at ${cutSites[r]} ${s1(cAt - c.startedAt)}`);
      await fetch(`${control}/faults/${p.id}`, { method: 'DELETE' });
      await fetch(`${control}/faults/${c.id}`, { method: 'DELETE' });
    }
    const b = stats(battery);
    const o = stats(offline);
    console.log(`   UPS on battery: min ${s1(b.min)}, median ${s1(b.median)}, max ${s1(b.max)} (goal ≤ 2 s: ${b.max <= 2000 ? 'met' : 'missed'})`);
    console.log(`   site offline:   min ${s1(o.min)}, median ${s1(o.median)}, max ${s1(o.max)} (goal ≤ 10 s: ${o.max <= 10_000 ? 'met' : 'missed'}; the rule waits 10 s of silence after the last heartbeat, which came up to 1 s before the cut)`);
  } finally {
    await sim?.stop();
    await noc?.close();
    await influxd?.stop();
  }
}

// ---- 2. evaluation cost --------------------------------------------------------

function manySites(registry: Site[], n: number): Site[] {
  if (n <= registry.length) return registry;
  const extra = Array.from({ length: n - registry.length }, (_, i) => ({ ...registry.at(-1)!, id: `site-${i + 1}`, name: `Điểm cầu ${i + 1}`, shortName: `ĐC ${i + 1}`, role: 'site' as const }));
  return [...registry, ...extra];
}

interface CostCase {
  name: string;
  sites: number;
  hz: number;
  seconds: number;
}

async function cost(dir: string): Promise<void> {
  const registry = (await loadRegistry()).sites;
  const cases: CostCase[] = [
    { name: '12 sites × 1 Hz', sites: 12, hz: 1, seconds: 300 },
    { name: '12 sites × 100 Hz', sites: 12, hz: 100, seconds: 10 },
    { name: '1200 sites × 1 Hz', sites: 1200, hz: 1, seconds: 10 },
  ];
  const results = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const checks = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      const db = openStateDb(join(dir, `cost-${round}-${c.sites}-${c.hz}.db`));
      const sites = manySites(registry, c.sites);
      let now = Date.UTC(2026, 11, 1, 2, 0, 0);
      const rules = defaults();
      const engine = new IncidentEngine({
        sites,
        store: new IncidentStore(db),
        rules: () => rules,
        schedule: null,
        meetings: () => [],
        health: () => null,
        windows: () => [],
        onChange: () => {},
        now: () => now,
        log: () => {},
      });
      const stepMs = 1000 / c.hz;
      let samples = 0;
      const start = process.cpuUsage();
      for (let step = 0; step < c.seconds * c.hz; step++) {
        now += stepMs;
        for (const s of sites) {
          const at = Math.round(now);
          const batch: Point[] = [
            { measurement: 'probe', tags: { site: s.id }, fields: { seq: step, spool_depth: 0 }, time: at },
            { measurement: 'link', tags: { site: s.id, target: 'sfu' }, fields: { rtt_ms: 40 + (step % 7), jitter_ms: 3, loss_pct: step % 50 === 0 ? 2 : 0 }, time: at },
            { measurement: 'power', tags: { site: s.id }, fields: { on_mains: true, status: 'OL', battery_pct: 100, runtime_s: 1800 }, time: at },
            { measurement: 'env', tags: { site: s.id }, fields: { temp_c: 26, humidity_pct: 60 }, time: at },
          ];
          engine.onPoints(batch);
          samples += batch.length;
        }
        // The server's timer checks every site each 500 ms.
        if (Math.floor(now / 500) !== Math.floor((now - stepMs) / 500)) engine.tick();
      }
      const used = process.cpuUsage(start);
      results.get(c.name)!.push((used.user + used.system) / samples);
      checks.set(c.name, engine.stats.checks / samples);
      db.close();
    }
  }
  console.log(`\n2. rule evaluation, CPU per sample (4 samples per site and report, checks at once per batch and every 500 ms; median of ${ROUNDS} interleaved rounds)`);
  const base = stats(results.get(cases[0]!.name)!).median;
  for (const c of cases) {
    const m = stats(results.get(c.name)!).median;
    const perSecond = c.sites * c.hz * 4;
    console.log(
      `   ${c.name.padEnd(18)} ${m.toFixed(1).padStart(6)} µs/sample  ×${(m / base).toFixed(2)} of 1×   ${perSecond} samples/s → ${((m * perSecond) / 1e4).toFixed(1)} % of a core   (${checks.get(c.name)!.toFixed(1)} rule checks/sample)`,
    );
  }
}

const dir = await mkdtemp(join(tmpdir(), 'bench-incidents-'));
try {
  await cost(dir);
  await detection(dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
