// The incident rules' settings (data/incident-rules.json, editable by admins
// from the dashboard): per rule whether it runs, its severity, how long its
// condition must hold (`forSeconds`) and how long its recovery condition must
// hold (`recoverForSeconds`), and its thresholds; plus how soon a returning
// cause reopens its incident and when an unacknowledged critical one escalates.
// A bad file or edit is refused naming the field (`rules.lossHigh.threshold: …`).
import { z } from 'zod';
import { parseJsonWith } from './format-path.ts';
import { SEVERITIES, type RuleId } from './incidents.ts';

const seconds = (max: number) => z.number().min(0, 'must not be negative').max(max, `must be at most ${max} s`);

const base = {
  enabled: z.boolean(),
  severity: z.enum(SEVERITIES),
  forSeconds: seconds(3600),
  recoverForSeconds: seconds(3600),
};

/** A figure that fires above `threshold` and recovers below `recoverBelow` (a gap between the two stops flapping). */
const above = (max: number) =>
  z
    .strictObject({ ...base, threshold: z.number().min(0).max(max), recoverBelow: z.number().min(0).max(max) })
    .refine((r) => r.recoverBelow <= r.threshold, { path: ['recoverBelow'], message: 'must not be above threshold' });

export const ruleSettingsSchemas = {
  siteOffline: z.strictObject({ ...base, silentSeconds: z.number().min(2, 'must be at least 2 s').max(3600) }),
  lossHigh: z
    .strictObject({
      ...base,
      threshold: z.number().min(0).max(100),
      /** At or above this loss the incident is major. */
      majorThreshold: z.number().min(0).max(100),
      recoverBelow: z.number().min(0).max(100),
    })
    .refine((r) => r.recoverBelow <= r.threshold, { path: ['recoverBelow'], message: 'must not be above threshold' })
    .refine((r) => r.majorThreshold >= r.threshold, { path: ['majorThreshold'], message: 'must not be below threshold' }),
  rttHigh: above(10_000),
  jitterHigh: above(10_000),
  mosLow: z
    .strictObject({ ...base, threshold: z.number().min(1).max(5), recoverAbove: z.number().min(1).max(5) })
    .refine((r) => r.recoverAbove >= r.threshold, { path: ['recoverAbove'], message: 'must not be below threshold' }),
  videoFrozen: z.strictObject({ ...base, minFps: z.number().min(0).max(120) }),
  onBattery: z.strictObject(base),
  batteryLow: z.strictObject({
    ...base,
    minBatteryPct: z.number().min(0).max(100),
    minRuntimeSeconds: z.number().min(0).max(86_400),
    /** Minutes a meeting is taken to last when neither it nor the schedule says when it ends. */
    defaultMeetingMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
  upsLost: z.strictObject(base),
  tempHigh: above(100),
  humidityHigh: above(100),
  spoolGrowing: z.strictObject({ ...base, minDepth: z.number().int().min(1).max(1_000_000), windowSeconds: seconds(600).min(5) }),
  sfuMainDown: z.strictObject(base),
  sfuBackupDown: z.strictObject(base),
  micWithoutFloor: z.strictObject(base),
  dialOutsidePolicy: z.strictObject(base),
  uninvitedJoin: z.strictObject(base),
  /**
   * A capacity test that did not hold within `daysBefore` days of a scheduled tập huấn. Settings
   * saved before the rule existed get its defaults.
   */
  loadTestFailed: z
    .strictObject({ ...base, daysBefore: z.number().int().min(1, 'must be at least 1 day').max(60, 'must be at most 60 days') })
    .default({ enabled: true, severity: 'major', forSeconds: 0, recoverForSeconds: 0, daysBefore: 14 }),
  // ---- Readiness before a meeting (Điều 8.2) ----
  /** A site the readiness check found not ready for a meeting not over yet. Settings saved before the rule existed get its defaults. */
  notReady: z.strictObject(base).default({ enabled: true, severity: 'major', forSeconds: 0, recoverForSeconds: 0 }),
} satisfies Record<RuleId, z.ZodType>;

export type RuleSettingsMap = { [K in RuleId]: z.infer<(typeof ruleSettingsSchemas)[K]> };
export type BaseRuleSettings = { enabled: boolean; severity: (typeof SEVERITIES)[number]; forSeconds: number; recoverForSeconds: number };

export const incidentRulesSchema = z.strictObject({
  /** A cause that returns within this many minutes of its automatic resolution reopens the same incident. */
  reopenWithinMinutes: z
    .number()
    .min(0)
    .max(7 * 24 * 60),
  /** A critical incident not acknowledged this many minutes after it opened goes to the escalation webhooks. */
  escalateAfterMinutes: z
    .number()
    .min(1)
    .max(24 * 60),
  rules: z.strictObject(ruleSettingsSchemas),
});
export type IncidentRules = z.infer<typeof incidentRulesSchema>;

export class RulesError extends Error {
  readonly field: string;

  constructor(field: string, detail: string, where = '') {
    super(`${where ? `${where}: ` : ''}${field ? `${field}: ` : ''}${detail}`);
    this.name = 'RulesError';
    this.field = field;
  }
}

/** Validates rule settings given as JSON text or as a parsed value; `where` labels the errors (a file name). */
export function parseIncidentRules(input: unknown, where = ''): IncidentRules {
  return parseJsonWith(incidentRulesSchema, input, (field, detail) => new RulesError(field, detail, where));
}
