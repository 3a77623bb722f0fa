// Vietnamese first; the language switch (remembered in this browser) or
// `?lang=en` / `?lang=vi` in the address (for this visit) changes it.
import { createI18n } from 'vue-i18n';
import { deskPages } from './desk-pages.ts';
import { en } from './en.ts';
import { incidentPages } from './incident-pages.ts';
import { vi } from './vi.ts';

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const messagesVi = { ...vi, ...deskPages.vi, ...incidentPages.vi };
export type Messages = typeof messagesVi;
const messagesEn: Messages = { ...en, ...deskPages.en, ...incidentPages.en };

const STORAGE_KEY = 'noc.locale';
const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

function remembered(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : null;
  } catch {
    return null; // storage blocked: Vietnamese
  }
}

const requested = new URLSearchParams(window.location.search).get('lang');
const initial: Locale = isLocale(requested) ? requested : (remembered() ?? 'vi');
document.documentElement.lang = initial;

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: initial,
  fallbackLocale: 'vi',
  messages: { vi: messagesVi, en: messagesEn },
});

/** The language switch: changes the interface now and remembers the choice in this browser. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}
