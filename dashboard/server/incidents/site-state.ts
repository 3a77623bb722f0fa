// What the incident rules know of each site, kept from the samples that pass
// the ingest gateway: the last heartbeat, the link samples of the last minute
// (quality.ts grades them), what the room sends into a meeting, power, room
// conditions, the probe's spool depth and the SFU's refused policy breaches.
import type { Point } from '@noc/shared/metrics';
import type { PolicyEventType } from '@noc/shared/meeting';
import { QualityTracker } from '@noc/shared/quality';
import { powerFromFields, type SiteSnapshot } from '@noc/shared/site-snapshot';

/** The longest spool window a rule may look at (incident-rules.ts caps `windowSeconds` to it). */
const SPOOL_KEEP_MS = 10 * 60_000;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface VideoReading {
  at: number;
  fps: number | null;
}

export interface PolicyBreach {
  /** When the NOC learnt of it (the SFU's own time is `happenedAt`): a breach read late still counts. */
  at: number;
  happenedAt: number;
  meeting: string | null;
  detail: string;
}

export class SiteState {
  readonly site: string;
  /** When the NOC last received a heartbeat (its own clock, not the probe's: a probe's clock may be off). */
  lastHeartbeat: number | null = null;
  readonly quality = new QualityTracker();
  /** What the room's endpoint sends (media, direction send, no node tag). */
  video: VideoReading | null = null;
  power: NonNullable<SiteSnapshot['power']> | null = null;
  env: NonNullable<SiteSnapshot['env']> | null = null;
  /** Heartbeats' spool depth, [time, depth], oldest first. */
  readonly spool: [number, number][] = [];
  /** The latest breach of each kind the SFU refused. */
  readonly breaches = new Map<PolicyEventType, PolicyBreach>();

  constructor(site: string) {
    this.site = site;
  }

  apply(p: Point, receivedAt: number): void {
    const f = p.fields;
    switch (p.measurement) {
      case 'probe': {
        this.lastHeartbeat = Math.max(this.lastHeartbeat ?? 0, receivedAt);
        const depth = num(f.spool_depth);
        if (depth !== null) {
          let i = this.spool.length;
          while (i > 0 && this.spool[i - 1]![0] > p.time) i--;
          this.spool.splice(i, 0, [p.time, depth]);
          while (this.spool.length && this.spool[0]![0] < p.time - SPOOL_KEEP_MS) this.spool.shift();
        }
        break;
      }
      case 'link':
        if (p.tags.target !== 'sfu') break;
        this.quality.add({ time: p.time, rttMs: num(f.rtt_ms), jitterMs: num(f.jitter_ms), lossPct: num(f.loss_pct) });
        break;
      case 'media':
        if (p.tags.kind !== 'video' || p.tags.direction !== 'send' || p.tags.node !== undefined) break;
        if (this.video && p.time < this.video.at) break;
        this.video = { at: p.time, fps: num(f.fps) };
        break;
      case 'power':
        if (this.power && p.time < this.power.at) break;
        this.power = powerFromFields(p.time, f);
        break;
      case 'env': {
        if (this.env && p.time < this.env.at) break;
        const env: NonNullable<SiteSnapshot['env']> = { at: p.time };
        if (num(f.temp_c) !== null) env.tempC = f.temp_c as number;
        if (num(f.humidity_pct) !== null) env.humidityPct = f.humidity_pct as number;
        this.env = env;
        break;
      }
      default:
        break;
    }
  }
}

/** Every site's state, by site id. */
export class NetworkState {
  readonly sites = new Map<string, SiteState>();

  constructor(siteIds: Iterable<string>) {
    for (const id of siteIds) this.sites.set(id, new SiteState(id));
  }

  /** Applies stored points received at `receivedAt`; answers the sites they touched. */
  apply(points: readonly Point[], receivedAt: number): Set<string> {
    const touched = new Set<string>();
    for (const p of points) {
      const s = p.tags.site ? this.sites.get(p.tags.site) : undefined;
      if (!s) continue;
      s.apply(p, receivedAt);
      touched.add(s.site);
    }
    return touched;
  }
}
