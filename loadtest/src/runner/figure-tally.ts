// What the scenarios' datagrams add up to: seats in the meeting and their join
// times, signalling requests and errors, the seats' RTP sinks, the Chromium
// endpoints, the wall clients on the live feed and the ingest acknowledgements. The runner reads it every couple
// of seconds for the live figures and once at the end for the summary.
import type { FigureDatagram } from '../figure-datagram.ts';
import { percentile } from './percentile.ts';

interface BrowserFigures {
  /** Over the last period. */
  fps: number | null;
  /** The periods' frame rates since the first picture, for their mean. */
  fpsSum: number;
  fpsPeriods: number;
  /** Over the whole stay, as the endpoint's last report gives it. */
  fpsFinal: number | null;
  firstPictureMs: number | null;
  freezeMaxMs: number;
  audioJitterMs: number | null;
}

/** Live-feed delays kept for their p95. */
const MAX_DELAYS = 20_000;

export class FigureTally {
  seatsJoined = 0;
  seatsFailed = 0;
  readonly seatErrors: string[] = [];
  readonly joinMs: number[] = [];
  signallingRequests = 0;
  signallingErrors = 0;
  readonly sinks = new Map<string, { expected: number; received: number; jitterMs: number | null }>();
  readonly browsers = new Map<string, BrowserFigures>();
  /** Wall clients by id: whether each holds the live feed now. */
  readonly walls = new Map<string, boolean>();
  /** The most walls that held the live feed at once. */
  wallsConnectedMost = 0;
  liveFeedEvents = 0;
  readonly liveFeedDelaysMs: number[] = [];
  /** Ingest acknowledgement latencies since the last `takeIngestPeriod`, and over the run. */
  #ingestPeriod: number[] = [];
  ingestErrors = 0;
  ingestProbes = 0;
  /** Processes whose scenario processor has loaded. */
  readonly readyPids = new Set<number>();
  /** Parts of the scenario that reported they cannot go on. */
  readonly failures: string[] = [];

  add(d: FigureDatagram): void {
    switch (d.k) {
      case 'seat-joined':
        this.seatsJoined++;
        if (Number.isFinite(d.joinMs)) this.joinMs.push(d.joinMs);
        break;
      case 'seat-left':
        this.seatsJoined = Math.max(0, this.seatsJoined - 1);
        break;
      case 'seat-failed':
        this.seatsFailed++;
        if (this.seatErrors.length < 20) this.seatErrors.push(`${d.site}: ${d.error}`);
        break;
      case 'signalling':
        this.signallingRequests += d.requests;
        this.signallingErrors += d.errors;
        break;
      case 'sink':
        this.sinks.set(d.id, { expected: d.expected, received: d.received, jitterMs: d.jitterMs });
        break;
      case 'browser': {
        const before = this.browsers.get(d.site);
        const period = !d.final && d.fps !== null;
        this.browsers.set(d.site, {
          fps: d.final ? (before?.fps ?? null) : d.fps,
          fpsSum: (before?.fpsSum ?? 0) + (period ? d.fps! : 0),
          fpsPeriods: (before?.fpsPeriods ?? 0) + (period ? 1 : 0),
          fpsFinal: d.final ? d.fps : (before?.fpsFinal ?? null),
          firstPictureMs: d.firstPictureMs,
          freezeMaxMs: Math.max(before?.freezeMaxMs ?? 0, d.freezeMaxMs),
          audioJitterMs: d.audioJitterMs,
        });
        break;
      }
      case 'wall':
        this.walls.set(d.id, d.connected);
        this.wallsConnectedMost = Math.max(this.wallsConnectedMost, this.wallsConnected());
        this.liveFeedEvents += d.events;
        for (const ms of d.delaysMs) if (Number.isFinite(ms)) this.liveFeedDelaysMs.push(ms);
        // An hour of every wall's delays would grow without end: the latest ones are kept.
        if (this.liveFeedDelaysMs.length > MAX_DELAYS) this.liveFeedDelaysMs.splice(0, this.liveFeedDelaysMs.length - MAX_DELAYS);
        break;
      case 'ingest':
        this.#ingestPeriod.push(...d.ackMs);
        this.ingestErrors += d.errors;
        this.ingestProbes = Math.max(this.ingestProbes, d.probes);
        break;
      case 'ready':
        this.readyPids.add(d.pid);
        break;
      case 'failed':
        if (!this.failures.includes(d.what)) this.failures.push(d.what);
        break;
    }
  }

  joinP95Ms(): number | null {
    return percentile(this.joinMs, 95);
  }

  /** Packets missing at the sinks, % of expected; null before any packet was expected. */
  receiverLossPct(): number | null {
    let expected = 0;
    let received = 0;
    for (const s of this.sinks.values()) {
      expected += s.expected;
      received += Math.min(s.received, s.expected);
    }
    return expected > 0 ? ((expected - received) / expected) * 100 : null;
  }

  signallingErrorPct(): number | null {
    return this.signallingRequests > 0 ? (this.signallingErrors / this.signallingRequests) * 100 : null;
  }

  /** Lowest current frame rate among the browsers (live figure). */
  browserFps(): number | null {
    return minOf([...this.browsers.values()].map((b) => b.fps));
  }

  /**
   * The lowest mean frame rate among the browsers (summary): each one's over
   * its whole stay when it reported it, else the mean of its periods.
   */
  browserFpsMin(): number | null {
    return minOf([...this.browsers.values()].map((b) => b.fpsFinal ?? (b.fpsPeriods > 0 ? b.fpsSum / b.fpsPeriods : null)));
  }

  firstPictureMs(): number | null {
    return maxOf([...this.browsers.values()].map((b) => b.firstPictureMs));
  }

  freezeMaxMs(): number | null {
    return maxOf([...this.browsers.values()].map((b) => b.freezeMaxMs));
  }

  audioJitterMs(): number | null {
    return maxOf([...this.browsers.values()].map((b) => b.audioJitterMs));
  }

  /** Walls holding the live feed now. */
  wallsConnected(): number {
    return [...this.walls.values()].filter(Boolean).length;
  }

  liveFeedDelayP95Ms(): number | null {
    return percentile(this.liveFeedDelaysMs, 95);
  }

  /** The acknowledgement latencies since the last call. */
  takeIngestPeriod(): number[] {
    const period = this.#ingestPeriod;
    this.#ingestPeriod = [];
    return period;
  }
}

function minOf(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return present.length ? Math.min(...present) : null;
}

function maxOf(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return present.length ? Math.max(...present) : null;
}
