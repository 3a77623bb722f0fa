// The breaches of the meeting rules the SFU nodes refused (`GET <node>/events`),
// polled about every second and handed to the engine once each: the newest
// time taken from each node is kept in the state database, so a restart of the
// NOC server neither loses nor repeats one.
import type { DatabaseSync } from 'node:sqlite';
import type { PolicyEvent } from '@noc/shared/meeting';
import { readSfuStatus } from '@noc/shared/sfu-status-api';

export interface PolicyWatchOptions {
  db: DatabaseSync;
  nodes: { name: 'main' | 'backup'; url: string }[];
  /** The NOC's token for the SFU nodes' status endpoints. */
  sfuToken: string;
  onBreach: (e: PolicyEvent) => void;
  intervalMs?: number;
}

export class PolicyWatch {
  #opts: PolicyWatchOptions;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #polling = false;

  constructor(opts: PolicyWatchOptions) {
    this.#opts = opts;
  }

  start(): void {
    void this.poll();
    this.#timer = setInterval(() => void this.poll(), this.#opts.intervalMs ?? 1000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#stopped = true;
  }

  #mark(node: string): number {
    const row = this.#opts.db.prepare('SELECT value FROM marks WHERE key = ?').get(`policy:${node}`) as { value: number } | undefined;
    return row?.value ?? 0;
  }

  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      for (const node of this.#opts.nodes) {
        let events: PolicyEvent[];
        try {
          events = (await readSfuStatus(node.url, 'events', 900, this.#opts.sfuToken)).policy;
        } catch {
          continue; // a node that does not answer (or answers nonsense) has its own incident
        }
        // Stopped while the node answered: the state database may be closed already.
        if (this.#stopped) return;
        const since = this.#mark(node.name);
        const fresh = events.filter((e) => e.at > since).sort((a, b) => a.at - b.at);
        for (const e of fresh) this.#opts.onBreach(e);
        const last = fresh.at(-1);
        if (last)
          this.#opts.db
            .prepare('INSERT INTO marks (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
            .run(`policy:${node.name}`, last.at);
      }
    } finally {
      this.#polling = false;
    }
  }
}
