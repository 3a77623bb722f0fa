// A site's state as the pages and the incident rules read it: the snapshot of
// its latest figures, and what a power sample says (mains, battery and how low,
// or the UPS not being read). Pure: runs in Node and the browser.
import type { Grade } from './quality.ts';

export const SNAPSHOT_THRESHOLDS = {
  /** No heartbeat for this long: the site is silent. */
  heartbeatMs: 10_000,
  /** On battery with at most this charge, or this runtime left, or NUT's LB flag: battery low. */
  batteryLowPct: 25,
  batteryLowRuntimeS: 300,
};
export type SnapshotThresholds = typeof SNAPSHOT_THRESHOLDS;

/** A site's current state, as the pages and the incident rules read it. */
export interface SiteSnapshot {
  site: string;
  /** Time of the last heartbeat; null when none was ever heard. */
  lastHeartbeat: number | null;
  /** The shown quality grade (quality.ts); null without recent link samples. */
  grade: Grade | null;
  /** The latest link figures towards the SFU. */
  link: { at: number; rttMs: number | null; jitterMs: number | null } | null;
  /** The latest power sample's fields. */
  power: { at: number; onMains?: boolean; status?: string; batteryPct?: number; runtimeS?: number } | null;
  env: { at: number; tempC?: number; humidityPct?: number } | null;
  /** Recent heartbeats' spool depth, [time, depth], oldest first. */
  spool: readonly (readonly [number, number])[];
}

/** A power sample's fields as the snapshot holds them (fields of another type are left out). */
export function powerFromFields(at: number, f: Readonly<Record<string, unknown>>): NonNullable<SiteSnapshot['power']> {
  const p: NonNullable<SiteSnapshot['power']> = { at };
  if (typeof f.on_mains === 'boolean') p.onMains = f.on_mains;
  if (typeof f.status === 'string') p.status = f.status;
  if (typeof f.battery_pct === 'number' && Number.isFinite(f.battery_pct)) p.batteryPct = f.battery_pct;
  if (typeof f.runtime_s === 'number' && Number.isFinite(f.runtime_s)) p.runtimeS = f.runtime_s;
  return p;
}

/** Flags of NUT's `ups.status`; anything else (DRIVER-NOT-CONNECTED, DATA-STALE, UPSD-UNREACHABLE …) means the UPS is not being read. */
const NUT_FLAGS = new Set([
  'OL',
  'OB',
  'LB',
  'HB',
  'RB',
  'CHRG',
  'DISCHRG',
  'BYPASS',
  'CAL',
  'OFF',
  'OVER',
  'TRIM',
  'BOOST',
  'FSD',
  'ALARM',
  'TEST',
]);

function nutFlags(status: string | undefined): Set<string> | null {
  if (status === undefined) return new Set();
  const flags = status.trim().split(/\s+/).filter(Boolean);
  return flags.length > 0 && flags.every((f) => NUT_FLAGS.has(f)) ? new Set(flags) : null;
}

/** What a power sample says: on mains, on battery (and whether it is low), or the UPS not being read. */
export type PowerReading =
  { kind: 'mains' } | { kind: 'battery'; pct: number | null; minutes: number | null; low: boolean } | { kind: 'lost'; status: string };

export type LowBatteryReason = 'ups-low-battery' | 'charge' | 'runtime';

/** Why a battery counts as low: NUT's LB flag, the charge or the runtime at or under the floor. */
export function lowBatteryReasons(
  p: NonNullable<SiteSnapshot['power']>,
  th: Pick<SnapshotThresholds, 'batteryLowPct' | 'batteryLowRuntimeS'> = SNAPSHOT_THRESHOLDS,
): LowBatteryReason[] {
  const reasons: LowBatteryReason[] = [];
  if (nutFlags(p.status)?.has('LB')) reasons.push('ups-low-battery');
  if (p.batteryPct !== undefined && p.batteryPct <= th.batteryLowPct) reasons.push('charge');
  if (p.runtimeS !== undefined && p.runtimeS <= th.batteryLowRuntimeS) reasons.push('runtime');
  return reasons;
}

export function readPower(
  p: NonNullable<SiteSnapshot['power']>,
  th: Pick<SnapshotThresholds, 'batteryLowPct' | 'batteryLowRuntimeS'> = SNAPSHOT_THRESHOLDS,
): PowerReading {
  const flags = nutFlags(p.status);
  if (flags === null) return { kind: 'lost', status: p.status ?? '' };
  if (!(p.onMains === false || flags.has('OB'))) return { kind: 'mains' };
  const low = lowBatteryReasons(p, th).length > 0;
  return {
    kind: 'battery',
    pct: p.batteryPct === undefined ? null : Math.round(p.batteryPct),
    minutes: p.runtimeS === undefined ? null : Math.floor(p.runtimeS / 60),
    low,
  };
}
