// The NOC dashboard's thresholds and colours as Grafana thresholds and value
// mappings: the loss bands of the quality grade (shared/src/quality.ts), the
// incident rules' default thresholds coloured by their severity
// (shared/data/incident-rules.json), the capacity tests' default thresholds
// (shared/src/load-test.ts), the wall's palette (shared/src/palette.ts) and the
// dashboard's Vietnamese words for a grade and the power state.
import { MappingType, type Threshold, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import rulesFile from '@noc/shared/data/incident-rules.json' with { type: 'json' };
import { parseIncidentRules } from '@noc/shared/incident-rules';
import { DEFAULT_LOAD_TEST_THRESHOLDS } from '@noc/shared/load-test';
import { GRADE_COLOURS, SEVERITY_COLOURS } from '@noc/shared/palette';
import { GRADES, LOSS_GRADE_FROM, type Grade } from '@noc/shared/quality';
import viGrade from '../../dashboard/src/i18n/vi/grade.ts';
import viIncident from '../../dashboard/src/i18n/vi/incident.ts';
import viSite from '../../dashboard/src/i18n/vi/site.ts';

export const RULES = parseIncidentRules(rulesFile, 'shared/data/incident-rules.json').rules;
export const LOAD_TEST = DEFAULT_LOAD_TEST_THRESHOLDS;

const GOOD = GRADE_COLOURS.good;

/** Loss (%): the quality grade's bands, each in its grade's colour. */
export const lossSteps = (): Threshold[] => [
  { value: null, color: GRADE_COLOURS.good },
  { value: LOSS_GRADE_FROM.ok, color: GRADE_COLOURS.ok },
  { value: LOSS_GRADE_FROM.bad, color: GRADE_COLOURS.bad },
  { value: LOSS_GRADE_FROM.terrible, color: GRADE_COLOURS.terrible },
];

type AboveRule = 'rttHigh' | 'jitterHigh' | 'tempHigh' | 'humidityHigh';

/** A figure an incident rule raises above its threshold: good below, the rule's severity from there. */
export const aboveRuleSteps = (rule: AboveRule): Threshold[] => [
  { value: null, color: GOOD },
  { value: RULES[rule].threshold, color: SEVERITY_COLOURS[RULES[rule].severity] },
];

/** MOS: below the `mosLow` rule's threshold in its severity's colour. */
export const mosSteps = (): Threshold[] => [
  { value: null, color: SEVERITY_COLOURS[RULES.mosLow.severity] },
  { value: RULES.mosLow.threshold, color: GOOD },
];

/** Battery (%): below the `batteryLow` rule's minimum in its severity's colour. */
export const batterySteps = (): Threshold[] => [
  { value: null, color: SEVERITY_COLOURS[RULES.batteryLow.severity] },
  { value: RULES.batteryLow.minBatteryPct, color: GOOD },
];

/** UPS runtime (s): shorter than the `batteryLow` rule's minimum in its severity's colour. */
export const runtimeSteps = (): Threshold[] => [
  { value: null, color: SEVERITY_COLOURS[RULES.batteryLow.severity] },
  { value: RULES.batteryLow.minRuntimeSeconds, color: GOOD },
];

/** Video frame rate: under the `videoFrozen` rule's minimum in its severity's colour. */
export const fpsSteps = (): Threshold[] => [
  { value: null, color: SEVERITY_COLOURS[RULES.videoFrozen.severity] },
  { value: RULES.videoFrozen.minFps, color: GOOD },
];

/** A capacity-test figure that fails its check above a limit (worker CPU, join p95, loss, freezes). */
export const capacityAboveSteps = (limit: number): Threshold[] => [
  { value: null, color: GOOD },
  { value: limit, color: SEVERITY_COLOURS[RULES.loadTestFailed.severity] },
];

/** A capacity-test figure that fails its check below a limit (the browsers' frame rate). */
export const capacityBelowSteps = (limit: number): Threshold[] => [
  { value: null, color: SEVERITY_COLOURS[RULES.loadTestFailed.severity] },
  { value: limit, color: GOOD },
];

/** 3 for good … 0 for terrible, as the `quality` measurement's grade_level holds it. */
export const gradeLevel = (grade: Grade): number => GRADES.length - 1 - GRADES.indexOf(grade);

/** grade_level and grade as the wall shows them: the Vietnamese word on the grade's colour. */
export function gradeMappings(): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  GRADES.forEach((grade, index) => {
    const shown = { text: viGrade.grade[grade], color: GRADE_COLOURS[grade], index };
    options[String(gradeLevel(grade))] = shown;
    options[grade] = shown;
  });
  return [{ type: MappingType.ValueToText, options }];
}

/** on_mains: mains in the good colour; on battery in the `onBattery` rule's severity's colour. */
export function mainsMappings(): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: {
        true: { text: viSite.site.mains, color: GOOD, index: 0 },
        false: { text: viIncident.incident.ruleName.onBattery, color: SEVERITY_COLOURS[RULES.onBattery.severity], index: 1 },
      },
    },
  ];
}
