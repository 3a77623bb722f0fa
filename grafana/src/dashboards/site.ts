// One site, chosen in the `site` variable (the `site` tag's values): its
// quality, links, media, power, room and probe.
import { QueryVariableBuilder, RowBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCES } from '../datasources.ts';
import { InfluxqlTargetBuilder } from '../influx-targets.ts';
import { overTime, SITE_FILTER, tagIs, tagValues } from '../influxql-queries.ts';
import { nocDashboard } from '../noc-dashboard.ts';
import { timeseries } from '../panels.ts';
import { aboveRuleSteps, batterySteps, fpsSteps, gradeMappings, lossSteps, mosSteps, runtimeSteps } from '../thresholds.ts';

const target = (query: string, alias: string) => new InfluxqlTargetBuilder(query).refId('A').alias(alias);
const onSite = [SITE_FILTER];

export const site = () =>
  nocDashboard({
    uid: 'noc-site',
    title: 'NOC · Chi tiết một điểm',
    description: "One site's quality, links (SFU, backup, ISP), media, power, room and probe.",
    variables: [
      new QueryVariableBuilder('site')
        .label('Điểm')
        .description('The site (its id, the `site` tag).')
        .datasource(DATASOURCES.influxql)
        .query(tagValues('link', 'site'))
        .definition(tagValues('link', 'site'))
        .refresh(VariableRefresh.OnDashboardLoad)
        .sort(VariableSort.AlphabeticalAsc),
    ],
    panels: [
      new RowBuilder('Chất lượng'),
      timeseries(
        { title: 'Mức chất lượng', description: "The site's quality grade per 20 s window: 3 good … 0 terrible." },
        [target(overTime({ measurement: 'quality', fields: ['grade_level'], fn: 'min', where: onSite }), 'grade')],
        { min: 0, max: 3, decimals: 0, mappings: gradeMappings() },
      ),
      timeseries(
        { title: 'MOS', description: "The site's MOS (E-model) per quality window." },
        [target(overTime({ measurement: 'quality', fields: ['mos'], fn: 'mean', where: onSite }), 'MOS')],
        { min: 1, max: 5, decimals: 2, steps: mosSteps() },
      ),
      new RowBuilder('Đường truyền'),
      timeseries(
        { title: 'Độ trễ (RTT)', description: 'Round-trip time to the main SFU, the backup node and the ISP (ms).' },
        [target(overTime({ measurement: 'link', fields: ['rtt_ms'], fn: 'mean', where: onSite, groupBy: ['target'] }), '$tag_target')],
        { unit: 'ms', min: 0, steps: aboveRuleSteps('rttHigh') },
      ),
      timeseries(
        { title: 'Mất gói', description: 'Packet loss to each target (%), banded as the quality grade.' },
        [target(overTime({ measurement: 'link', fields: ['loss_pct'], fn: 'mean', where: onSite, groupBy: ['target'] }), '$tag_target')],
        { unit: 'percent', min: 0, steps: lossSteps() },
      ),
      timeseries(
        { title: 'Jitter', description: 'Jitter to each target (ms).' },
        [target(overTime({ measurement: 'link', fields: ['jitter_ms'], fn: 'mean', where: onSite, groupBy: ['target'] }), '$tag_target')],
        { unit: 'ms', min: 0, steps: aboveRuleSteps('jitterHigh') },
      ),
      timeseries(
        { title: 'Băng thông', description: 'Up and down bandwidth, as measured towards each target (kbit/s).' },
        [
          target(
            overTime({ measurement: 'link', fields: ['up_kbps', 'down_kbps'], fn: 'mean', where: onSite, groupBy: ['target'] }),
            '$tag_target $col',
          ),
        ],
        { unit: 'Kbits', min: 0 },
      ),
      new RowBuilder('Hình và tiếng'),
      timeseries(
        { title: 'Tốc độ bit', description: 'Media bitrate by kind and direction (kbit/s).' },
        [
          target(
            overTime({ measurement: 'media', fields: ['bitrate_kbps'], fn: 'mean', where: onSite, groupBy: ['kind', 'direction'] }),
            '$tag_kind $tag_direction',
          ),
        ],
        { unit: 'Kbits', min: 0 },
      ),
      timeseries(
        { title: 'Khung hình/giây', description: 'Video frame rate; under the frozen-video rule’s minimum in its colour.' },
        [
          target(
            overTime({
              measurement: 'media',
              fields: ['fps'],
              fn: 'mean',
              where: [...onSite, tagIs('kind', 'video')],
              groupBy: ['direction'],
            }),
            '$tag_direction',
          ),
        ],
        { min: 0, steps: fpsSteps() },
      ),
      timeseries(
        { title: 'Mất gói hình và tiếng', description: 'Media packet loss by kind and direction (%).' },
        [
          target(
            overTime({ measurement: 'media', fields: ['loss_pct'], fn: 'mean', where: onSite, groupBy: ['kind', 'direction'] }),
            '$tag_kind $tag_direction',
          ),
        ],
        { unit: 'percent', min: 0, steps: lossSteps() },
      ),
      new RowBuilder('Nguồn và phòng'),
      timeseries(
        { title: 'Pin UPS', description: 'UPS battery charge (%).' },
        [target(overTime({ measurement: 'power', fields: ['battery_pct'], fn: 'min', where: onSite }), 'battery')],
        { unit: 'percent', min: 0, max: 100, steps: batterySteps() },
      ),
      timeseries(
        { title: 'Thời gian chạy pin còn lại', description: 'UPS runtime left on battery.' },
        [target(overTime({ measurement: 'power', fields: ['runtime_s'], fn: 'min', where: onSite }), 'runtime')],
        { unit: 's', min: 0, steps: runtimeSteps() },
      ),
      timeseries(
        { title: 'Nhiệt độ phòng', description: 'Room temperature (°C).' },
        [target(overTime({ measurement: 'env', fields: ['temp_c'], fn: 'mean', where: onSite }), 'temp')],
        { unit: 'celsius', steps: aboveRuleSteps('tempHigh') },
      ),
      timeseries(
        { title: 'Độ ẩm phòng', description: 'Room humidity (%).' },
        [target(overTime({ measurement: 'env', fields: ['humidity_pct'], fn: 'mean', where: onSite }), 'humidity')],
        { unit: 'percent', min: 0, max: 100, steps: aboveRuleSteps('humidityHigh') },
      ),
      new RowBuilder('Đầu đo'),
      timeseries(
        { title: 'Hàng đợi của đầu đo', description: "The probe's spool depth and the samples it dropped." },
        [target(overTime({ measurement: 'probe', fields: ['spool_depth', 'dropped'], fn: 'max', where: onSite }), '$col')],
        { min: 0, decimals: 0, w: 24 },
      ),
    ],
  });
