// Replay: the network as it was at a past moment. `GET /api/replay/state?at=<ms>`
// answers in one read what the wall (or one site's page) drew then: the samples
// the site-state reducer folds into each site's tile, the round-trip series of
// the last 15 minutes, the SFU nodes' states, the meetings and the incidents
// open at that moment. Raw samples are read within their 14-day retention, the
// 1-minute means beyond it, back to 400 days.
import { z } from 'zod';
import type { Incident } from './incidents.ts';
import type { MeetingRecord } from './meeting.ts';
import type { Fields, Measurement, Tags } from './metrics.ts';
import { queryNumber } from './query-number.ts';
import type { ComponentState } from './health.ts';
import { YEAR_RETENTION_MS } from './history-query.ts';

/** The furthest back a replay reaches: the 1-minute means' retention. */
export const REPLAY_MAX_AGE_MS = YEAR_RETENTION_MS;
/** The speeds a replay plays forward at (× real time). */
export const REPLAY_SPEEDS = [1, 5, 15, 60] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

/**
 * The moment asked for: a time in epoch milliseconds, not in the future and
 * not older than the 400 days the means are kept (checked against the clock at
 * the time of the request).
 */
export const replayAtSchema = queryNumber('a time in epoch milliseconds').superRefine((at, ctx) => {
  const now = Date.now();
  if (at > now) ctx.addIssue({ code: 'custom', message: `${at} is in the future (now is ${now}): a replay shows the past` });
  else if (now - at > REPLAY_MAX_AGE_MS)
    ctx.addIssue({ code: 'custom', message: `${at} is older than the ${REPLAY_MAX_AGE_MS / 86_400_000} days the store keeps` });
});

export const replayStateQuerySchema = z.strictObject({
  at: replayAtSchema,
  /** One site only (a technician must name its own). */
  site: z.string().min(1).max(40).optional(),
});
export type ReplayStateQuery = z.infer<typeof replayStateQuerySchema>;

/** A stored sample as the site-state reducer reads it back (no arrival time). */
export interface ReplaySample {
  site: string;
  measurement: Measurement;
  tags: Tags;
  fields: Fields;
  time: number;
}

/** What the topology drew of a component at the moment: its state and, for an SFU node, its workers and routers. */
export interface ReplayComponent {
  state: ComponentState;
  workers?: number;
  routers?: number;
}

/** The SFU nodes and the store as the NOC's health checks last saw them before the moment. */
export interface ReplayTopology {
  /** When this state was first seen (the health checks record changes only). */
  since: number;
  sfu: ReplayComponent;
  sfuBackup: ReplayComponent;
  store: ReplayComponent;
}

/** The meetings the SFU nodes carried at the moment, as the NOC recorded their changes. */
export interface ReplayMeetings {
  /** When this list was first seen; null when nothing was recorded before the moment. */
  since: number | null;
  meetings: MeetingRecord[];
}

export interface ReplayState {
  at: number;
  /** Raw samples (within 14 days), or the 1-minute means beyond: each mean stands at the end of its minute. */
  source: 'raw' | 'year';
  /** The samples each site's state is folded from (see shared/src/site-state.ts), oldest first. */
  samples: ReplaySample[];
  /** Round-trip time towards the SFU per site over the 15 minutes up to the moment, oldest first. */
  rtt: Record<string, [number, number][]>;
  /** Null when no health check was recorded before the moment (or for a technician). */
  topology: ReplayTopology | null;
  meetings: ReplayMeetings;
  /** Incidents not resolved at the moment, as they stood then, newest first. */
  incidents: Incident[];
}
