// The value of a `datetime-local` input on Vietnam's clock (Asia/Ho_Chi_Minh),
// whatever the browser's time zone: "2025-11-29T14:05" ⇄ ms since the epoch.
import { TIME_ZONE } from '../../composables/useLocaleFormat.ts';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function wallClock(ms: number): Record<string, string> {
  return Object.fromEntries(parts.formatToParts(ms).map((p) => [p.type, p.value]));
}

/** How far the zone's clock is ahead of UTC at `ms`. */
function offsetAt(ms: number): number {
  const c = wallClock(ms);
  const asUtc = Date.UTC(Number(c.year), Number(c.month) - 1, Number(c.day), Number(c.hour), Number(c.minute), Number(c.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** "2025-11-29T14:05" for the input; "" for nothing. */
export function toLocalInput(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const c = wallClock(ms);
  return `${c.year}-${c.month}-${c.day}T${c.hour}:${c.minute}`;
}

/** The moment an input's value names on Vietnam's clock; null when it is empty or not a time. */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (!Number.isFinite(asUtc)) return null;
  const guess = asUtc - offsetAt(asUtc);
  // Once more at the moment found, in case the zone's offset differs there.
  return asUtc - offsetAt(guess);
}

/** The next whole `stepMinutes` after `ms`. */
export const nextStep = (ms: number, stepMinutes: number): number => Math.ceil(ms / (stepMinutes * 60_000)) * stepMinutes * 60_000;
