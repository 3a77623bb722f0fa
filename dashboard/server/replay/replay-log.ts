// What the NOC sees change that no sample records, kept for replays in noc.db
// (table `replay_log`): the meetings the SFU nodes carry (each new list, as
// the meetings watch hands it over) and the SFU nodes' and the store's states
// (as the health checks find them). Only changes are written; a moment's state
// is the newest row at or before it. Rows older than the raw samples' 14 days
// are removed, but the newest of each kind before that edge is kept, so the
// state at the edge stays known.
import type { DatabaseSync } from 'node:sqlite';
import type { HealthReport, SfuHealth } from '@noc/shared/health';
import type { MeetingRecord } from '@noc/shared/meeting';
import type { ReplayComponent, ReplayMeetings, ReplayTopology } from '@noc/shared/replay';

export type ReplayLogKind = 'meetings' | 'topology';

/** How long the log keeps its rows: as long as the raw samples. */
export const REPLAY_LOG_RETENTION_MS = 14 * 24 * 3600_000;
/** Pruning runs at most this often (on a write). */
const PRUNE_EVERY_MS = 3600_000;

type TopologyBody = Omit<ReplayTopology, 'since'>;

const sfuPart = (h: SfuHealth): ReplayComponent => ({
  state: h.state,
  ...(h.workers !== undefined ? { workers: h.workers } : {}),
  ...(h.routers !== undefined ? { routers: h.routers } : {}),
});

/** What the topology draws of a health report (its times and wording left out, so only real changes count). */
export function topologyOf(report: HealthReport): TopologyBody {
  const { sfu, sfuBackup, store } = report.components;
  return { sfu: sfuPart(sfu), sfuBackup: sfuPart(sfuBackup), store: { state: store.state } };
}

export class ReplayLog {
  #db: DatabaseSync;
  #last = new Map<ReplayLogKind, string>();
  #prunedAt = -Infinity;
  #now: () => number;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** The meetings now carried (an empty list too: every meeting ended). */
  meetingsChanged(meetings: readonly MeetingRecord[], at = this.#now()): void {
    this.#record('meetings', at, JSON.stringify(meetings));
  }

  /** A health report: written when what the topology draws of it changed. */
  healthChecked(report: HealthReport, at = this.#now()): void {
    this.#record('topology', at, JSON.stringify(topologyOf(report)));
  }

  /** The meetings carried at `at`. */
  meetingsAt(at: number): ReplayMeetings {
    const row = this.#rowAt('meetings', at);
    return row ? { since: row.at, meetings: JSON.parse(row.body) as MeetingRecord[] } : { since: null, meetings: [] };
  }

  /** The SFU nodes' and the store's states at `at`; null when none was recorded before. */
  topologyAt(at: number): ReplayTopology | null {
    const row = this.#rowAt('topology', at);
    return row ? { since: row.at, ...(JSON.parse(row.body) as TopologyBody) } : null;
  }

  /** Removes what is older than the retention, keeping the newest row of each kind before the edge. */
  prune(now = this.#now()): void {
    const cut = now - REPLAY_LOG_RETENTION_MS;
    this.#db
      .prepare(
        // A row before the edge goes when a newer row of its kind is also before the edge.
        `DELETE FROM replay_log WHERE at < ? AND EXISTS (
           SELECT 1 FROM replay_log n WHERE n.kind = replay_log.kind AND n.at < ?
             AND (n.at > replay_log.at OR (n.at = replay_log.at AND n.id > replay_log.id)))`,
      )
      .run(cut, cut);
    this.#prunedAt = now;
  }

  #record(kind: ReplayLogKind, at: number, body: string): void {
    if (this.#last.get(kind) === undefined) this.#last.set(kind, this.#rowAt(kind, Number.MAX_SAFE_INTEGER)?.body ?? '');
    if (this.#last.get(kind) === body) return;
    this.#db.prepare('INSERT INTO replay_log (kind, at, body) VALUES (?, ?, ?)').run(kind, Math.floor(at), body);
    this.#last.set(kind, body);
    if (at - this.#prunedAt >= PRUNE_EVERY_MS) this.prune(at);
  }

  #rowAt(kind: ReplayLogKind, at: number): { at: number; body: string } | null {
    const row = this.#db
      .prepare('SELECT at, body FROM replay_log WHERE kind = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1')
      .get(kind, Math.floor(at)) as { at: number; body: string } | undefined;
    return row ?? null;
  }
}
