// What deserves an operator's eye now, derived from each site's current state
// and the SFU nodes' health: the conditions of DESIGN.md §5 without the
// incident lifecycle (no `for` durations, acknowledgement or history). Pure:
// the wall derives its open-alerts list from it until the incident engine
// feeds that list instead.
import type { HealthReport } from './health.ts';
import type { Grade } from './quality.ts';

export const ALERT_SEVERITIES = ['critical', 'major', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_KEYS = [
  'stale',
  'qualityBad',
  'qualityTerrible',
  'rttHigh',
  'jitterHigh',
  'onBattery',
  'batteryLow',
  'upsLost',
  'tempHigh',
  'humidityHigh',
  'spoolGrowing',
  'sfuMainDown',
  'sfuBackupDown',
] as const;
export type AlertKey = (typeof ALERT_KEYS)[number];

export type AlertParams = Record<string, string | number>;

/** One open alert as a list shows it; `key` names the message, `params` fill it in. */
export interface SiteAlert {
  site: string;
  severity: AlertSeverity;
  key: AlertKey;
  params: AlertParams;
  /** When the condition began (ms since the epoch). */
  since: number;
}

export const ALERT_THRESHOLDS = {
  /** No heartbeat for this long: the site is offline. */
  heartbeatMs: 10_000,
  rttMs: 300,
  jitterMs: 30,
  /** On battery with at most this charge, or this runtime left, or NUT's LB flag: battery low. */
  batteryLowPct: 25,
  batteryLowRuntimeS: 300,
  tempC: 35,
  humidityPct: 80,
  /** The probe's spool holds at least this many samples and grew over `spoolWindowMs`. */
  spoolDepth: 20,
  spoolWindowMs: 30_000,
  /** Power and room readings older than this say nothing about now. */
  readingMaxAgeMs: 60_000,
};
export type AlertThresholds = typeof ALERT_THRESHOLDS;

/** A site's current state, as far as the alerts need it. */
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

/** A condition holding now; `since` when the data tells when it began. */
export interface Condition {
  site: string;
  severity: AlertSeverity;
  key: AlertKey;
  params: AlertParams;
  since?: number;
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
const NUT_FLAGS = new Set(['OL', 'OB', 'LB', 'HB', 'RB', 'CHRG', 'DISCHRG', 'BYPASS', 'CAL', 'OFF', 'OVER', 'TRIM', 'BOOST', 'FSD', 'ALARM', 'TEST']);

function nutFlags(status: string | undefined): Set<string> | null {
  if (status === undefined) return new Set();
  const flags = status.trim().split(/\s+/).filter(Boolean);
  return flags.length > 0 && flags.every((f) => NUT_FLAGS.has(f)) ? new Set(flags) : null;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** What a power sample says: on mains, on battery (and whether it is low), or the UPS not being read. */
export type PowerReading =
  | { kind: 'mains' }
  | { kind: 'battery'; pct: number | null; minutes: number | null; low: boolean }
  | { kind: 'lost'; status: string };

export function readPower(p: NonNullable<SiteSnapshot['power']>, th: AlertThresholds = ALERT_THRESHOLDS): PowerReading {
  const flags = nutFlags(p.status);
  if (flags === null) return { kind: 'lost', status: p.status ?? '' };
  if (!(p.onMains === false || flags.has('OB'))) return { kind: 'mains' };
  const low =
    flags.has('LB') ||
    (p.batteryPct !== undefined && p.batteryPct <= th.batteryLowPct) ||
    (p.runtimeS !== undefined && p.runtimeS <= th.batteryLowRuntimeS);
  return {
    kind: 'battery',
    pct: p.batteryPct === undefined ? null : Math.round(p.batteryPct),
    minutes: p.runtimeS === undefined ? null : Math.floor(p.runtimeS / 60),
    low,
  };
}

function powerConditions(s: SiteSnapshot, th: AlertThresholds): Omit<Condition, 'site'>[] {
  if (!s.power) return [];
  const reading = readPower(s.power, th);
  if (reading.kind === 'lost') return [{ severity: 'warning', key: 'upsLost', params: { status: reading.status } }];
  if (reading.kind === 'mains') return [];
  const params: AlertParams = {};
  if (reading.pct !== null) params.pct = reading.pct;
  if (reading.minutes !== null) params.minutes = reading.minutes;
  return [reading.low ? { severity: 'critical', key: 'batteryLow', params } : { severity: 'major', key: 'onBattery', params }];
}

function spoolCondition(s: SiteSnapshot, now: number, th: AlertThresholds): Omit<Condition, 'site'> | null {
  const recent = s.spool.filter(([t]) => t >= now - th.spoolWindowMs && t <= now);
  const first = recent[0];
  const last = recent.at(-1);
  if (!first || !last || last === first) return null;
  return last[1] >= th.spoolDepth && last[1] > first[1] ? { severity: 'warning', key: 'spoolGrowing', params: { depth: last[1] } } : null;
}

export interface SiteConditionOptions {
  thresholds?: AlertThresholds;
  /** The main SFU node is down: the link and quality alarms it causes are left out. */
  sfuMainDown?: boolean;
}

/** The conditions holding at a site now. A silent site has only `stale`: its other figures are old. */
export function siteConditions(s: SiteSnapshot, now: number, options: SiteConditionOptions = {}): Condition[] {
  const th = options.thresholds ?? ALERT_THRESHOLDS;
  const at = (c: Omit<Condition, 'site'>): Condition => ({ site: s.site, ...c });
  if (s.lastHeartbeat === null || now - s.lastHeartbeat > th.heartbeatMs) {
    const since = s.lastHeartbeat === null ? {} : { since: s.lastHeartbeat };
    return [at({ severity: 'critical', key: 'stale', params: {}, ...since })];
  }
  const out: Condition[] = [];
  const fresh = (reading: { at: number } | null) => reading !== null && now - reading.at <= th.readingMaxAgeMs;
  if (!options.sfuMainDown) {
    if (s.grade === 'terrible') out.push(at({ severity: 'major', key: 'qualityTerrible', params: {} }));
    else if (s.grade === 'bad') out.push(at({ severity: 'warning', key: 'qualityBad', params: {} }));
    if (s.link && fresh(s.link)) {
      if (s.link.rttMs !== null && s.link.rttMs > th.rttMs) out.push(at({ severity: 'warning', key: 'rttHigh', params: { rtt: Math.round(s.link.rttMs) } }));
      if (s.link.jitterMs !== null && s.link.jitterMs > th.jitterMs) {
        out.push(at({ severity: 'warning', key: 'jitterHigh', params: { jitter: round1(s.link.jitterMs) } }));
      }
    }
  }
  if (fresh(s.power)) out.push(...powerConditions(s, th).map(at));
  if (s.env && fresh(s.env)) {
    if (s.env.tempC !== undefined && s.env.tempC > th.tempC) out.push(at({ severity: 'warning', key: 'tempHigh', params: { temp: round1(s.env.tempC) } }));
    if (s.env.humidityPct !== undefined && s.env.humidityPct > th.humidityPct) {
      out.push(at({ severity: 'warning', key: 'humidityHigh', params: { humidity: Math.round(s.env.humidityPct) } }));
    }
  }
  const spool = spoolCondition(s, now, th);
  if (spool) out.push(at(spool));
  return out;
}

/** The SFU nodes' conditions; `mainSite`/`backupSite` are the sites the nodes stand at. */
export function healthConditions(health: HealthReport | null, mainSite: string, backupSite: string): Condition[] {
  if (!health) return [];
  const out: Condition[] = [];
  const { sfu, sfuBackup } = health.components;
  if (sfu.state === 'down') out.push({ site: mainSite, severity: 'critical', key: 'sfuMainDown', params: { detail: sfu.detail } });
  if (sfuBackup.state === 'down') out.push({ site: backupSite, severity: 'major', key: 'sfuBackupDown', params: { detail: sfuBackup.detail } });
  return out;
}

export const isSfuMainDown = (health: HealthReport | null): boolean => health?.components.sfu.state === 'down';

const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, major: 1, warning: 2 };

/**
 * Open alerts over time: a condition seen again keeps the `since` it opened
 * with (unless the data tells an earlier start); one no longer seen is closed.
 */
export class AlertBook {
  #open = new Map<string, SiteAlert>();

  update(now: number, conditions: readonly Condition[]): SiteAlert[] {
    const next = new Map<string, SiteAlert>();
    for (const c of conditions) {
      const id = `${c.site}\u0000${c.key}`;
      const before = this.#open.get(id);
      const since = Math.min(c.since ?? Infinity, before?.since ?? Infinity, now);
      next.set(id, { site: c.site, severity: c.severity, key: c.key, params: c.params, since });
    }
    this.#open = next;
    return this.list();
  }

  /** Newest first; at the same moment the more severe first. */
  list(): SiteAlert[] {
    return [...this.#open.values()].sort(
      (a, b) => b.since - a.since || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.site.localeCompare(b.site),
    );
  }
}
