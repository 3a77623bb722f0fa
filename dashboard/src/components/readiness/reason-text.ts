// The words of a readiness reason: the readiness check's message for its code
// (`readiness.reason.*`) or the board's own (`checklists.reasons.*`), with its
// figures, a checklist item named in the regulation's words and a direction
// worded; the code itself when this interface has no words for it yet.
import type { Composer } from 'vue-i18n';
import type { ReadinessReason } from '@noc/shared/readiness';

export function reasonText(i18n: Pick<Composer, 't' | 'te'>, reason: ReadinessReason): string {
  const key = [`readiness.reason.${reason.code}`, `checklists.reasons.${reason.code}`].find((k) => i18n.te(k));
  if (!key) return reason.params ? `${reason.code} ${JSON.stringify(reason.params)}` : reason.code;
  const params: Record<string, string | number> = { note: '', ...reason.params };
  if (typeof params.item === 'string' && i18n.te(`checklists.items.${params.item}`))
    params.item = i18n.t(`checklists.items.${params.item}`);
  if (typeof params.direction === 'string' && i18n.te(`readiness.direction.${params.direction}`))
    params.direction = i18n.t(`readiness.direction.${params.direction}`);
  return i18n.t(key, params);
}
