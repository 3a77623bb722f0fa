// When each site's probe was last heard from.
export const HEARTBEAT_WINDOW_MS = 10_000;

export class Heartbeats {
  #last = new Map<string, number>();

  beat(siteId: string, at = Date.now()): void {
    this.#last.set(siteId, Math.max(at, this.#last.get(siteId) ?? 0));
  }

  lastSeen(siteId: string): number | undefined {
    return this.#last.get(siteId);
  }

  reporting(now = Date.now()): string[] {
    return [...this.#last].filter(([, at]) => now - at <= HEARTBEAT_WINDOW_MS).map(([id]) => id);
  }
}
