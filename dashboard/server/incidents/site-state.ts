// What the incident rules know of each site: the shared site state
// (@noc/shared/site-state: the last heartbeat by its arrival, the link samples
// quality.ts grades, what the room sends into a meeting, power, room
// conditions, the probe's spool depth), folded from the samples that pass the
// ingest gateway, and the SFU's refused policy breaches.
import type { Point } from '@noc/shared/metrics';
import type { PolicyEventType } from '@noc/shared/meeting';
import { applySample, emptySiteState, type SiteState as SharedSiteState } from '@noc/shared/site-state';

export interface PolicyBreach {
  /** When the NOC learnt of it (the SFU's own time is `happenedAt`): a breach read late still counts. */
  at: number;
  happenedAt: number;
  meeting: string | null;
  detail: string;
}

export interface SiteState extends SharedSiteState {
  /** The latest breach of each kind the SFU refused. */
  readonly breaches: Map<PolicyEventType, PolicyBreach>;
}

/** Every site's state, by site id. */
export class NetworkState {
  readonly sites = new Map<string, SiteState>();

  constructor(siteIds: Iterable<string>) {
    for (const id of siteIds) this.sites.set(id, { ...emptySiteState(id), breaches: new Map() });
  }

  /** Applies stored points received at `receivedAt` (the NOC's clock); answers the sites they touched. */
  apply(points: readonly Point[], receivedAt: number): Set<string> {
    const touched = new Set<string>();
    for (const p of points) {
      const s = p.tags.site ? this.sites.get(p.tags.site) : undefined;
      if (!s) continue;
      applySample(s, p, { now: receivedAt, receivedAt });
      touched.add(s.site);
    }
    return touched;
  }
}
