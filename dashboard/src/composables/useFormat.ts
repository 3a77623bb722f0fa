// Numbers, times, dates and durations in the interface's language, through
// vue-i18n's n() and d() and the formats of i18n/formats.ts: every time on the
// NOC's clock (Asia/Ho_Chi_Minh), whatever the browser's time zone.
import { useI18n } from 'vue-i18n';
import { FORMAT_TAGS, MAX_DIGITS, type DateTimeFormatName, type FormatTag } from '../i18n/formats.ts';

type Moment = number | null | undefined;

export function useFormat() {
  const { locale, t, n, d } = useI18n();
  const tag = (): FormatTag => (locale.value === 'en' ? FORMAT_TAGS.en : FORMAT_TAGS.vi);
  const none = (): string => t('common.none');
  const date =
    (name: DateTimeFormatName) =>
    (ms: Moment): string =>
      ms === null || ms === undefined || !Number.isFinite(ms) ? none() : d(ms, name, tag());

  return {
    /** 1.234,5 (vi) / 1,234.5 (en) with `digits` decimals (0 to 3); "—" for nothing. */
    number(value: number | null | undefined, digits = 0): string {
      if (value === null || value === undefined || !Number.isFinite(value)) return none();
      if (!Number.isInteger(digits) || digits < 0 || digits > MAX_DIGITS)
        throw new RangeError(`digits must be 0 to ${MAX_DIGITS}, not ${digits}`);
      return n(value, `fixed${digits}`, tag());
    },
    /** 14:05:09 */
    clock: date('clock'),
    /** 14:05 */
    time: date('time'),
    /** 29/11/2025 */
    date: date('date'),
    /** 29/11 */
    day: date('day'),
    /** 29/11 14:05 */
    dayTime: date('dayTime'),
    /** 29/11/2025 14:05 */
    dateTime: date('dateTime'),
    /** Thứ Bảy, 29/11/2025 */
    longDate: date('longDate'),
    /** Th 7, 29/11 */
    shortDate: date('shortDate'),
    /** 3 ngày 4 giờ / 5 phút 12 giây: the two largest units. */
    duration(seconds: number | null | undefined): string {
      if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return none();
      const s = Math.max(0, Math.floor(seconds));
      const parts: [string, number][] = [
        ['d', Math.floor(s / 86_400)],
        ['h', Math.floor((s % 86_400) / 3600)],
        ['m', Math.floor((s % 3600) / 60)],
        ['s', s % 60],
      ];
      const first = parts.findIndex(([, count]) => count > 0);
      if (first === -1) return t('sitePage.duration.s', { n: 0 });
      return parts
        .slice(first, first + 2)
        .filter(([, count]) => count > 0)
        .map(([unit, count]) => t(`sitePage.duration.${unit}`, { n: count }))
        .join(' ');
    },
  };
}
