// The words of a readiness reason: its code's message with its figures (an
// item named in the regulation's words), or the code itself when this
// interface has no words for it yet.
import type { Composer } from 'vue-i18n';
import type { ReadinessReason } from '@noc/shared/readiness';

export function reasonText(i18n: Pick<Composer, 't' | 'te'>, reason: ReadinessReason): string {
  const key = `readiness.reasons.${reason.code}`;
  if (!i18n.te(key)) return reason.params ? `${reason.code} ${JSON.stringify(reason.params)}` : reason.code;
  const params: Record<string, string | number> = { ...reason.params };
  if (typeof params.item === 'string' && i18n.te(`readiness.items.${params.item}`)) params.item = i18n.t(`readiness.items.${params.item}`);
  return i18n.t(key, params);
}
