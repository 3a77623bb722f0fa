// Simulates the probes of every site in the registry: each sends its samples
// through the ingest gateway once a second, exactly as a real probe does, and
// the scenario's faults happen on schedule (a cut link holds the site's
// samples until it comes back, as a probe's spool does).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { IngestClient, IngestRejectedError } from '@noc/shared/ingest-client';
import type { ProbeSample } from '@noc/shared/metrics';
import { issueProbeToken } from '@noc/shared/probe-token';
import { loadRegistry } from '@noc/shared/sites-loader';
import { loadScenario } from './scenario.ts';
import { SiteModel } from './site-model.ts';
import { Timeline } from './timeline.ts';

const nocUrl = (process.env.NOC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`).replace(/\/+$/, '');
const secretFile = process.env.NOC_SECRET_FILE;
if (!secretFile) throw new Error('NOC_SECRET_FILE must name the NOC server secret the simulator issues its probe tokens from');
const intervalMs = Number(process.env.SIM_INTERVAL_MS ?? 1000);
if (!(intervalMs >= 100 && intervalMs <= 60_000)) throw new Error('SIM_INTERVAL_MS must be 100-60000');
const scenarioFile = process.env.SIM_SCENARIO ?? fileURLToPath(new URL('../../scenarios/default.json', import.meta.url));

const secret = Buffer.from((await readFile(secretFile, 'utf8')).trim(), 'hex');
const registry = await loadRegistry(process.env.NOC_SITES_FILE || undefined);
const timeline = new Timeline(
  process.env.SIM_SCENARIO === 'none' ? { name: 'none', meetings: [], faults: [] } : await loadScenario(scenarioFile, new Set(registry.sites.map((s) => s.id))),
);

const probes = registry.sites.map((site) => {
  const client = new IngestClient({
    url: `${nocUrl}/api/ingest`,
    token: issueProbeToken(secret, site.id),
    onError: (msg) => console.warn(`[site:${site.id}] ${msg}`),
  });
  return { model: new SiteModel(site), client, held: [] as ProbeSample[] };
});

console.log(
  `[simulator] ${probes.length} sites sending to ${nocUrl}/api/ingest every ${intervalMs} ms; scenario: ${timeline.scenario.name} (${timeline.scenario.faults.length} faults)`,
);

const startedAt = Date.now();
let lastT = 0;
const timer = setInterval(() => {
  const t = Date.now() - startedAt;
  for (const site of timeline.restartsBetween(lastT, t)) {
    probes.find((p) => p.model.site.id === site)?.model.restart();
    console.log(`[site:${site}] probe restarted (scenario)`);
  }
  lastT = t;
  for (const probe of probes) {
    const { model, client } = probe;
    const conditions = timeline.at(model.site.id, t);
    const samples = model.tick(client.spoolDepth + probe.held.length, conditions, t);
    if (conditions.linkCut) {
      // The site is cut off: its samples wait at the site.
      probe.held.push(...samples.map((s) => ({ ...s, time: s.time ?? Date.now() }) as ProbeSample));
      continue;
    }
    const batch = probe.held.length ? [...probe.held.splice(0), ...samples] : samples;
    client.send(batch).catch((err: unknown) => {
      const message = err instanceof IngestRejectedError ? err.message : String(err);
      console.error(`[site:${model.site.id}] ${message}`);
    });
  }
}, intervalMs);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    clearInterval(timer);
    process.exit(0);
  });
}
