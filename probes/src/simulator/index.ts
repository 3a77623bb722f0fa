// Simulates the probes of every site in the registry: each sends its samples
// through the ingest gateway once a second, exactly as a real probe does.
import { readFile } from 'node:fs/promises';
import { issueProbeToken } from '@noc/shared/probe-token';
import { loadRegistry } from '@noc/shared/sites-loader';
import { IngestClient, IngestRejectedError } from '@noc/shared/ingest-client';
import { SiteModel } from './site-model.ts';

const nocUrl = (process.env.NOC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`).replace(/\/+$/, '');
const secretFile = process.env.NOC_SECRET_FILE;
if (!secretFile) throw new Error('NOC_SECRET_FILE must name the NOC server secret the simulator issues its probe tokens from');
const intervalMs = Number(process.env.SIM_INTERVAL_MS ?? 1000);
if (!(intervalMs >= 100 && intervalMs <= 60_000)) throw new Error('SIM_INTERVAL_MS must be 100-60000');

const secret = Buffer.from((await readFile(secretFile, 'utf8')).trim(), 'hex');
const registry = await loadRegistry(process.env.NOC_SITES_FILE || undefined);

const probes = registry.sites.map((site) => {
  const client = new IngestClient({
    url: `${nocUrl}/api/ingest`,
    token: issueProbeToken(secret, site.id),
    onError: (msg) => console.warn(`[site:${site.id}] ${msg}`),
  });
  return { model: new SiteModel(site), client };
});

console.log(`[simulator] ${probes.length} sites sending to ${nocUrl}/api/ingest every ${intervalMs} ms`);

const timer = setInterval(() => {
  for (const { model, client } of probes) {
    client.send(model.tick(client.spoolDepth)).catch((err: unknown) => {
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
