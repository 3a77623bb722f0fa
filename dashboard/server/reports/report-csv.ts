// The reports as CSV (RFC 4180: a header row, fields quoted when they hold a
// comma, a quote or a line break, lines ended by CRLF), UTF-8 with a byte order
// mark so that Excel reads the Vietnamese letters.
import { RULE_IDS, type RuleId } from '@noc/shared/incidents';
import type { MeetingReport, YearlyReport } from '@noc/shared/reports';
import type { Site } from '@noc/shared/sites';
import { dateTime, ruleName, siteNameOf, words } from './report-words.ts';

const BOM = '\uFEFF';

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: (string | number | null)[][]): string {
  return BOM + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** One row per site; a column per kind of incident that happened in the year. */
export function yearlyCsv(report: YearlyReport, sites: ReadonlyMap<string, Site>): string {
  const name = siteNameOf(sites);
  const rules = RULE_IDS.filter((r: RuleId) => report.sites.some((s) => (s.incidents.byRule[r] ?? 0) > 0));
  const header = [
    words.site,
    'id',
    words.planned,
    words.held,
    words.attended,
    words.plannedHours,
    words.attendedHours,
    words.link,
    words.power,
    words.incidents,
    ...rules.map(ruleName),
    words.mtta,
    words.mttr,
    words.ready,
    words.notReady,
    words.notChecked,
  ];
  const rows = report.sites.map((s) => [
    name(s.site),
    s.site,
    s.planned,
    s.held,
    s.attended,
    s.plannedHours,
    s.attendedHours,
    s.link.pct,
    s.power.pct,
    s.incidents.total,
    ...rules.map((r) => s.incidents.byRule[r] ?? 0),
    s.mttaMinutes,
    s.mttrMinutes,
    s.readiness.ready,
    s.readiness.notReady,
    s.readiness.notChecked,
  ]);
  return toCsv([header, ...rows]);
}

/** One row per site invited or present, with the meeting's title and time on each row. */
export function meetingCsv(report: MeetingReport, sites: ReadonlyMap<string, Site>): string {
  const name = siteNameOf(sites);
  const header = [
    words.occurrence,
    words.time,
    words.site,
    'id',
    words.invited,
    words.expected,
    words.attended,
    words.attendedMinutes,
    words.link,
    words.power,
    words.rtt,
    words.loss,
    words.jitter,
    words.readiness,
    words.incidents,
  ];
  const when = `${dateTime(report.timeZone, report.start)}–${dateTime(report.timeZone, report.end)}`;
  const rows = report.sites.map((s) => [
    report.title,
    when,
    name(s.site),
    s.site,
    s.invited ? words.yes : words.no,
    s.expectedAttendees,
    s.attended ? words.yes : words.no,
    s.attendedMinutes,
    s.link.pct,
    s.power.pct,
    s.rttMs,
    s.lossPct,
    s.jitterMs,
    s.readiness === null ? null : { ready: words.ready, 'not-ready': words.notReady, 'not-checked': words.notChecked }[s.readiness],
    report.incidents.filter((i) => i.site === s.site).length,
  ]);
  return toCsv([header, ...rows]);
}
