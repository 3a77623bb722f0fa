// Numbers, dates and durations in the interface's language, always on
// Vietnam's clock (Asia/Ho_Chi_Minh) whatever the browser's time zone.
import { useI18n } from 'vue-i18n';
import { NOC_TIME_ZONE } from '@noc/shared/zoned-time';

export const TIME_ZONE = NOC_TIME_ZONE;

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (!f) cache.set(key, (f = make()));
  return f as T;
}

export function useLocaleFormat() {
  const { locale, t } = useI18n();
  const tag = (): string => (locale.value === 'en' ? 'en-GB' : 'vi-VN');
  const dateFmt = (name: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
    cached(`${tag()}|${name}`, () => new Intl.DateTimeFormat(tag(), { timeZone: TIME_ZONE, hour12: false, ...opts }));

  return {
    /** 1.234,5 (vi) / 1,234.5 (en); "—" for nothing. */
    number(value: number | null | undefined, digits = 0): string {
      if (value === null || value === undefined || !Number.isFinite(value)) return t('common.none');
      return cached(
        `${tag()}|n${digits}`,
        () => new Intl.NumberFormat(tag(), { minimumFractionDigits: digits, maximumFractionDigits: digits }),
      ).format(value);
    },
    /** 29/11/2025, 14:05 */
    dateTime(ms: number | null | undefined): string {
      if (ms === null || ms === undefined) return t('common.none');
      return dateFmt('dt', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);
    },
    /** 14:05:09 */
    time(ms: number, seconds = true): string {
      return dateFmt(seconds ? 'ts' : 'tm', { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) }).format(ms);
    },
    /** 29/11 14:05 (chart axes over days) */
    dayTime(ms: number): string {
      return dateFmt('dd', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(ms);
    },
    /** 29/11/2025 */
    date(ms: number): string {
      return dateFmt('date', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(ms);
    },
    /** 29/11 */
    day(ms: number): string {
      return dateFmt('d', { day: '2-digit', month: '2-digit' }).format(ms);
    },
    /** 3 ngày 4 giờ / 5 phút 12 giây: the two largest units. */
    duration(seconds: number | null | undefined): string {
      if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return t('common.none');
      const s = Math.max(0, Math.floor(seconds));
      const parts: [string, number][] = [
        ['d', Math.floor(s / 86_400)],
        ['h', Math.floor((s % 86_400) / 3600)],
        ['m', Math.floor((s % 3600) / 60)],
        ['s', s % 60],
      ];
      const first = parts.findIndex(([, n]) => n > 0);
      if (first === -1) return t('sitePage.duration.s', { n: 0 });
      return parts
        .slice(first, first + 2)
        .filter(([, n]) => n > 0)
        .map(([unit, n]) => t(`sitePage.duration.${unit}`, { n }))
        .join(' ');
    },
  };
}
