// The readiness check's settings from the environment: how long a test call
// measures, how long a room has to join it, the lead before a meeting the
// automatic run takes it at, how often it looks, and the first default of the
// admin's "big meeting" size (the admin's saved value wins).
import { envNumber } from '@noc/shared/env-number';

export interface ReadinessConfig {
  /** Media measured per site once it is in its test call (NOC_READINESS_CALL_S, default 30 s). */
  callMs: number;
  /** How long a site's room has to join its test call (NOC_READINESS_JOIN_S, default 60 s). */
  joinTimeoutMs: number;
  /** The automatic run takes occurrences starting between these leads from now (NOC_READINESS_LEAD_H, default 24–26 h). */
  leadFromMs: number;
  leadToMs: number;
  /** How often the automatic run looks for occurrences (NOC_READINESS_TICK_S, default 60 s). */
  tickMs: number;
  /** NOC_READINESS_BIG_ATTENDEES (default 200): the admin's size until the admin sets one. */
  bigMeetingAttendees: number;
}

const HOUR_MS = 3600_000;

/** `NOC_READINESS_LEAD_H` is "from-to" in hours, e.g. "24-26". */
function lead(env: NodeJS.ProcessEnv): { leadFromMs: number; leadToMs: number } {
  const raw = env.NOC_READINESS_LEAD_H?.trim();
  if (!raw) return { leadFromMs: 24 * HOUR_MS, leadToMs: 26 * HOUR_MS };
  const m = /^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$/.exec(raw);
  const from = m ? Number(m[1]) : NaN;
  const to = m ? Number(m[2]) : NaN;
  if (!m || !(to > from) || to > 24 * 30) {
    throw new Error(`NOC_READINESS_LEAD_H "${raw}" must be two hours "from-to" with from below to, at most 720, e.g. "24-26"`);
  }
  return { leadFromMs: from * HOUR_MS, leadToMs: to * HOUR_MS };
}

export function readReadinessConfig(env: NodeJS.ProcessEnv = process.env): ReadinessConfig {
  return {
    callMs: envNumber(env, 'NOC_READINESS_CALL_S', 30, { min: 1, max: 600, unit: 'seconds' }) * 1000,
    joinTimeoutMs: envNumber(env, 'NOC_READINESS_JOIN_S', 60, { min: 1, max: 600, unit: 'seconds' }) * 1000,
    ...lead(env),
    tickMs: envNumber(env, 'NOC_READINESS_TICK_S', 60, { min: 0.1, max: 3600, unit: 'seconds' }) * 1000,
    bigMeetingAttendees: envNumber(env, 'NOC_READINESS_BIG_ATTENDEES', 200, { min: 1, max: 100_000, integer: true }),
  };
}
