// Vietnamese first; the language switch (remembered in this browser) or
// `?lang=en` / `?lang=vi` in the address (for this visit) changes it. The
// messages: one folder per language, one file per feature's namespace
// (vi/<feature>.ts, en/<feature>.ts with exactly the Vietnamese keys), joined
// by mergeMessages, under which a key defined twice fails the type check.
import { createI18n } from 'vue-i18n';
import { datetimeFormats, numberFormats } from './formats.ts';
import { mergeMessages } from './merge.ts';
import viWall from './vi/wall.ts';
import viSite from './vi/site.ts';
import viGrade from './vi/grade.ts';
import viDesk from './vi/desk.ts';
import viMeeting from './vi/meeting.ts';
import viRoom from './vi/room.ts';
import viControl from './vi/control.ts';
import viChat from './vi/chat.ts';
import viStats from './vi/stats.ts';
import viErrors from './vi/errors.ts';
import viAccount from './vi/account.ts';
import viNav from './vi/nav.ts';
import viSignin from './vi/signin.ts';
import viAccess from './vi/access.ts';
import viCommon from './vi/common.ts';
import viAdmin from './vi/admin.ts';
import viSitePage from './vi/sitePage.ts';
import viIncident from './vi/incident.ts';
import viMaintenance from './vi/maintenance.ts';
import viRules from './vi/rules.ts';
import viWebhooks from './vi/webhooks.ts';
import viLoadTest from './vi/loadTest.ts';
import viReplay from './vi/replay.ts';
// ---- Meeting plans (Điều 7) ----
import viPlans from './vi/plans.ts';
// ---- Readiness before a meeting (Điều 8.2) ----
import viReadiness from './vi/readiness.ts';
// --- checklists
import viChecklists from './vi/checklists.ts';
import viReports from './vi/reports.ts';
import enWall from './en/wall.ts';
import enSite from './en/site.ts';
import enGrade from './en/grade.ts';
import enDesk from './en/desk.ts';
import enMeeting from './en/meeting.ts';
import enRoom from './en/room.ts';
import enControl from './en/control.ts';
import enChat from './en/chat.ts';
import enStats from './en/stats.ts';
import enErrors from './en/errors.ts';
import enAccount from './en/account.ts';
import enNav from './en/nav.ts';
import enSignin from './en/signin.ts';
import enAccess from './en/access.ts';
import enCommon from './en/common.ts';
import enAdmin from './en/admin.ts';
import enSitePage from './en/sitePage.ts';
import enIncident from './en/incident.ts';
import enMaintenance from './en/maintenance.ts';
import enRules from './en/rules.ts';
import enWebhooks from './en/webhooks.ts';
import enLoadTest from './en/loadTest.ts';
import enReplay from './en/replay.ts';
// ---- E-mail, the directory, the audit log ----
import viDirectory from './vi/directory.ts';
import viAudit from './vi/audit.ts';
import viMail from './vi/mail.ts';
import enDirectory from './en/directory.ts';
import enAudit from './en/audit.ts';
import enMail from './en/mail.ts';
// ---- Meeting plans (Điều 7) ----
import enPlans from './en/plans.ts';
// ---- Readiness before a meeting (Điều 8.2) ----
import enReadiness from './en/readiness.ts';
// --- checklists
import enChecklists from './en/checklists.ts';
import enReports from './en/reports.ts';

import { LOCALES, type Locale } from './locales.ts';

export { LOCALES, type Locale };

const messagesVi = mergeMessages(
  viWall,
  viSite,
  viGrade,
  viDesk,
  viMeeting,
  viRoom,
  viControl,
  viChat,
  viStats,
  viErrors,
  viAccount,
  viNav,
  viSignin,
  viAccess,
  viCommon,
  viAdmin,
  viSitePage,
  viIncident,
  viMaintenance,
  viRules,
  viWebhooks,
  viLoadTest,
  viReplay,
  // ---- E-mail, the directory, the audit log ----
  viDirectory,
  viAudit,
  viMail,
  // ---- Meeting plans (Điều 7) ----
  viPlans,
  // ---- Readiness before a meeting (Điều 8.2) ----
  viReadiness,
  // --- checklists
  viChecklists,
  viReports,
);
export type Messages = typeof messagesVi;
const messagesEn: Messages = mergeMessages(
  enWall,
  enSite,
  enGrade,
  enDesk,
  enMeeting,
  enRoom,
  enControl,
  enChat,
  enStats,
  enErrors,
  enAccount,
  enNav,
  enSignin,
  enAccess,
  enCommon,
  enAdmin,
  enSitePage,
  enIncident,
  enMaintenance,
  enRules,
  enWebhooks,
  enLoadTest,
  enReplay,
  // ---- E-mail, the directory, the audit log ----
  enDirectory,
  enAudit,
  enMail,
  // ---- Meeting plans (Điều 7) ----
  enPlans,
  // ---- Readiness before a meeting (Điều 8.2) ----
  enReadiness,
  // --- checklists
  enChecklists,
  enReports,
);

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
  // Keyed by the Intl tag each language formats with (formats.ts), which vue-i18n's
  // typing (keys of the interface's locales) does not describe; useFormat passes the tag.
  datetimeFormats: datetimeFormats as never,
  numberFormats: numberFormats as never,
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
