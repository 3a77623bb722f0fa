// Every site at a glance: its quality grade, RTT, loss and jitter towards the
// SFU, MOS, and its power.
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { InfluxqlTargetBuilder } from '../influx-targets.ts';
import { overRange, overTime, tagIs } from '../influxql-queries.ts';
import { nocDashboard } from '../noc-dashboard.ts';
import { stat, table, timeseries } from '../panels.ts';
import { aboveRuleSteps, batterySteps, gradeMappings, lossSteps, mainsMappings, mosSteps, runtimeSteps } from '../thresholds.ts';

const perSite = (query: string) => new InfluxqlTargetBuilder(query).refId('A').alias('$tag_site');
const toSfu = [tagIs('target', 'sfu')];

export const overview = () =>
  nocDashboard({
    uid: 'noc-overview',
    title: 'NOC · Tổng quan các điểm',
    description: 'Every site: quality grade, link to the SFU (RTT, loss, jitter), MOS and power.',
    panels: [
      new RowBuilder('Chất lượng'),
      stat(
        {
          title: 'Chất lượng từng điểm',
          description: "Each site's quality grade (good, ok, bad, terrible) in the wall's words and colours.",
        },
        [perSite(overRange({ measurement: 'quality', fields: ['grade_level'], fn: 'last', groupBy: ['site'] }))],
        { mappings: gradeMappings(), h: 4 },
      ),
      table(
        {
          title: 'Chỉ số chất lượng hiện tại',
          description: "Each site's latest quality window: grade, MOS, loss, jitter and RTT, coloured by the NOC's thresholds.",
        },
        [
          new InfluxqlTargetBuilder(
            overRange({
              measurement: 'quality',
              fields: ['grade', 'mos', 'loss_pct', 'jitter_ms', 'rtt_ms'],
              fn: 'last',
              groupBy: ['site'],
            }),
          )
            .refId('A')
            .resultFormat('table'),
        ],
        {
          grade: { mappings: gradeMappings() },
          mos: { steps: mosSteps() },
          loss_pct: { unit: 'percent', steps: lossSteps() },
          jitter_ms: { unit: 'ms', steps: aboveRuleSteps('jitterHigh') },
          rtt_ms: { unit: 'ms', steps: aboveRuleSteps('rttHigh') },
        },
      ),
      new RowBuilder('Đường truyền tới SFU'),
      timeseries(
        { title: 'Độ trễ (RTT) tới SFU', description: 'Round-trip time from each site to the main SFU node (ms).' },
        [perSite(overTime({ measurement: 'link', fields: ['rtt_ms'], fn: 'mean', where: toSfu, groupBy: ['site'] }))],
        { unit: 'ms', min: 0, steps: aboveRuleSteps('rttHigh') },
      ),
      timeseries(
        { title: 'Mất gói tới SFU', description: 'Packet loss from each site to the main SFU node (%), banded as the quality grade.' },
        [perSite(overTime({ measurement: 'link', fields: ['loss_pct'], fn: 'mean', where: toSfu, groupBy: ['site'] }))],
        { unit: 'percent', min: 0, steps: lossSteps() },
      ),
      timeseries(
        { title: 'Jitter tới SFU', description: 'Jitter from each site to the main SFU node (ms).' },
        [perSite(overTime({ measurement: 'link', fields: ['jitter_ms'], fn: 'mean', where: toSfu, groupBy: ['site'] }))],
        { unit: 'ms', min: 0, steps: aboveRuleSteps('jitterHigh') },
      ),
      timeseries(
        { title: 'MOS', description: "Each site's MOS (E-model, ITU-T G.107) per 20 s quality window." },
        [perSite(overTime({ measurement: 'quality', fields: ['mos'], fn: 'mean', groupBy: ['site'] }))],
        { min: 1, max: 5, decimals: 2, steps: mosSteps() },
      ),
      new RowBuilder('Nguồn điện'),
      stat(
        { title: 'Điện lưới', description: 'Whether each site runs on mains or on its UPS battery.' },
        [perSite(overRange({ measurement: 'power', fields: ['on_mains'], fn: 'last', groupBy: ['site'] }))],
        { mappings: mainsMappings(), h: 4 },
      ),
      table(
        { title: 'UPS từng điểm', description: "Each site's UPS: on mains, battery (%), runtime left, load." },
        [
          new InfluxqlTargetBuilder(
            overRange({
              measurement: 'power',
              fields: ['on_mains', 'battery_pct', 'runtime_s', 'load_pct'],
              fn: 'last',
              groupBy: ['site'],
            }),
          )
            .refId('A')
            .resultFormat('table'),
        ],
        {
          on_mains: { mappings: mainsMappings() },
          battery_pct: { unit: 'percent', steps: batterySteps() },
          runtime_s: { unit: 's', steps: runtimeSteps() },
          load_pct: { unit: 'percent' },
        },
      ),
    ],
  });
