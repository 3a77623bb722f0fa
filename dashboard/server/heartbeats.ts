// When each site's probe was last heard from, by the arrival of its samples at
// the gateway (the health report's count of reporting sites).
import { SITE_STATE_LIMITS } from '@noc/shared/site-state';

export class Heartbeats {
  #last = new Map<string, number>();

  beat(siteId: string, at = Date.now()): void {
    this.#last.set(siteId, Math.max(at, this.#last.get(siteId) ?? 0));
  }

  lastSeen(siteId: string): number | undefined {
    return this.#last.get(siteId);
  }

  reporting(now = Date.now()): string[] {
    return [...this.#last].filter(([, at]) => now - at <= SITE_STATE_LIMITS.heartbeatWindowMs).map(([id]) => id);
  }
}
