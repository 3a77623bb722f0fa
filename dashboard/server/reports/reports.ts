// The server's reports: the yearly report of each centre, the report of one
// meeting, the meetings of a year to pick from, and their CSV and PDF files.
import type { MeetingReport, ReportFormat, ReportMeetingEntry, YearlyReport } from '@noc/shared/reports';
import { heldMeetingOf } from './held-meeting.ts';
import { buildMeetingReport } from './meeting-report.ts';
import { meetingCsv, yearlyCsv } from './report-csv.ts';
import type { ReportDeps } from './report-deps.ts';
import { meetingPdf, yearlyPdf } from './report-pdf.ts';
import { buildYearlyReport, yearBounds } from './yearly-report.ts';

export interface ReportFile {
  body: Buffer | string;
  contentType: string;
  fileName: string;
}

export class Reports {
  #deps: ReportDeps;

  constructor(deps: ReportDeps) {
    this.#deps = deps;
  }

  /** The history of the SFU's meetings (the meetings watch reports each new list to it). */
  get history(): ReportDeps['history'] {
    return this.#deps.history;
  }

  yearly(year: number): Promise<YearlyReport> {
    return buildYearlyReport(this.#deps, year);
  }

  meeting(ask: { occurrence?: string | undefined; meeting?: string | undefined }): Promise<MeetingReport> {
    return buildMeetingReport(this.#deps, {
      ...(ask.occurrence !== undefined ? { occurrence: ask.occurrence } : {}),
      ...(ask.meeting !== undefined ? { meeting: ask.meeting } : {}),
    });
  }

  /** The year's planned meetings (held or not) and the SFU meetings no plan accounts for, by start. */
  meetings(year: number): ReportMeetingEntry[] {
    const { from, to } = yearBounds(this.#deps.plans.timeZone(), year);
    const carried = this.#deps.history.overlapping(from, to);
    const used = new Set<string>();
    const out: ReportMeetingEntry[] = this.#deps.plans
      .occurrences(from, to)
      .filter((o) => o.start >= from)
      .map((o) => {
        const held = heldMeetingOf(o, carried);
        if (held) used.add(held.id);
        return {
          occurrence: o.key,
          meeting: held?.id ?? null,
          kind: o.kind,
          title: o.title,
          start: o.start,
          end: o.end,
          held: held !== null,
        };
      });
    for (const m of carried) {
      if (used.has(m.id) || m.startedAt < from) continue;
      out.push({
        occurrence: null,
        meeting: m.id,
        kind: m.kind,
        title: m.title,
        start: m.startedAt,
        end: m.endedAt ?? this.#deps.now(),
        held: true,
      });
    }
    return out.sort((a, b) => a.start - b.start);
  }

  async yearlyFile(year: number, format: ReportFormat): Promise<ReportFile> {
    const report = await this.yearly(year);
    const name = `bao-cao-nam-${year}`;
    return format === 'csv'
      ? { body: yearlyCsv(report, this.#deps.sites), contentType: 'text/csv; charset=utf-8', fileName: `${name}.csv` }
      : { body: await yearlyPdf(report, this.#deps.sites), contentType: 'application/pdf', fileName: `${name}.pdf` };
  }

  async meetingFile(ask: { occurrence?: string | undefined; meeting?: string | undefined }, format: ReportFormat): Promise<ReportFile> {
    const report = await this.meeting(ask);
    const id = (report.occurrence ?? report.meeting ?? 'phien-hop').replace(/[^A-Za-z0-9_-]+/g, '-');
    const name = `bao-cao-phien-hop-${id}`;
    return format === 'csv'
      ? { body: meetingCsv(report, this.#deps.sites), contentType: 'text/csv; charset=utf-8', fileName: `${name}.csv` }
      : { body: await meetingPdf(report, this.#deps.sites), contentType: 'application/pdf', fileName: `${name}.pdf` };
  }
}
