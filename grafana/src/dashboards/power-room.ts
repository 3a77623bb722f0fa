// Power and room conditions of every site (Điều 6): UPS on mains, battery,
// runtime; room temperature and humidity.
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { InfluxqlTargetBuilder } from '../influx-targets.ts';
import { overRange, overTime } from '../influxql-queries.ts';
import { nocDashboard } from '../noc-dashboard.ts';
import { stat, table, timeseries } from '../panels.ts';
import { aboveRuleSteps, batterySteps, mainsMappings, runtimeSteps } from '../thresholds.ts';

const perSite = (query: string) => new InfluxqlTargetBuilder(query).refId('A').alias('$tag_site');

export const powerRoom = () =>
  nocDashboard({
    uid: 'noc-power-room',
    title: 'NOC · Nguồn điện và phòng',
    description: "Every site's UPS (mains, battery, runtime) and room (temperature, humidity).",
    panels: [
      new RowBuilder('Nguồn điện (UPS)'),
      stat(
        { title: 'Điện lưới', description: 'Whether each site runs on mains or on its UPS battery.' },
        [perSite(overRange({ measurement: 'power', fields: ['on_mains'], fn: 'last', groupBy: ['site'] }))],
        { mappings: mainsMappings(), h: 4 },
      ),
      timeseries(
        { title: 'Pin UPS', description: "Each site's UPS battery charge (%)." },
        [perSite(overTime({ measurement: 'power', fields: ['battery_pct'], fn: 'min', groupBy: ['site'] }))],
        { unit: 'percent', min: 0, max: 100, steps: batterySteps() },
      ),
      timeseries(
        { title: 'Thời gian chạy pin còn lại', description: "Each site's UPS runtime left on battery." },
        [perSite(overTime({ measurement: 'power', fields: ['runtime_s'], fn: 'min', groupBy: ['site'] }))],
        { unit: 's', min: 0, steps: runtimeSteps() },
      ),
      table(
        { title: 'Trạng thái UPS', description: "Each site's UPS as NUT reports it: status, input voltage, load." },
        [
          new InfluxqlTargetBuilder(
            overRange({ measurement: 'power', fields: ['status', 'input_v', 'load_pct'], fn: 'last', groupBy: ['site'] }),
          )
            .refId('A')
            .resultFormat('table'),
        ],
        { input_v: { unit: 'volt' }, load_pct: { unit: 'percent' } },
      ),
      new RowBuilder('Phòng'),
      timeseries(
        { title: 'Nhiệt độ phòng', description: "Each site's room temperature (°C)." },
        [perSite(overTime({ measurement: 'env', fields: ['temp_c'], fn: 'mean', groupBy: ['site'] }))],
        { unit: 'celsius', steps: aboveRuleSteps('tempHigh') },
      ),
      timeseries(
        { title: 'Độ ẩm phòng', description: "Each site's room humidity (%)." },
        [perSite(overTime({ measurement: 'env', fields: ['humidity_pct'], fn: 'mean', groupBy: ['site'] }))],
        { unit: 'percent', min: 0, max: 100, steps: aboveRuleSteps('humidityHigh') },
      ),
    ],
  });
