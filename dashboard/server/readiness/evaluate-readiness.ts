// Whether a site is ready for a meeting (Điều 8.2), from what the readiness
// check found: its test call's figures against the incident rules' thresholds,
// its latest power and room readings, its own pre-meeting checklist and, for a
// big meeting, the last capacity test. Pure: every input is given.
import type { RuleSettingsMap } from '@noc/shared/incident-rules';
import type { LoadTestRun } from '@noc/shared/load-test';
import type { ReadinessReasonCode } from '@noc/shared/readiness-check';
import type { ChecklistRecord, ReadinessReason, SiteReadiness, TestCallFigures } from '@noc/shared/readiness';
import type { EnvNow, PowerNow } from '@noc/shared/site-state';
import { runHolds, shortfallOf } from '../load-tests/training-readiness.ts';

/** A sound whose loudest level (0..1) over the call stays below this is taken for silence. */
export const MIN_AUDIO_LEVEL = 0.01;
/** Power and room readings older than this say nothing about the site now. */
export const READING_MAX_AGE_MS = 10 * 60_000;

/** The incident rules' thresholds the check reuses. */
export type ReadinessThresholds = Pick<
  RuleSettingsMap,
  'lossHigh' | 'jitterHigh' | 'rttHigh' | 'videoFrozen' | 'batteryLow' | 'tempHigh' | 'humidityHigh'
>;

/** The test call as it went: opened or not, whether the site joined, and what was measured. */
export type TestCallOutcome =
  { opened: false; error: string } | { opened: true; joined: false } | { opened: true; joined: true; figures: TestCallFigures };

export interface ReadinessInput {
  occurrence: string;
  site: string;
  call: TestCallOutcome;
  power: PowerNow | null;
  env: EnvNow | null;
  checklist: ChecklistRecord | null;
  /** Whether the meeting needs a capacity test (a tập huấn, or more attendees than the admin's size), and the last judged run. */
  capacity: { needed: false } | { needed: true; run: LoadTestRun | null };
  thresholds: ReadinessThresholds;
  checkedBy: string;
  now: number;
}

const r1 = (n: number): number => Math.round(n * 10) / 10;
const reason = (code: ReadinessReasonCode, params?: Record<string, string | number>): ReadinessReason =>
  params ? { code, params } : { code };

function callReasons(call: TestCallOutcome, t: ReadinessThresholds): ReadinessReason[] {
  if (!call.opened) return [reason('call-not-opened', { error: call.error })];
  if (!call.joined) return [reason('not-joined')];
  const out: ReadinessReason[] = [];
  const { figures } = call;
  for (const direction of ['send', 'recv'] as const) {
    const f = figures[direction];
    if (f.lossPct === null && f.jitterMs === null && f.fps === null && f.audioLevel === null) {
      out.push(reason('no-media', { direction }));
      continue;
    }
    if (f.lossPct !== null && f.lossPct > t.lossHigh.threshold)
      out.push(reason('loss-high', { direction, value: r1(f.lossPct), threshold: t.lossHigh.threshold }));
    if (f.jitterMs !== null && f.jitterMs > t.jitterHigh.threshold)
      out.push(reason('jitter-high', { direction, value: r1(f.jitterMs), threshold: t.jitterHigh.threshold }));
    if (f.fps !== null && f.fps < t.videoFrozen.minFps)
      out.push(reason('fps-low', { direction, value: r1(f.fps), threshold: t.videoFrozen.minFps }));
    if (f.audioLevel === null || f.audioLevel < MIN_AUDIO_LEVEL) out.push(reason('audio-silent', { direction }));
  }
  if (figures.rttMs !== null && figures.rttMs > t.rttHigh.threshold)
    out.push(reason('rtt-high', { value: Math.round(figures.rttMs), threshold: t.rttHigh.threshold }));
  return out;
}

function powerReasons(power: PowerNow | null, t: ReadinessThresholds, now: number): ReadinessReason[] {
  if (!power || now - power.at > READING_MAX_AGE_MS || power.onMains === undefined) return [reason('power-unknown')];
  const out: ReadinessReason[] = [];
  if (!power.onMains) out.push(reason('on-battery', power.batteryPct === undefined ? {} : { pct: Math.round(power.batteryPct) }));
  const { minBatteryPct, minRuntimeSeconds } = t.batteryLow;
  if (power.batteryPct !== undefined && power.batteryPct < minBatteryPct)
    out.push(reason('battery-low', { value: Math.round(power.batteryPct), threshold: minBatteryPct }));
  if (power.runtimeS !== undefined && power.runtimeS < minRuntimeSeconds)
    out.push(reason('runtime-short', { minutes: r1(power.runtimeS / 60), threshold: r1(minRuntimeSeconds / 60) }));
  return out;
}

function roomReasons(env: EnvNow | null, t: ReadinessThresholds, now: number): ReadinessReason[] {
  if (!env || now - env.at > READING_MAX_AGE_MS || (env.tempC === undefined && env.humidityPct === undefined))
    return [reason('room-unknown')];
  const out: ReadinessReason[] = [];
  if (env.tempC !== undefined && env.tempC > t.tempHigh.threshold)
    out.push(reason('temp-high', { value: r1(env.tempC), threshold: t.tempHigh.threshold }));
  if (env.humidityPct !== undefined && env.humidityPct > t.humidityHigh.threshold)
    out.push(reason('humidity-high', { value: r1(env.humidityPct), threshold: t.humidityHigh.threshold }));
  return out;
}

/** Items found wrong make the site not ready; items not yet looked at (or no checklist yet) do not: the technician ticks them before the meeting. */
function checklistReasons(checklist: ChecklistRecord | null): ReadinessReason[] {
  if (!checklist) return [];
  return Object.entries(checklist.items)
    .filter(([, v]) => v?.ok === false)
    .map(([item, v]) => reason('checklist-item', { item, note: v?.note ?? '' }));
}

function capacityReasons(capacity: ReadinessInput['capacity']): ReadinessReason[] {
  if (!capacity.needed) return [];
  if (!capacity.run) return [reason('capacity-untested')];
  if (runHolds(capacity.run)) return [];
  return [reason('capacity-failed', { run: capacity.run.id, failed: shortfallOf(capacity.run) })];
}

/**
 * The site's readiness: not checked when the test call could not be opened
 * (nothing was learnt of the site's link); otherwise not ready with every
 * reason found, or ready when there is none.
 */
export function evaluateReadiness(input: ReadinessInput): SiteReadiness {
  const { call, thresholds: t, now } = input;
  const reasons = [
    ...callReasons(call, t),
    ...powerReasons(input.power, t, now),
    ...roomReasons(input.env, t, now),
    ...checklistReasons(input.checklist),
    ...capacityReasons(input.capacity),
  ];
  const state = !call.opened ? 'not-checked' : reasons.length > 0 ? 'not-ready' : 'ready';
  return {
    occurrence: input.occurrence,
    site: input.site,
    state,
    reasons,
    checkedBy: input.checkedBy,
    checkedAt: now,
    testCall: call.opened && call.joined ? call.figures : null,
    checklist: input.checklist,
    shutdown: null,
    shutdownOverdue: false,
  };
}
