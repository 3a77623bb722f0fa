// The words of the exported reports (CSV and PDF): the dashboard's Vietnamese
// messages, so a printed report says what the page says.
import type { Site } from '@noc/shared/sites';
import type { RuleId } from '@noc/shared/incidents';
import type { MeetingKind } from '@noc/shared/meeting';
import { wallClock } from '@noc/shared/zoned-time';
import viIncident from '../../src/i18n/vi/incident.ts';
import viMeeting from '../../src/i18n/vi/meeting.ts';
import viReports from '../../src/i18n/vi/reports.ts';

export const words = viReports.reports;

export const ruleName = (rule: RuleId): string => viIncident.incident.ruleName[rule] ?? rule;
export const kindName = (kind: MeetingKind | null): string => (kind ? (viMeeting.meeting.kinds[kind] ?? kind) : '');

/** A template's `{name}`s filled. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));

/** The site's name as the registry writes it (its id when unknown). */
export const siteNameOf =
  (sites: ReadonlyMap<string, Site>) =>
  (id: string): string =>
    sites.get(id)?.shortName ?? id;

const two = (n: number) => String(n).padStart(2, '0');

/** dd/mm/yyyy hh:mm on the zone's clock. */
export function dateTime(timeZone: string, at: number): string {
  const c = wallClock(timeZone, at);
  return `${two(c.day)}/${two(c.month)}/${c.year} ${two(c.hour)}:${two(c.minute)}`;
}
