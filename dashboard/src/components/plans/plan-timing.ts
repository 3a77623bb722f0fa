// How the plan editor words a plan's timing, and reads its days field: a
// one-off meeting's start and end, or a rule's days, months, start and length.
import type { PlanTiming } from '@noc/shared/meeting-plans';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** "25" or "10, 20" → [25] / [10, 20]; null when a part is not a whole day 1–31. */
export function parseDays(text: string): number[] | null {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  const days = parts.map(Number);
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 31)) return null;
  return [...new Set(days)].sort((a, b) => a - b);
}

/** dd/mm/yyyy of a YYYY-MM-DD date. */
export const dayOf = (iso: string): string => iso.split('-').reverse().join('/');

export function timingText(timing: PlanTiming, t: Translate, fmt: { dateTime(ms: number): string; duration(s: number): string }): string {
  if (timing.type === 'once') return t('plans.onceValue', { from: fmt.dateTime(timing.start), to: fmt.dateTime(timing.end) });
  const months = timing.months === 'every' ? t('plans.everyMonth') : t('plans.monthsValue', { months: timing.months.join(', ') });
  const text = t('plans.recurringValue', {
    days: timing.days.join(', '),
    months,
    start: timing.startTime,
    duration: fmt.duration(timing.durationMinutes * 60),
  });
  const bounds = [
    timing.from ? t('plans.between', { from: dayOf(timing.from) }) : '',
    timing.until ? t('plans.until', { until: dayOf(timing.until) }) : '',
  ].filter(Boolean);
  return bounds.length ? `${text} (${bounds.join(' ')})` : text;
}
