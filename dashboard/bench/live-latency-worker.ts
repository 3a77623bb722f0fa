// The live-feed client of the ingest benchmark, in its own thread so that the
// load generator's work never delays the moment a message is seen. It notes,
// for every marker heartbeat, the time from its arrival at the gateway (the
// gateway stamps a sample sent without a time with its arrival) to now.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { LiveEvent } from '@noc/shared/live';

export interface LatencyWorkerData {
  url: string;
  /** The session cookie the feed is opened with. */
  cookie: string;
  /** The site whose `probe` samples are the markers. */
  markerSite: string;
}

export type LatencyWorkerMessage =
  | { type: 'ready' }
  /** Events counts every message; samples only those of the events parsed. */
  | { type: 'report'; latencies: [seq: number, ms: number][]; samples: number; events: number }
  | { type: 'error'; message: string };

const { url, cookie, markerSite } = workerData as LatencyWorkerData;
const port = parentPort!;
const latencies: [number, number][] = [];
let samples = 0;
let events = 0;

const socket = new WebSocket(url, { headers: { cookie } });
const MARKER = Buffer.from('"measurement":"probe"');

socket.on('message', (data: Buffer) => {
  const now = Date.now();
  events += 1;
  // Only events that can hold a marker are parsed: the client should cost the machine
  // little, as the dashboards that read the feed run elsewhere.
  if (events > 1 && !data.includes(MARKER)) return;
  const event = JSON.parse(data.toString('utf8')) as LiveEvent;
  if (event.type === 'hello') port.postMessage({ type: 'ready' } satisfies LatencyWorkerMessage);
  if (event.type !== 'samples') return;
  samples += event.samples.length;
  for (const s of event.samples) {
    if (s.site === markerSite && s.measurement === 'probe' && typeof s.fields.seq === 'number') {
      latencies.push([s.fields.seq, now - s.time]);
    }
  }
});
socket.on('error', (err) => port.postMessage({ type: 'error', message: err.message } satisfies LatencyWorkerMessage));
socket.on('close', (code) => port.postMessage({ type: 'error', message: `the live feed closed (${code})` } satisfies LatencyWorkerMessage));

port.on('message', (msg: 'report') => {
  if (msg === 'report')
    port.postMessage({ type: 'report', latencies: latencies.splice(0), samples, events } satisfies LatencyWorkerMessage);
});
