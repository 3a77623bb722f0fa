// The load generator of the scale benchmark (scale.ts), as its own process so
// that its work is measured apart from the NOC server's and never delays the
// wall client: N simulated site probes, each posting once a second what a
// probe and its room report in that second (3 link targets, 4 media streams,
// the UPS, the room sensor and the heartbeat: 10 samples) to the gateway with
// the site's own probe token. The sites' seconds are spread evenly over the
// second. Every sample carries the time it was made, so the wall client can
// tell how long it took to reach it. Started with fork(); talks over IPC:
//   parent → { type: 'report' }   child → ScaleLoadReport (figures since the last report)
import { issueProbeToken } from '@noc/shared/probe-token';
import { loadOrCreateSecret } from '@noc/shared/secret-file';
import { LINK_TARGETS, MEDIA_STREAMS } from './probe-streams.ts';

export interface ScaleLoadConfig {
  nocUrl: string;
  /** The NOC server's secret key file, to make the sites' probe tokens. */
  secretFile: string;
  sites: string[];
}

export interface ScaleLoadReport {
  type: 'report';
  /** Batches posted, answered 202, and answered otherwise or failed (with the first such answer). */
  sent: number;
  accepted: number;
  failed: number;
  firstFailure: string | null;
  /** How late posts left against their schedule, p95 (ms): a generator that cannot keep up falls behind. */
  lateP95Ms: number;
  /** Time from post to the gateway's answer, p95 (ms). */
  answerP95Ms: number;
  /** Requests still waiting for an answer. */
  inFlight: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ScaleLoadConfig;
if (!config.nocUrl || !config.secretFile || !Array.isArray(config.sites) || config.sites.length === 0) {
  throw new Error('scale-load: expected a JSON argument with nocUrl, secretFile and sites');
}

const secret = await loadOrCreateSecret(config.secretFile);
const url = `${config.nocUrl}/api/ingest`;
const headers = config.sites.map((site) => ({
  'content-type': 'application/json',
  authorization: `Bearer ${issueProbeToken(secret, site)}`,
}));

/** One second of a site, stamped `time`. Values move a little from second to second. */
function secondOf(seq: number, time: number): string {
  const wobble = (seq % 10) / 10;
  const samples = [
    ...LINK_TARGETS.map((target) => ({
      measurement: 'link',
      tags: { target },
      fields: { rtt_ms: 20 + wobble * 5, jitter_ms: 2 + wobble, loss_pct: 0.1 * wobble, up_kbps: 4000, down_kbps: 20000, reachable: true },
      time,
    })),
    ...MEDIA_STREAMS.map(([kind, direction]) => ({
      measurement: 'media',
      tags: { kind, direction },
      fields:
        kind === 'video'
          ? { bitrate_kbps: 900 + wobble * 50, loss_pct: 0, jitter_ms: 3, fps: 25, width: 1280, height: 720, freeze_count: 0, mos: 4.2 }
          : { bitrate_kbps: 40, loss_pct: 0, jitter_ms: 2, mos: 4.3, audio_level: wobble },
      time,
    })),
    { measurement: 'power', tags: {}, fields: { on_mains: true, status: 'OL', battery_pct: 100, runtime_s: 1800, load_pct: 30 }, time },
    { measurement: 'env', tags: {}, fields: { temp_c: 26 + wobble, humidity_pct: 60 }, time },
    { measurement: 'probe', tags: {}, fields: { seq, uptime_s: seq, spool_depth: 0, dropped: 0 }, time },
  ];
  return JSON.stringify({ samples });
}

let sent = 0;
let accepted = 0;
let failed = 0;
let inFlight = 0;
let firstFailure: string | null = null;
let late: number[] = [];
let answers: number[] = [];

async function post(i: number, seq: number): Promise<void> {
  const started = Date.now();
  sent++;
  inFlight++;
  try {
    const res = await fetch(url, { method: 'POST', headers: headers[i]!, body: secondOf(seq, started) });
    await res.arrayBuffer();
    if (res.status === 202) accepted++;
    else {
      failed++;
      firstFailure ??= `${config.sites[i]}: the gateway answered ${res.status}`;
    }
  } catch (err) {
    failed++;
    firstFailure ??= `${config.sites[i]}: ${(err as Error).message}`;
  } finally {
    inFlight--;
    answers.push(Date.now() - started);
  }
}

const p95 = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const sorted = xs.sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
};

process.on('message', (msg: { type?: string }) => {
  if (msg?.type !== 'report') return;
  const report: ScaleLoadReport = {
    type: 'report',
    sent,
    accepted,
    failed,
    firstFailure,
    lateP95Ms: p95(late),
    answerP95Ms: p95(answers),
    inFlight,
  };
  late = [];
  answers = [];
  process.send!(report);
});
process.on('disconnect', () => process.exit(0));

// Site i posts at start + i/N s, then every second; one timer walks the schedule in order.
const n = config.sites.length;
const start = Date.now() + 200;
let k = 0; // the k-th post overall: site k % n, its second k / n
const tick = () => {
  const now = Date.now();
  for (;;) {
    const due = start + Math.floor(k / n) * 1000 + ((k % n) * 1000) / n;
    if (due > now) {
      setTimeout(tick, Math.max(1, due - now));
      return;
    }
    late.push(now - due);
    void post(k % n, Math.floor(k / n));
    k++;
  }
};
setTimeout(tick, start - Date.now());
