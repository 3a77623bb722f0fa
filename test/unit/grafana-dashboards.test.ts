// The Grafana dashboards as code (grafana/): the committed JSON is what the
// generator makes now; uids are stable; every query's datasource is one of the
// two provisioned ones and names only what the metrics schema holds (a wrong
// panel fails naming its title); thresholds and colours are the NOC's; the
// provisioning files name the same uids, database, bucket and folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DATABASE } from '@noc/shared/metrics';
import { GRADE_COLOURS, SEVERITY_COLOURS } from '@noc/shared/palette';
import { LOSS_GRADE_FROM } from '@noc/shared/quality';
import { DASHBOARDS_DIR } from '@noc/grafana/build';
import { renderDashboards } from '@noc/grafana/dashboards';
import { DATASOURCES, FLUX_UID, INFLUXQL_UID, RAW_BUCKET } from '@noc/grafana/datasources';
import { fluxOverTime } from '@noc/grafana/flux-queries';
import { FluxTargetBuilder, InfluxqlTargetBuilder } from '@noc/grafana/influx-targets';
import { overTime, tagIs } from '@noc/grafana/influxql-queries';
import { dashboardQueries, type JsonDashboard } from '@noc/grafana/panel-queries';
import { timeseries } from '@noc/grafana/panels';
import { checkQuerySchema } from '@noc/grafana/query-schema';
import { RULES } from '@noc/grafana/thresholds';

const provisioning = fileURLToPath(new URL('../../grafana/provisioning/', import.meta.url));

interface Panel {
  id?: number;
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: { datasource?: { uid?: string }; query: string }[];
  fieldConfig?: { defaults?: { thresholds?: { steps: { value: number | null; color: string }[] } } };
}
const fresh = renderDashboards();
type Dashboard = Omit<JsonDashboard, 'panels'> & { uid: string; panels: Panel[] };
const dashboards = [...fresh.values()].map((text) => JSON.parse(text) as Dashboard);

test('the committed dashboards are exactly what `npm run grafana:build` generates now', async () => {
  const committed = (await readdir(DASHBOARDS_DIR)).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(committed, [...fresh.keys()].sort(), 'the files in grafana/dashboards: run `npm run grafana:build`');
  for (const [file, text] of fresh) {
    assert.equal(
      await readFile(DASHBOARDS_DIR + file, 'utf8'),
      text,
      `grafana/dashboards/${file} differs from a fresh generation: run \`npm run grafana:build\``,
    );
  }
});

test('every dashboard has its stable uid, unique panel ids, and every panel a query on a provisioned datasource', () => {
  assert.deepEqual(dashboards.map((d) => d.uid).sort(), ['noc-capacity', 'noc-overview', 'noc-power-room', 'noc-sfu', 'noc-site']);
  for (const d of dashboards) {
    const ids = d.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, `${d.uid}: panel ids ${ids.join(', ')}`);
    for (const p of d.panels.filter((x) => x.type !== 'row')) {
      assert.ok(p.targets?.length, `${d.uid} "${p.title}" has a query`);
      for (const t of p.targets) {
        assert.ok([INFLUXQL_UID, FLUX_UID].includes(t.datasource?.uid ?? ''), `${d.uid} "${p.title}": ${JSON.stringify(t.datasource)}`);
        assert.equal(t.datasource?.uid, p.datasource?.uid, `${d.uid} "${p.title}": the panel's datasource is its queries'`);
      }
    }
  }
  const all = dashboards.flatMap((d) => dashboardQueries(d as JsonDashboard));
  const flux = all.filter((q) => q.language === 'flux');
  assert.ok(flux.length >= 3 && flux.length < all.length / 2, `mostly InfluxQL, some Flux: ${flux.length} of ${all.length}`);
  assert.ok(new Set(flux.map((q) => q.dashboard)).size >= 2, 'Flux on the SFU nodes and the capacity tests');
});

test("every query names only the schema's measurements, fields and tags", () => {
  let count = 0;
  for (const d of dashboards) {
    for (const q of dashboardQueries(d as JsonDashboard)) {
      checkQuerySchema(q);
      count++;
    }
  }
  assert.ok(count >= 35, `${count} queries checked`);
});

test('a panel naming a field or a measurement the schema lacks fails with its title', () => {
  const wrong = new DashboardBuilder('Bảng thử')
    .uid('wrong')
    .withPanel(
      timeseries({ title: 'Độ trễ tới SFU', description: '' }, [
        new InfluxqlTargetBuilder('SELECT mean("rtt_msx") AS "rtt_msx" FROM "link" WHERE $timeFilter GROUP BY time($__interval)').refId(
          'A',
        ),
      ]),
    )
    .withPanel(
      timeseries({ title: 'CPU sai', description: '' }, [
        new FluxTargetBuilder(fluxOverTime({ measurement: 'sfu', fields: ['cpu_pct'], fn: 'mean' }).replace('"sfu"', '"sfux"')).refId('A'),
      ]),
    )
    .withPanel(
      timeseries({ title: 'Nhóm sai', description: '' }, [
        new InfluxqlTargetBuilder(overTime({ measurement: 'env', fields: ['temp_c'], fn: 'mean', where: [tagIs('target', 'sfu')] })).refId(
          'A',
        ),
      ]),
    )
    .withPanel(
      timeseries({ title: 'Trường đúng', description: '' }, [
        new InfluxqlTargetBuilder(overTime({ measurement: 'env', fields: ['temp_c'], fn: 'mean' })).refId('A'),
      ]),
    )
    .build();
  const [field, measurement, tag, right] = dashboardQueries(JSON.parse(JSON.stringify(wrong)) as JsonDashboard);
  assert.throws(
    () => checkQuerySchema(field!),
    /panel "Độ trễ tới SFU" \(dashboard "Bảng thử"\) query A: field "rtt_msx" is not a field of "link"/,
  );
  assert.throws(
    () => checkQuerySchema(measurement!),
    /panel "CPU sai" \(dashboard "Bảng thử"\) query A: measurement "sfux" is not in the schema/,
  );
  assert.throws(() => checkQuerySchema(tag!), /panel "Nhóm sai" .* tag "target" is not a tag of "env"/);
  assert.deepEqual(checkQuerySchema(right!).fields, ['temp_c']);
});

test("thresholds and colours are the NOC's: loss in the grade's bands, RTT at the rule's threshold in its severity's colour", () => {
  const overview = dashboards.find((d) => d.uid === 'noc-overview')!;
  const steps = (title: string) => overview.panels.find((p) => p.title === title)?.fieldConfig?.defaults?.thresholds?.steps;
  assert.deepEqual(steps('Mất gói tới SFU'), [
    { value: null, color: GRADE_COLOURS.good },
    { value: LOSS_GRADE_FROM.ok, color: GRADE_COLOURS.ok },
    { value: LOSS_GRADE_FROM.bad, color: GRADE_COLOURS.bad },
    { value: LOSS_GRADE_FROM.terrible, color: GRADE_COLOURS.terrible },
  ]);
  assert.deepEqual(steps('Độ trễ (RTT) tới SFU'), [
    { value: null, color: GRADE_COLOURS.good },
    { value: 300, color: SEVERITY_COLOURS.warning },
  ]);
  assert.equal(RULES.rttHigh.threshold, 300, 'the shipped rule, as the README says');
  assert.deepEqual(steps('MOS'), [
    { value: null, color: SEVERITY_COLOURS[RULES.mosLow.severity] },
    { value: 3.5, color: GRADE_COLOURS.good },
  ]);
  const grade = JSON.stringify(overview.panels.find((p) => p.title === 'Chất lượng từng điểm'));
  for (const [word, colour] of [
    ['Tốt', GRADE_COLOURS.good],
    ['Khá', GRADE_COLOURS.ok],
    ['Kém', GRADE_COLOURS.bad],
    ['Rất kém', GRADE_COLOURS.terrible],
  ]) {
    assert.ok(grade.includes(JSON.stringify({ text: word, color: colour }).slice(1, -1)), `the grade "${word}" in ${colour}`);
  }
});

test('the provisioning files name the dashboards’ datasources, the database, the bucket and the folder of the JSON', async () => {
  const ds = parseYaml(await readFile(`${provisioning}datasources/noc.yaml`, 'utf8')) as {
    datasources: { uid: string; type: string; url: string; jsonData: Record<string, string>; secureJsonData: Record<string, string> }[];
  };
  const byUid = new Map(ds.datasources.map((d) => [d.uid, d]));
  assert.deepEqual([...byUid.keys()].sort(), [DATASOURCES.flux.uid, DATASOURCES.influxql.uid].sort());
  const influxql = byUid.get(INFLUXQL_UID)!;
  const flux = byUid.get(FLUX_UID)!;
  for (const d of [influxql, flux]) {
    assert.equal(d.type, 'influxdb');
    assert.equal(d.url, '${NOC_INFLUX_URL}');
  }
  assert.equal(influxql.jsonData.dbName, DATABASE);
  assert.equal(influxql.secureJsonData.password, '${NOC_INFLUX_PASSWORD}');
  assert.equal(flux.jsonData.version, 'Flux');
  assert.equal(flux.jsonData.defaultBucket, RAW_BUCKET);
  assert.equal(flux.jsonData.organization, '${NOC_INFLUX_ORG}');
  assert.equal(flux.secureJsonData.token, '${NOC_INFLUX_TOKEN}');

  const provider = parseYaml(await readFile(`${provisioning}dashboards/noc.yaml`, 'utf8')) as {
    providers: { type: string; options: { path: string } }[];
  };
  assert.equal(provider.providers.length, 1);
  assert.equal(provider.providers[0]!.type, 'file');
  assert.equal(provider.providers[0]!.options.path, '${NOC_GRAFANA_DASHBOARDS}');
});
