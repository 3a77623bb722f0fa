// Numbers, times and dates on the wall: Intl in the interface's language, always
// in the Sở's time zone (the wall may be driven by a PC set to anything).
import { useI18n } from 'vue-i18n';
import { NOC_TIME_ZONE } from '@noc/shared/zoned-time';

export const WALL_TIME_ZONE = NOC_TIME_ZONE;

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(tag: string, digits: number): Intl.NumberFormat {
  const key = `n:${tag}:${digits}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    cache.set(key, f);
  }
  return f;
}

function dateFormat(tag: string, name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d:${tag}:${name}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(tag, { timeZone: WALL_TIME_ZONE, hourCycle: 'h23', ...options });
    cache.set(key, f);
  }
  return f;
}

export function useWallFormat() {
  const { locale } = useI18n();
  const tag = (): string => (locale.value === 'vi' ? 'vi-VN' : 'en-GB');
  return {
    /** A figure with a fixed number of decimals; "—" when there is none. */
    num: (value: number | null | undefined, digits = 0): string =>
      value === null || value === undefined || !Number.isFinite(value) ? '—' : numberFormat(tag(), digits).format(value),
    /** 14:05:09 */
    clock: (at: number): string => dateFormat(tag(), 'clock', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at),
    /** 14:05 */
    time: (at: number): string => dateFormat(tag(), 'time', { hour: '2-digit', minute: '2-digit' }).format(at),
    /** Thứ Ba, 23/09/2025 */
    date: (at: number): string =>
      dateFormat(tag(), 'date', { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at),
    /** Thứ Năm 25/09 */
    shortDate: (at: number): string => dateFormat(tag(), 'short', { weekday: 'short', day: '2-digit', month: '2-digit' }).format(at),
  };
}
