// Simulates the probes of every site in the registry: each site runs a real
// probe agent in this process (disk spool, sender, heartbeat, room-sensor
// file), with its link and UPS simulated from the site's model, and sends
// through the ingest gateway exactly as a deployed probe does. The scenario's
// faults happen on schedule; a cut link is a per-site gate that refuses every
// connection, so the agent's own spool holds the samples and replays them.
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '@noc/shared/sites-loader';
import { errorMessage } from '../agent/log.ts';
import { loadScenario } from './scenario.ts';
import { SimSite } from './sim-site.ts';
import { Timeline } from './timeline.ts';

const nocUrl = (process.env.NOC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`).replace(/\/+$/, '');
const secretFile = process.env.NOC_SECRET_FILE;
if (!secretFile) throw new Error('NOC_SECRET_FILE must name the NOC server secret the simulator issues its probe tokens from');
const intervalMs = Number(process.env.SIM_INTERVAL_MS ?? 1000);
if (!(intervalMs >= 100 && intervalMs <= 60_000)) throw new Error('SIM_INTERVAL_MS must be 100-60000');
const scenarioFile = process.env.SIM_SCENARIO ?? fileURLToPath(new URL('../../scenarios/default.json', import.meta.url));
const spoolRoot = resolve(
  process.env.SIM_SPOOL_DIR ?? (process.env.NOC_DATA_DIR ? join(process.env.NOC_DATA_DIR, 'sim-spool') : join(tmpdir(), 'noc-sim-spool')),
);

const secret = Buffer.from((await readFile(secretFile, 'utf8')).trim(), 'hex');
const registry = await loadRegistry(process.env.NOC_SITES_FILE || undefined);
const timeline = new Timeline(
  process.env.SIM_SCENARIO === 'none' ? { name: 'none', meetings: [], faults: [] } : await loadScenario(scenarioFile, new Set(registry.sites.map((s) => s.id))),
);

const startedAt = Date.now();
const now = (site: string) => {
  const t = Date.now() - startedAt;
  return { conditions: timeline.at(site, t), t };
};

const sites: SimSite[] = [];
let stopping = false;

// The world the agents measure (at the sites started so far): room sensors,
// link cuts (logged here; the gates ask the timeline themselves) and probe
// restarts.
let lastT = 0;
const cut = new Set<string>();
const timer = setInterval(() => {
  if (stopping) return;
  const t = Date.now() - startedAt;
  const restarts = timeline.restartsBetween(lastT, t);
  lastT = t;
  for (const site of sites) {
    const id = site.model.site.id;
    const conditions = timeline.at(id, t);
    if (conditions.linkCut !== cut.has(id)) {
      if (conditions.linkCut) cut.add(id);
      else cut.delete(id);
      console.log(`[site:${id}] link ${conditions.linkCut ? 'cut' : 'back'} (scenario)`);
    }
    site.writeSensor(conditions).catch((err: unknown) => console.error(`[site:${id}] writing the sensor file: ${errorMessage(err)}`));
    if (restarts.includes(id)) {
      console.log(`[site:${id}] probe restarting (scenario)`);
      void site.restart();
    }
  }
}, intervalMs);

async function stop(code: number): Promise<never> {
  clearInterval(timer);
  const closed = await Promise.allSettled(sites.map((s) => s.close()));
  for (const result of closed) if (result.status === 'rejected') console.error(`[simulator] stopping: ${errorMessage(result.reason)}`);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`[simulator] ${signal}: stopping the probe agents`);
    void stop(0);
  });
}

try {
  for (const site of registry.sites) {
    if (stopping) break;
    const dir = join(spoolRoot, site.id);
    await mkdir(dir, { recursive: true });
    sites.push(await SimSite.start({ site, nocUrl, secret, dir, intervalMs, now }));
  }
} catch (err) {
  console.error(`[simulator] cannot start: ${errorMessage(err)}`);
  await stop(1);
}

console.log(
  `[simulator] ${sites.length} probe agents sending to ${nocUrl}/api/ingest every ${intervalMs} ms (spools in ${spoolRoot}); scenario: ${timeline.scenario.name} (${timeline.scenario.faults.length} faults)`,
);
