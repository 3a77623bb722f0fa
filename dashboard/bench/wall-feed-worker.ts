// The wall client of the scale benchmark (scale.ts), in its own thread: one
// live-feed WebSocket that reads every event in full, as the wall screen does,
// and notes for every heartbeat (`probe` sample) the time from when its probe
// made it (the sample's time) to now: probe-to-wall latency.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { LiveEvent } from '@noc/shared/live';

export interface WallFeedWorkerData {
  url: string;
  /** The session cookie the feed is opened with. */
  cookie: string;
}

export type WallFeedMessage =
  | { type: 'ready'; sites: number }
  /** Since the last report: heartbeat latencies (ms), the samples and events read, the sites heard. */
  | { type: 'report'; latencies: number[]; samples: number; events: number; sites: number }
  | { type: 'error'; message: string };

const { url, cookie } = workerData as WallFeedWorkerData;
const port = parentPort!;
let latencies: number[] = [];
let samples = 0;
let events = 0;
let heard = new Set<string>();

const socket = new WebSocket(url, { headers: { cookie } });
socket.on('message', (data: Buffer) => {
  const now = Date.now();
  events++;
  const event = JSON.parse(data.toString('utf8')) as LiveEvent;
  if (event.type === 'hello') port.postMessage({ type: 'ready', sites: event.sites.length } satisfies WallFeedMessage);
  if (event.type !== 'samples') return;
  samples += event.samples.length;
  for (const s of event.samples) {
    if (s.measurement !== 'probe') continue;
    latencies.push(now - s.time);
    heard.add(s.site);
  }
});
socket.on('error', (err) => port.postMessage({ type: 'error', message: err.message } satisfies WallFeedMessage));
socket.on('close', (code) => port.postMessage({ type: 'error', message: `the live feed closed (${code})` } satisfies WallFeedMessage));

port.on('message', (msg: 'report') => {
  if (msg !== 'report') return;
  port.postMessage({ type: 'report', latencies, samples, events, sites: heard.size } satisfies WallFeedMessage);
  latencies = [];
  samples = 0;
  events = 0;
  heard = new Set();
});
