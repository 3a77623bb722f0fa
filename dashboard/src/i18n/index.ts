// Vietnamese first; `?lang=en` switches a screen to English.
import { createI18n } from 'vue-i18n';
import { en } from './en.ts';
import { vi, type Messages } from './vi.ts';

const requested = new URLSearchParams(window.location.search).get('lang');

export const i18n = createI18n<[Messages], 'vi' | 'en'>({
  legacy: false,
  locale: requested === 'en' ? 'en' : 'vi',
  fallbackLocale: 'vi',
  messages: { vi, en },
});
