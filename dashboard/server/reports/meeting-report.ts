// The report of one meeting: a planned occurrence (by its key) or an SFU
// meeting (by its id). Who was invited and how many attendees were expected,
// who attended and for how long, each site's link and power availability and
// link quality during it, its readiness, and the incidents open during it.
import type { MeetingReport, MeetingSiteFigures } from '@noc/shared/reports';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { HttpError } from '../errors.ts';
import { heldMeetingOf } from './held-meeting.ts';
import type { HeldMeeting } from './meeting-history.ts';
import { availabilityOf, readMeetingMinutes } from './meeting-minutes.ts';
import type { ReportDeps } from './report-deps.ts';

const round1 = (n: number | undefined) => (n === undefined ? null : Math.round(n * 10) / 10);

export async function buildMeetingReport(deps: ReportDeps, ask: { occurrence?: string; meeting?: string }): Promise<MeetingReport> {
  let occurrence: PlanOccurrence | null = null;
  let held: HeldMeeting | null;
  if (ask.occurrence !== undefined) {
    occurrence = deps.plans.occurrence(ask.occurrence);
    if (!occurrence) throw new HttpError(404, `no planned meeting "${ask.occurrence}"`, 'occurrence');
    held = heldMeetingOf(occurrence, deps.history.overlapping(occurrence.start, occurrence.end));
  } else {
    held = deps.history.get(ask.meeting!);
    if (!held) throw new HttpError(404, `no meeting "${ask.meeting}" in the history of the SFU's meetings`, 'meeting');
    const end = held.endedAt ?? deps.now();
    const planned = deps.plans.occurrences(held.startedAt, end);
    const carried = [held];
    occurrence = planned.find((o) => heldMeetingOf(o, carried) !== null) ?? null;
  }
  // A plan's report covers its planned time; an SFU meeting without a plan, the time it was carried.
  const start = occurrence?.start ?? held!.startedAt;
  const end = occurrence?.end ?? held!.endedAt ?? deps.now();
  const invited = new Set(occurrence?.invitedSites ?? held!.invitedSites);

  const [minutes] = await readMeetingMinutes(deps.store, [{ from: start, to: end }]);
  const quality = await deps.store.aggregate({
    measurement: 'link',
    fields: ['rtt_ms', 'loss_pct', 'jitter_ms'],
    tags: { target: 'sfu' },
    from: start,
    to: end - 1,
    fn: 'mean',
    source: 'year',
  });
  const readiness = occurrence
    ? deps.readiness.between(occurrence.start - 3 * 86_400_000, occurrence.end).filter((r) => r.occurrence === occurrence.key)
    : [];

  const sites: MeetingSiteFigures[] = [...deps.sites.keys()]
    .filter((site) => invited.has(site) || (minutes!.get(site)?.attendedMinutes ?? 0) > 0)
    .map((site) => {
      const m = minutes!.get(site);
      return {
        site,
        invited: invited.has(site),
        expectedAttendees: occurrence?.attendees[site] ?? null,
        attended: (m?.attendedMinutes ?? 0) > 0,
        attendedMinutes: m?.attendedMinutes ?? 0,
        link: availabilityOf(m?.link),
        power: availabilityOf(m?.power),
        rttMs: round1(quality.rtt_ms?.[site]),
        lossPct: round1(quality.loss_pct?.[site]),
        jitterMs: round1(quality.jitter_ms?.[site]),
        readiness: readiness.find((r) => r.site === site)?.state ?? null,
      };
    });

  return {
    occurrence: occurrence?.key ?? null,
    meeting: held?.id ?? null,
    kind: occurrence?.kind ?? held?.kind ?? null,
    title: occurrence?.title ?? held!.title,
    chair: occurrence?.chair || null,
    officialLetter: occurrence?.officialLetter || null,
    start,
    end,
    held: held !== null,
    timeZone: deps.plans.timeZone(),
    generatedAt: deps.now(),
    sites,
    incidents: deps.incidents.openDuring(start, end).map((i) => ({
      id: i.id,
      site: i.site,
      rule: i.rule,
      severity: i.severity,
      openedAt: i.openedAt,
      acknowledgedAt: i.acknowledgedAt,
      resolvedAt: i.resolvedAt,
    })),
  };
}
