// `npm run grafana:build`: writes every dashboard's JSON into dashboards/, the
// folder provisioning/dashboards/noc.yaml points Grafana at, and removes
// generated files of dashboards that no longer exist.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderDashboards } from './dashboards.ts';

export const DASHBOARDS_DIR = fileURLToPath(new URL('../dashboards/', import.meta.url));

if (import.meta.main) {
  const files = renderDashboards();
  await mkdir(DASHBOARDS_DIR, { recursive: true });
  for (const old of await readdir(DASHBOARDS_DIR)) {
    if (old.endsWith('.json') && !files.has(old)) await rm(DASHBOARDS_DIR + old);
  }
  for (const [file, text] of files) await writeFile(DASHBOARDS_DIR + file, text);
  console.log(`[grafana] wrote ${[...files.keys()].join(', ')} to ${DASHBOARDS_DIR}`);
}
