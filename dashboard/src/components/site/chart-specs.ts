// What the site page draws: the series read for each chart (the metrics schema),
// and the charts of each section.
import type { SeriesSpec } from '../../composables/useSiteSeries.ts';

export const SERIES_SPECS: readonly SeriesSpec[] = [
  { key: 'rtt', measurement: 'link', field: 'rtt_ms', tags: { target: 'sfu' } },
  { key: 'jitter', measurement: 'link', field: 'jitter_ms', tags: { target: 'sfu' } },
  { key: 'loss', measurement: 'link', field: 'loss_pct', tags: { target: 'sfu' } },
  { key: 'fpsSend', measurement: 'media', field: 'fps', tags: { kind: 'video', direction: 'send' } },
  { key: 'fpsRecv', measurement: 'media', field: 'fps', tags: { kind: 'video', direction: 'recv' } },
  { key: 'bitrateSend', measurement: 'media', field: 'bitrate_kbps', tags: { kind: 'video', direction: 'send' } },
  { key: 'bitrateRecv', measurement: 'media', field: 'bitrate_kbps', tags: { kind: 'video', direction: 'recv' } },
  { key: 'audioSend', measurement: 'media', field: 'audio_level', tags: { kind: 'audio', direction: 'send' } },
  { key: 'audioRecv', measurement: 'media', field: 'audio_level', tags: { kind: 'audio', direction: 'recv' } },
  { key: 'battery', measurement: 'power', field: 'battery_pct' },
  { key: 'runtime', measurement: 'power', field: 'runtime_s', scale: 1 / 60 },
  { key: 'temp', measurement: 'env', field: 'temp_c' },
  { key: 'humidity', measurement: 'env', field: 'humidity_pct' },
];

export type SectionKey = 'link' | 'media' | 'power' | 'room';

export interface ChartSpec {
  key: string;
  /** Under `sitePage.units`. */
  unit: 'ms' | 'pct' | 'fps' | 'kbps' | 'level' | 'min' | 'celsius';
  /** Spec keys and their names under `sitePage.series`. */
  series: { spec: string; name: 'value' | 'send' | 'recv' }[];
  digits: number;
  max?: number;
  interval?: number;
}

const one = (spec: string): ChartSpec['series'] => [{ spec, name: 'value' }];
const both = (send: string, recv: string): ChartSpec['series'] => [
  { spec: send, name: 'send' },
  { spec: recv, name: 'recv' },
];

export const SECTIONS: Record<SectionKey, ChartSpec[]> = {
  link: [
    { key: 'rtt', unit: 'ms', series: one('rtt'), digits: 0 },
    { key: 'jitter', unit: 'ms', series: one('jitter'), digits: 1 },
    { key: 'loss', unit: 'pct', series: one('loss'), digits: 2 },
  ],
  media: [
    { key: 'fps', unit: 'fps', series: both('fpsSend', 'fpsRecv'), digits: 0 },
    { key: 'bitrate', unit: 'kbps', series: both('bitrateSend', 'bitrateRecv'), digits: 0 },
    { key: 'audio', unit: 'level', series: both('audioSend', 'audioRecv'), digits: 2, max: 1, interval: 0.25 },
  ],
  power: [
    { key: 'battery', unit: 'pct', series: one('battery'), digits: 0, max: 100, interval: 25 },
    { key: 'runtime', unit: 'min', series: one('runtime'), digits: 0 },
  ],
  room: [
    { key: 'temp', unit: 'celsius', series: one('temp'), digits: 1 },
    { key: 'humidity', unit: 'pct', series: one('humidity'), digits: 0, max: 100, interval: 25 },
  ],
};
