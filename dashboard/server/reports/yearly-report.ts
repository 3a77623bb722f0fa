// The yearly report of each centre (Điều 11.4): per site, the meetings planned
// for it, held and attended, their hours, the availability of its link and
// power during the held meetings, its incidents by cause with the mean times
// to acknowledge and to resolve, and its readiness results; per month, the
// network's meetings planned and held.
import type { Incident, RuleId } from '@noc/shared/incidents';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import type { MonthTally, ReadinessTally, SiteYear, YearlyReport } from '@noc/shared/reports';
import { wallClock, zonedTime } from '@noc/shared/zoned-time';
import { addTally, availabilityOf, NO_MINUTES, readMeetingMinutes } from './meeting-minutes.ts';
import { heldMeetingOf } from './held-meeting.ts';
import type { ReportDeps } from './report-deps.ts';

const MINUTE = 60_000;
const HOUR = 3600_000;
const round1 = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: number[]) => (xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

/** The year's bounds in the time zone: [1 January 00:00, next 1 January 00:00). */
export function yearBounds(timeZone: string, year: number): { from: number; to: number } {
  return { from: zonedTime(timeZone, year, 1, 1, 0, 0), to: zonedTime(timeZone, year + 1, 1, 1, 0, 0) };
}

function incidentFigures(list: Incident[]): Pick<SiteYear, 'incidents' | 'mttaMinutes' | 'mttrMinutes'> {
  const byRule: Partial<Record<RuleId, number>> = {};
  for (const i of list) byRule[i.rule] = (byRule[i.rule] ?? 0) + 1;
  const acked = list.filter((i) => i.acknowledgedAt !== null).map((i) => (i.acknowledgedAt! - i.openedAt) / MINUTE);
  const resolved = list.filter((i) => i.resolvedAt !== null).map((i) => (i.resolvedAt! - i.openedAt) / MINUTE);
  return { incidents: { total: list.length, byRule }, mttaMinutes: mean(acked), mttrMinutes: mean(resolved) };
}

export async function buildYearlyReport(deps: ReportDeps, year: number): Promise<YearlyReport> {
  const timeZone = deps.plans.timeZone();
  const { from, to } = yearBounds(timeZone, year);
  // An occurrence belongs to the year it starts in.
  const occurrences = deps.plans.occurrences(from, to).filter((o) => o.start >= from && o.start < to);
  const held = occurrences.map((o) => heldMeetingOf(o, deps.history.overlapping(o.start, o.end)) !== null);
  const heldOccurrences = occurrences.filter((_, i) => held[i]);
  const minutes = await readMeetingMinutes(
    deps.store,
    heldOccurrences.map((o) => ({ from: o.start, to: o.end })),
  );

  const incidents = deps.incidents.openedBetween(from, to);
  const readiness = deps.readiness.between(from, to);

  const sites: SiteYear[] = [...deps.sites.keys()].map((site) => {
    const invited = (o: PlanOccurrence) => o.invitedSites.includes(site);
    let link = NO_MINUTES;
    let power = NO_MINUTES;
    let attended = 0;
    let attendedMinutes = 0;
    heldOccurrences.forEach((o, i) => {
      if (!invited(o)) return;
      const m = minutes[i]!.get(site);
      if (!m) return;
      link = addTally(link, m.link);
      power = addTally(power, m.power);
      if (m.attendedMinutes > 0) attended += 1;
      attendedMinutes += m.attendedMinutes;
    });
    const tally: ReadinessTally = { ready: 0, notReady: 0, notChecked: 0 };
    for (const r of readiness) {
      if (r.site !== site) continue;
      if (r.state === 'ready') tally.ready += 1;
      else if (r.state === 'not-ready') tally.notReady += 1;
      else tally.notChecked += 1;
    }
    return {
      site,
      planned: occurrences.filter(invited).length,
      held: heldOccurrences.filter(invited).length,
      attended,
      plannedHours: round1(occurrences.filter(invited).reduce((h, o) => h + (o.end - o.start) / HOUR, 0)),
      attendedHours: round1(attendedMinutes / 60),
      link: availabilityOf(link),
      power: availabilityOf(power),
      ...incidentFigures(incidents.filter((i) => i.site === site)),
      readiness: tally,
    };
  });

  const months: MonthTally[] = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, planned: 0, held: 0 }));
  occurrences.forEach((o, i) => {
    const m = months[wallClock(timeZone, o.start).month - 1]!;
    m.planned += 1;
    if (held[i]) m.held += 1;
  });

  return {
    year,
    from,
    to,
    timeZone,
    generatedAt: deps.now(),
    sites,
    months,
    meetings: { planned: occurrences.length, held: heldOccurrences.length },
  };
}
