// Things the node must remember and tell: breaches of the meeting rules it
// refused (policy events) and meetings moving between the main and the backup
// node (node events). Kept for the incident engine and pushed to listeners.

const KEEP = 1000;

export class EventLog<E extends { at: number }> {
  #events: E[] = [];
  #listeners = new Set<(event: E) => void>();
  #describe: (event: E) => string;
  #log: (msg: string) => void;

  constructor(describe: (event: E) => string, log: (msg: string) => void) {
    this.#describe = describe;
    this.#log = log;
  }

  record(event: Omit<E, 'at'>): E {
    const full = { ...event, at: Date.now() } as E;
    this.#events.push(full);
    if (this.#events.length > KEEP) this.#events.shift();
    this.#log(this.#describe(full));
    for (const listener of this.#listeners) {
      try {
        listener(full);
      } catch (err) {
        this.#log(`event listener failed: ${(err as Error).message}`);
      }
    }
    return full;
  }

  list(): E[] {
    return [...this.#events];
  }

  subscribe(listener: (event: E) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
