// The SFU nodes (main and backup): each mediasoup worker's CPU, consumers and
// producers (Flux), rooms, transports and memory (InfluxQL).
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { fluxOverTime } from '../flux-queries.ts';
import { FluxTargetBuilder, InfluxqlTargetBuilder } from '../influx-targets.ts';
import { overTime } from '../influxql-queries.ts';
import { nocDashboard } from '../noc-dashboard.ts';
import { timeseries } from '../panels.ts';
import { capacityAboveSteps, LOAD_TEST } from '../thresholds.ts';

const perWorker = (query: string) => new InfluxqlTargetBuilder(query).refId('A').alias('$tag_node #$tag_worker');

export const sfuNodes = () =>
  nocDashboard({
    uid: 'noc-sfu',
    title: 'NOC · Máy chủ SFU',
    description: "The SFU nodes' mediasoup workers: CPU, consumers, producers, rooms, transports, memory.",
    panels: [
      new RowBuilder('Tải của từng worker'),
      timeseries(
        {
          title: 'CPU của worker',
          description: "Each worker's CPU (% of one core); the capacity tests' limit drawn across.",
        },
        [new FluxTargetBuilder(fluxOverTime({ measurement: 'sfu', fields: ['cpu_pct'], fn: 'mean' })).refId('A')],
        { unit: 'percent', min: 0, steps: capacityAboveSteps(LOAD_TEST.workerCpuPct), w: 24 },
      ),
      timeseries(
        { title: 'Consumer', description: 'Consumers (a receiver of one stream) on each worker.' },
        [new FluxTargetBuilder(fluxOverTime({ measurement: 'sfu', fields: ['consumers'], fn: 'max' })).refId('A')],
        { min: 0, decimals: 0 },
      ),
      timeseries(
        { title: 'Producer', description: 'Producers (a stream sent in) on each worker.' },
        [new FluxTargetBuilder(fluxOverTime({ measurement: 'sfu', fields: ['producers'], fn: 'max' })).refId('A')],
        { min: 0, decimals: 0 },
      ),
      new RowBuilder('Phòng và bộ nhớ'),
      timeseries(
        { title: 'Phòng và transport', description: 'Routers (rooms) and WebRTC transports on each worker.' },
        [
          new InfluxqlTargetBuilder(overTime({ measurement: 'sfu', fields: ['rooms'], fn: 'max', groupBy: ['node', 'worker'] }))
            .refId('A')
            .alias('$tag_node #$tag_worker rooms'),
          new InfluxqlTargetBuilder(overTime({ measurement: 'sfu', fields: ['transports'], fn: 'max', groupBy: ['node', 'worker'] }))
            .refId('B')
            .alias('$tag_node #$tag_worker transports'),
        ],
        { min: 0, decimals: 0 },
      ),
      timeseries(
        { title: 'Bộ nhớ của worker', description: "Each worker's resident memory (MiB)." },
        [perWorker(overTime({ measurement: 'sfu', fields: ['rss_mb'], fn: 'mean', groupBy: ['node', 'worker'] }))],
        { unit: 'mbytes', min: 0 },
      ),
    ],
  });
