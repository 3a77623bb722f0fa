// Every Grafana dashboard's query against a real influxd (1.12 with Flux)
// filled the way the NOC fills it: the simulator's 12 sites through the ingest
// gateway, the NOC's own quality grades, an SFU node's load, and the figures of
// a short capacity test run through the NOC's API. Each query runs as Grafana
// would run it (macros and variables substituted; InfluxQL through the
// `influx` client, Flux through @influxdata/influxdb-client's query API) and
// must return at least one series with a value in every field it reads; a
// query for a field with no data, or one the schema lacks, fails naming its panel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InfluxDB as FluxClient } from '@influxdata/influxdb-client';
import { InfluxDB as InfluxqlClient } from 'influx';
import type { ManagedProcess } from '@noc/shared/child-process';
import type { LoadTestRun } from '@noc/shared/load-test';
import { DATABASE } from '@noc/shared/metrics';
import { waitFor } from '@noc/shared/wait';
import { DASHBOARDS_DIR } from '@noc/grafana/build';
import { RAW_BUCKET } from '@noc/grafana/datasources';
import type { MacroContext } from '@noc/grafana/macros';
import { dashboardQueries, type DashboardQuery, type JsonDashboard } from '@noc/grafana/panel-queries';
import { runDashboardQuery, type QueryClients, type QueryOutcome } from '@noc/grafana/run-queries';
import { loadTestPoint } from '../../dashboard/server/load-tests/load-test-points.ts';
import { fetchAs } from '../fixtures/auth.ts';
import { startTestInfluxd, type InfluxdFixture } from '../fixtures/influxd.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';
import { startSimulator } from '../fixtures/simulator.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

let influxd: InfluxdFixture;
let noc: NocFixture;
let sfu: SfuFixture;
let sim: ManagedProcess;
let simDir: { path: string; remove(): Promise<void> };
let clients: QueryClients;
const startedAt = Date.now();

const count = async (measurement: string): Promise<number> => {
  const s = await influxd.query(`SELECT count(*) FROM "${measurement}" WHERE time > now() - 10m`);
  return s[0] ? Math.max(0, ...(s[0].values[0]!.slice(1) as number[]).filter((v) => typeof v === 'number')) : 0;
};

before(async () => {
  influxd = await startTestInfluxd();
  const sfuPort = await freePort();
  noc = await startTestNocServer({ influxUrl: influxd.url, sfuUrl: `http://127.0.0.1:${sfuPort}` });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile, nocUrl: noc.url, env: { SFU_STATS_INTERVAL_MS: '1000' } });
  const url = new URL(influxd.url);
  clients = {
    influxql: new InfluxqlClient({ host: url.hostname, port: Number(url.port), protocol: 'http', database: DATABASE }),
    database: DATABASE,
    flux: new FluxClient({ url: influxd.url, token: '' }).getQueryApi('noc'),
  };

  // A short capacity test through the NOC's API first, on an idle SFU node: its figures become `loadtest` points.
  const admin = await noc.adminCookie();
  const res = await fetchAs(admin, `${noc.url}/api/load-tests`, {
    method: 'POST',
    json: { sites: ['da-bac'], seats: 4, durationS: 30, browsers: 1, walls: 0 },
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { run } = (await res.json()) as { run: LoadTestRun };
  await waitFor(
    'the capacity test ends',
    async () => {
      const r = (await (await fetchAs(admin, `${noc.url}/api/load-tests/${run.id}`)).json()) as { run: LoadTestRun };
      return r.run.status !== 'running' && r.run.status !== 'stopping';
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
  // On a machine this busy the run above may measure no receiver loss and no browser figures (its seats
  // joining slowly, no picture yet when it ends): the figures of a full run are written as the NOC's
  // runner writes them (loadTestPoint into the NOC's store), one every 2 s, as another run.
  const t0 = Date.now() - 30_000;
  await noc.server.ctx.store.write(
    Array.from({ length: 15 }, (_, i) =>
      loadTestPoint(
        run.id + 1000,
        { scenario: 'capacity' },
        {
          t: t0 + i * 2000,
          seatsWanted: 40,
          seatsJoined: Math.min(40, 4 * (i + 1)),
          joinP95Ms: 700 + 10 * i,
          signallingRequests: 12 * (i + 1),
          signallingErrors: 0,
          workers: [
            { worker: 'main/1', cpuPct: 2 * i + 5, consumers: 20 * i },
            { worker: 'main/2', cpuPct: 2 * i + 3, consumers: 18 * i },
          ],
          consumers: 38 * i,
          receiverLossPct: 0.1 * (i % 3),
          browserFps: i < 2 ? null : 24 + (i % 4),
          firstPictureMs: i < 2 ? null : 1200,
          freezeMaxMs: 40 * (i % 5),
          audioJitterMs: 8,
          generatorCpuPct: 60,
        },
      ),
    ),
  );
  // Then the 12 simulated sites in their scenario's meeting.
  simDir = await tempDir('grafana-sim');
  sim = startSimulator({
    noc: { url: noc.url, secretFile: noc.secretFile },
    dir: simDir.path,
    scenario: fileURLToPath(new URL('../../probes/scenarios/default.json', import.meta.url)),
    env: { SFU_URL: sfu.url },
  });
  // Every measurement the dashboards read has points, the NOC's quality grades (every 20 s) last.
  for (const m of ['link', 'media', 'power', 'env', 'probe', 'sfu', 'loadtest', 'quality']) {
    await waitFor(`points of ${m}`, async () => (await count(m)) > 0 || undefined, { timeoutMs: 60_000, intervalMs: 1000 });
  }
  await waitFor(
    'quality grades of every site',
    async () => (await influxd.query('SELECT count("grade_level") FROM "quality" GROUP BY "site"')).length >= 12 || undefined,
    { timeoutMs: 60_000, intervalMs: 1000 },
  );
});

after(async () => {
  await sim?.stop();
  await noc?.stop();
  await sfu?.stop();
  await influxd?.stop();
  await simDir?.remove();
});

/** The last hour up to now, a 10 s interval, as a dashboard opened now would ask. */
const context = (variables: Record<string, string> = {}): MacroContext => ({
  from: startedAt - 5 * 60_000,
  to: Date.now() + 60_000,
  intervalMs: 10_000,
  bucket: RAW_BUCKET,
  organization: 'noc',
  variables,
});

const describe = (o: QueryOutcome): string =>
  `${o.query.dashboard} › ${o.query.panel} [${o.query.language} ${o.query.refId}]: ${o.series} series, ${o.rows} rows, ` +
  `${o.query.panel.startsWith('variable') ? 'values' : 'fields'} ${o.fields.join(', ')}`;

test("every dashboard's panels and variables return series with their fields from the real influxd", async (t) => {
  const files = (await readdir(DASHBOARDS_DIR)).filter((f) => f.endsWith('.json')).sort();
  assert.equal(files.length, 5);
  let ran = 0;
  const failures: string[] = [];
  const run = async (q: DashboardQuery, ctx: MacroContext): Promise<QueryOutcome | null> => {
    ran++;
    try {
      const o = await runDashboardQuery(clients, q, ctx);
      t.diagnostic(describe(o));
      return o;
    } catch (err) {
      failures.push((err as Error).message);
      return null;
    }
  };
  for (const file of files) {
    const queries = dashboardQueries(JSON.parse(await readFile(DASHBOARDS_DIR + file, 'utf8')) as JsonDashboard);
    // Variables first: their values feed the panels' queries, as in Grafana.
    const variables: Record<string, string> = {};
    for (const q of queries.filter((x) => x.panel.startsWith('variable $'))) {
      const o = await run(q, context());
      if (o) assert.ok(o.fields.includes('da-bac'), `the site variable lists the sites: ${o.fields.join(', ')}`);
      variables[q.refId] = 'da-bac';
    }
    for (const q of queries.filter((x) => !x.panel.startsWith('variable $'))) await run(q, context(variables));
  }
  assert.deepEqual(failures, [], `${failures.length} of ${ran} queries failed:\n${failures.join('\n')}`);
  assert.ok(ran >= 35, `${ran} queries ran`);
});

test('a query that reads a field with no data, or one the schema lacks, fails naming its panel', async () => {
  const base: Omit<DashboardQuery, 'query'> = { dashboard: 'Bảng thử', panel: 'Khung hình giả', refId: 'A', language: 'influxql' };
  // `freeze_ms` is in the schema, but only a room page's browser measures it, and none runs here
  // (the SFU node's own media figures, which do carry `nack`, come whenever a simulated meeting runs).
  await assert.rejects(
    runDashboardQuery(
      clients,
      {
        ...base,
        query: 'SELECT mean("fps") AS "fps", mean("freeze_ms") AS "freeze_ms" FROM "media" WHERE $timeFilter GROUP BY time($__interval)',
      },
      context(),
    ),
    /panel "Khung hình giả" \(dashboard "Bảng thử"\) query A returned no value for "freeze_ms" \(values came for: fps\)/,
  );
  await assert.rejects(
    runDashboardQuery(
      clients,
      { ...base, panel: 'Mất gói giả', query: 'SELECT mean("loss") AS "loss" FROM "link" WHERE $timeFilter GROUP BY time($__interval)' },
      context(),
    ),
    /panel "Mất gói giả" \(dashboard "Bảng thử"\) query A: field "loss" is not a field of "link"/,
  );
  await assert.rejects(
    runDashboardQuery(
      clients,
      {
        ...base,
        panel: 'Tải giả',
        language: 'flux',
        query:
          'from(bucket: v.defaultBucket)\n  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)\n  |> filter(fn: (r) => r._measurement == "loadtest" and r["scenario"] == "ingest")\n  |> filter(fn: (r) => r._field == "consumers")',
      },
      context(),
    ),
    /panel "Tải giả" \(dashboard "Bảng thử"\) query A returned no series/,
  );
});
