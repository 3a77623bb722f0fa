// How the rules' settings are laid out on the page: the common fields of every
// rule first, then its own thresholds in the order the settings file has
// them; and the unit each figure is given in.
import type { RuleId } from '@noc/shared/incidents';

export const BASE_FIELDS = ['enabled', 'severity', 'forSeconds', 'recoverForSeconds'] as const;

/** Keys of `rules.unit`. */
export type Unit = 's' | 'min' | 'ms' | 'pct' | 'celsius' | 'fps' | 'samples' | 'mos' | 'days';

const BY_FIELD: Partial<Record<string, Unit>> = {
  forSeconds: 's',
  recoverForSeconds: 's',
  silentSeconds: 's',
  minRuntimeSeconds: 's',
  windowSeconds: 's',
  defaultMeetingMinutes: 'min',
  reopenWithinMinutes: 'min',
  escalateAfterMinutes: 'min',
  minFps: 'fps',
  minBatteryPct: 'pct',
  minDepth: 'samples',
  daysBefore: 'days',
};

/** The unit of a rule's thresholds (threshold, majorThreshold, recoverBelow/Above). */
const THRESHOLD_UNIT: Partial<Record<RuleId, Unit>> = {
  lossHigh: 'pct',
  rttHigh: 'ms',
  jitterHigh: 'ms',
  mosLow: 'mos',
  tempHigh: 'celsius',
  humidityHigh: 'pct',
};

export function unitOf(rule: RuleId | null, field: string): Unit | null {
  const byField = BY_FIELD[field];
  if (byField) return byField;
  if (rule && /^(threshold|majorThreshold|recoverBelow|recoverAbove)$/.test(field)) return THRESHOLD_UNIT[rule] ?? null;
  return null;
}

/** A rule's fields in page order. */
export function fieldsOf(settings: Record<string, unknown>): string[] {
  const own = Object.keys(settings).filter((k) => !(BASE_FIELDS as readonly string[]).includes(k));
  return [...BASE_FIELDS.filter((k) => k in settings), ...own];
}
