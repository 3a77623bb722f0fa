// Joins, drops and floor grants of the meetings, which no sample records: the
// SFU nodes' `GET /presence` polled about every second, each change written to
// noc.db (table `meeting_events`). A node that stops answering keeps its last
// answer for a while (a hand-over to the backup node is no drop), then counts
// as carrying nothing. Capacity tests' meetings and readiness test calls are
// left out.
import type { DatabaseSync } from 'node:sqlite';
import type { MeetingEvent, MeetingEventType } from '@noc/shared/meeting-timeline';
import { readSfuStatus, type MeetingPresence } from '@noc/shared/sfu-status-api';

/** How long a node's last answer stands in for it while it does not answer. */
const STALE_AFTER_MS = 10_000;

interface Seen {
  floor: string | null;
  sites: Map<string, number>;
}

export interface MeetingEventsOptions {
  db: DatabaseSync;
  nodeUrls: string[];
  /** The NOC's token for the SFU nodes' status endpoints. */
  sfuToken: string;
  intervalMs?: number;
  now?: () => number;
}

export class MeetingEvents {
  #opts: MeetingEventsOptions;
  #now: () => number;
  #answers = new Map<string, { at: number; meetings: MeetingPresence[] }>();
  #seen = new Map<string, Seen>();
  #timer: NodeJS.Timeout | null = null;
  #polling = false;

  constructor(opts: MeetingEventsOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  start(): void {
    void this.poll();
    this.#timer = setInterval(() => void this.poll(), this.#opts.intervalMs ?? 1000);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The events in [from, to], by time. */
  between(from: number, to: number): MeetingEvent[] {
    const rows = this.#db
      .prepare('SELECT meeting, at, type, site, seats FROM meeting_events WHERE at >= ? AND at <= ? ORDER BY at, id')
      .all(Math.floor(from), Math.ceil(to)) as unknown as {
      meeting: string;
      at: number;
      type: MeetingEventType;
      site: string | null;
      seats: number | null;
    }[];
    return rows.map((r) => ({ at: r.at, type: r.type, meeting: r.meeting, site: r.site, ...(r.seats !== null ? { seats: r.seats } : {}) }));
  }

  get #db(): DatabaseSync {
    return this.#opts.db;
  }

  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      await Promise.all(
        this.#opts.nodeUrls.map(async (url) => {
          try {
            const answer = await readSfuStatus(url, 'presence', 900, this.#opts.sfuToken);
            this.#answers.set(url, { at: this.#now(), meetings: answer.meetings });
          } catch {
            const last = this.#answers.get(url);
            if (last && this.#now() - last.at > STALE_AFTER_MS) this.#answers.delete(url);
          }
        }),
      );
      // A poll under way when the server stops writes nothing: the state database may be closed by then.
      if (this.#timer !== null) this.#apply(this.#now());
    } finally {
      this.#polling = false;
    }
  }

  /** Compares what the nodes carry now with what was seen, and records the difference. */
  #apply(at: number): void {
    const now = new Map<string, Seen>();
    for (const { meetings } of this.#answers.values()) {
      for (const m of meetings) {
        if (m.loadTest || m.testCall || now.has(m.id)) continue;
        now.set(m.id, { floor: m.floor, sites: new Map(m.present.map((p) => [p.site, p.seats])) });
      }
    }
    const events: Omit<MeetingEvent, 'at'>[] = [];
    for (const [id, cur] of now) {
      const before = this.#seen.get(id);
      if (!before) events.push({ type: 'meeting-opened', meeting: id, site: null });
      for (const [site, seats] of cur.sites) if (!before?.sites.has(site)) events.push({ type: 'join', meeting: id, site, seats });
      for (const site of before?.sites.keys() ?? []) if (!cur.sites.has(site)) events.push({ type: 'drop', meeting: id, site });
      const floorBefore = before?.floor ?? null;
      if (cur.floor !== floorBefore) {
        if (cur.floor !== null) events.push({ type: 'floor', meeting: id, site: cur.floor });
        else events.push({ type: 'floor-released', meeting: id, site: floorBefore });
      }
    }
    for (const [id, before] of this.#seen) {
      if (now.has(id)) continue;
      for (const site of before.sites.keys()) events.push({ type: 'drop', meeting: id, site });
      events.push({ type: 'meeting-closed', meeting: id, site: null });
    }
    this.#seen = now;
    if (events.length === 0) return;
    const insert = this.#db.prepare('INSERT INTO meeting_events (meeting, at, type, site, seats) VALUES (?, ?, ?, ?, ?)');
    for (const e of events) insert.run(e.meeting, Math.floor(at), e.type, e.site, e.seats ?? null);
  }
}
