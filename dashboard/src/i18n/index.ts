// Vietnamese first; `?lang=en` (or the language switch, remembered in this
// browser) changes the interface to English.
import { createI18n } from 'vue-i18n';
import { deskPages } from './desk-pages.ts';
import { en } from './en.ts';
import { vi } from './vi.ts';

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const messagesVi = { ...vi, ...deskPages.vi };
export type Messages = typeof messagesVi;
const messagesEn: Messages = { ...en, ...deskPages.en };

const requested = new URLSearchParams(window.location.search).get('lang');

export const i18n = createI18n<[Messages], Locale>({
  legacy: false,
  locale: requested === 'en' ? 'en' : 'vi',
  fallbackLocale: 'vi',
  messages: { vi: messagesVi, en: messagesEn },
});
