// Breaches of the meeting rules that the server refused (a microphone opened
// without the floor, a join or a call outside the dial policy). Kept for the
// incident engine and pushed to whoever listens.
import type { PolicyEvent } from '@noc/shared/meeting';

const KEEP = 1000;

export class PolicyLog {
  #events: PolicyEvent[] = [];
  #listeners = new Set<(event: PolicyEvent) => void>();
  #log: (msg: string) => void;

  constructor(log: (msg: string) => void) {
    this.#log = log;
  }

  record(event: Omit<PolicyEvent, 'at'>): PolicyEvent {
    const full: PolicyEvent = { ...event, at: Date.now() };
    this.#events.push(full);
    if (this.#events.length > KEEP) this.#events.shift();
    this.#log(`[site:${full.site}] policy: ${full.type}: ${full.detail}`);
    for (const listener of this.#listeners) {
      try {
        listener(full);
      } catch (err) {
        this.#log(`policy listener failed: ${(err as Error).message}`);
      }
    }
    return full;
  }

  list(): PolicyEvent[] {
    return [...this.#events];
  }

  subscribe(listener: (event: PolicyEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
