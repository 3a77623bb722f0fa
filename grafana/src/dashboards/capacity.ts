// The capacity tests (kiểm tra tải, measurement `loadtest`): each run's
// figures, one series per run, against the tests' default thresholds. Runs
// are told apart by their run_id field, so the Flux queries pivot on it.
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { fluxPivotBy } from '../flux-queries.ts';
import { FluxTargetBuilder, InfluxqlTargetBuilder } from '../influx-targets.ts';
import { overTime, tagIs } from '../influxql-queries.ts';
import { nocDashboard } from '../noc-dashboard.ts';
import { table, timeseries } from '../panels.ts';
import { capacityAboveSteps, capacityBelowSteps, LOAD_TEST } from '../thresholds.ts';

const capacity = { scenario: 'capacity' } as const;
const perRun = (fields: Parameters<typeof fluxPivotBy<'loadtest'>>[0]['fields']) =>
  new FluxTargetBuilder(fluxPivotBy({ measurement: 'loadtest', fields: ['run_id', ...fields], by: 'run_id', tags: capacity })).refId('A');

export const capacityTests = () =>
  nocDashboard({
    uid: 'noc-capacity',
    title: 'NOC · Kiểm tra tải',
    description: "The capacity tests' runs: seats, join time, SFU CPU, loss and the browsers' figures, per run.",
    panels: [
      new RowBuilder('Các lần chạy'),
      table(
        {
          title: 'Kết quả từng lần chạy',
          description: "Each run's last figures, coloured by the tests' default thresholds.",
        },
        [
          new FluxTargetBuilder(
            fluxPivotBy({
              measurement: 'loadtest',
              fields: [
                'run_id',
                'seats_wanted',
                'seats_joined',
                'join_p95_ms',
                'signalling_errors',
                'consumers',
                'cpu_max_pct',
                'loss_pct',
              ],
              by: 'run_id',
              tags: capacity,
              latest: true,
            }),
          ).refId('A'),
        ],
        {
          join_p95_ms: { unit: 'ms', steps: capacityAboveSteps(LOAD_TEST.joinP95Ms) },
          cpu_max_pct: { unit: 'percent', steps: capacityAboveSteps(LOAD_TEST.workerCpuPct) },
          loss_pct: { unit: 'percent', steps: capacityAboveSteps(LOAD_TEST.receiverLossPct) },
        },
      ),
      timeseries(
        { title: 'Ghế đã vào', description: 'Seats joined against seats wanted, per run.' },
        [perRun(['seats_joined', 'seats_wanted'])],
        { min: 0, decimals: 0 },
      ),
      timeseries(
        { title: 'Thời gian vào họp (p95)', description: '95th percentile of the time to join with media flowing, per run (ms).' },
        [perRun(['join_p95_ms'])],
        { unit: 'ms', min: 0, steps: capacityAboveSteps(LOAD_TEST.joinP95Ms) },
      ),
      timeseries(
        { title: 'CPU worker bận nhất', description: "The busiest SFU worker's CPU during each run (% of one core)." },
        [perRun(['cpu_max_pct'])],
        { unit: 'percent', min: 0, steps: capacityAboveSteps(LOAD_TEST.workerCpuPct) },
      ),
      timeseries({ title: 'Mất gói tại ghế', description: "Loss at the seats' receivers during each run (%)." }, [perRun(['loss_pct'])], {
        unit: 'percent',
        min: 0,
        steps: capacityAboveSteps(LOAD_TEST.receiverLossPct),
      }),
      new RowBuilder('Trình duyệt'),
      timeseries(
        { title: 'Khung hình/giây ở trình duyệt', description: "The Chromium endpoints' received frame rate." },
        [
          new InfluxqlTargetBuilder(
            overTime({ measurement: 'loadtest', fields: ['browser_fps'], fn: 'min', where: [tagIs('scenario', 'capacity')] }),
          )
            .refId('A')
            .alias('fps'),
        ],
        { min: 0, steps: capacityBelowSteps(LOAD_TEST.browserFpsMin) },
      ),
      timeseries(
        { title: 'Hình đứng lâu nhất', description: "The longest freeze the Chromium endpoints saw (ms), and the first picture's delay." },
        [
          new InfluxqlTargetBuilder(
            overTime({
              measurement: 'loadtest',
              fields: ['freeze_max_ms', 'first_picture_ms'],
              fn: 'max',
              where: [tagIs('scenario', 'capacity')],
            }),
          )
            .refId('A')
            .alias('$col'),
        ],
        { unit: 'ms', min: 0, steps: capacityAboveSteps(LOAD_TEST.freezeMaxMs) },
      ),
    ],
  });
