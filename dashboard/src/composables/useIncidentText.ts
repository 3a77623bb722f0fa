// How an incident reads, on the wall and the desk pages alike: its rule's
// message filled with its figures (written as the interface's language writes
// numbers), the rule's name, and the labels of the figures its timeline carries.
import { useI18n } from 'vue-i18n';
import type { Incident, IncidentParams, RuleId } from '@noc/shared/incidents';
import { useFormat } from './useFormat.ts';

/** Decimals a figure is shown with: as many as it has, at most two. */
const decimalsOf = (v: number): number => (Number.isInteger(v) ? 0 : Math.min(2, String(v).split('.')[1]?.length ?? 0));

export function useIncidentText() {
  const { t, te } = useI18n();
  const fmt = useFormat();

  const figure = (v: number): string => fmt.number(v, decimalsOf(v));
  // A UPS may not say its charge or runtime: the message reads "—" there, not its placeholder.
  const filled = (params: IncidentParams): Record<string, string> => ({
    pct: t('common.none'),
    minutes: t('common.none'),
    status: '',
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? figure(v) : v])),
  });

  return {
    figure,
    /** "Mất gói 12,5 % trên đường truyền" */
    message: (i: Pick<Incident, 'rule' | 'params'>): string => t(`incident.rule.${i.rule}`, filled(i.params)),
    ruleName: (rule: RuleId): string => t(`incident.ruleName.${rule}`),
    /** The label of a figure of the evidence; an unknown one shows as it is named. */
    evidenceLabel: (key: string): string => (te(`incident.evidence.${key}`) ? t(`incident.evidence.${key}`) : key),
  };
}
