// Times of day as the interface's language writes them (24-hour clock).
import { useI18n } from 'vue-i18n';

export function useTimeFormat() {
  const { locale } = useI18n();
  const tag = (): string => (locale.value === 'vi' ? 'vi-VN' : 'en-GB');
  return {
    /** 14:05, or 14:05:09 with seconds. */
    time: (at: number, seconds = false): string =>
      new Date(at).toLocaleTimeString(tag(), {
        hour: '2-digit',
        minute: '2-digit',
        ...(seconds ? { second: '2-digit' } : {}),
        hour12: false,
      }),
    /** 29/11, 14:05 */
    dayTime: (at: number): string =>
      new Date(at).toLocaleString(tag(), { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }),
  };
}
