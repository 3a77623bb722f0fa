// The forms' date-time value on Vietnam's clock (Asia/Ho_Chi_Minh), whatever
// the browser's time zone: "2025-11-29T14:05" ⇄ ms since the epoch.
import { wallClock, zonedTime } from '@noc/shared/zoned-time';
import { NOC_TIME_ZONE as TIME_ZONE } from '@noc/shared/zoned-time';

const two = (n: number): string => String(n).padStart(2, '0');

/** "2025-11-29T14:05" for a form; "" for nothing. */
export function toLocalInput(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const c = wallClock(TIME_ZONE, ms);
  return `${c.year}-${two(c.month)}-${two(c.day)}T${two(c.hour)}:${two(c.minute)}`;
}

/** The moment a form's value names on Vietnam's clock; null when it is empty or not a time. */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const at = zonedTime(TIME_ZONE, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isFinite(at) ? at : null;
}

/** The next whole `stepMinutes` after `ms`. */
export const nextStep = (ms: number, stepMinutes: number): number => Math.ceil(ms / (stepMinutes * 60_000)) * stepMinutes * 60_000;
