// vue-i18n's number and date-time formats, by the Intl tag each language
// formats with (Vietnamese as vi-VN, English as en-GB: day before month, a
// 24-hour clock). Every date and time is on the NOC's clock (Asia/Ho_Chi_Minh,
// shared/src/zoned-time.ts), whatever the browser's time zone.
import type { IntlDateTimeFormats, IntlNumberFormats } from 'vue-i18n';
import { NOC_TIME_ZONE } from '@noc/shared/zoned-time';
import type { Locale } from './locales.ts';

/** The Intl tag of each interface language. */
export const FORMAT_TAGS = { vi: 'vi-VN', en: 'en-GB' } as const satisfies Record<Locale, string>;
export type FormatTag = (typeof FORMAT_TAGS)[Locale];

const zone = { timeZone: NOC_TIME_ZONE, hourCycle: 'h23' } as const;
const dateTime = {
  /** 14:05:09 */
  clock: { ...zone, hour: '2-digit', minute: '2-digit', second: '2-digit' },
  /** 14:05 */
  time: { ...zone, hour: '2-digit', minute: '2-digit' },
  /** 29/11/2025 */
  date: { ...zone, day: '2-digit', month: '2-digit', year: 'numeric' },
  /** 29/11 */
  day: { ...zone, day: '2-digit', month: '2-digit' },
  /** 29/11 14:05 */
  dayTime: { ...zone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' },
  /** 29/11/2025 14:05 */
  dateTime: { ...zone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  /** Thứ Bảy, 29/11/2025 */
  longDate: { ...zone, weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' },
  /** Th 7, 29/11 */
  shortDate: { ...zone, weekday: 'short', day: '2-digit', month: '2-digit' },
} as const;
export type DateTimeFormatName = keyof typeof dateTime;

const fixed = (digits: number) => ({ minimumFractionDigits: digits, maximumFractionDigits: digits });
const numbers = { fixed0: fixed(0), fixed1: fixed(1), fixed2: fixed(2), fixed3: fixed(3) } as const;
/** Most decimals a figure is shown with. */
export const MAX_DIGITS = 3;

export const datetimeFormats: IntlDateTimeFormats = { [FORMAT_TAGS.vi]: dateTime, [FORMAT_TAGS.en]: dateTime };
export const numberFormats: IntlNumberFormats = { [FORMAT_TAGS.vi]: numbers, [FORMAT_TAGS.en]: numbers };
