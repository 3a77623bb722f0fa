// The reports as PDF (A4 landscape) with pdfkit: DejaVu Sans embedded, so the
// Vietnamese letters print as they are written; the yearly report's charts
// drawn from their SVG (svg-to-pdfkit), then its tables.
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { RULE_IDS } from '@noc/shared/incidents';
import type { MeetingReport, YearlyReport } from '@noc/shared/reports';
import type { Site } from '@noc/shared/sites';
import { availabilityChartOption, meetingsChartOption } from '../../src/charts/report-options.ts';
import { chartSvg } from './report-charts.ts';
import { dateTime, fill, kindName, ruleName, siteNameOf, words } from './report-words.ts';

/** How much larger than their place on the page the charts are drawn. */
const CHART_SCALE = 1.6;

/** Debian's fonts-dejavu-core: a TrueType font with every Vietnamese letter. */
export const REPORT_FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};

const MARGIN = 36;
const TEXT = '#1e293b';
const MUTED = '#5b6577';
const RULE = '#d5dbe4';
const HEAD_BG = '#eef1f5';

type Doc = PDFKit.PDFDocument;
type Cell = string | number | null;

function newDoc(title: string): Doc {
  for (const file of Object.values(REPORT_FONTS)) {
    if (!existsSync(file)) throw new Error(`the report font ${file} is missing: install the Debian package fonts-dejavu-core`);
  }
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: MARGIN, info: { Title: title, Author: 'NOC phòng trực tuyến' } });
  doc.registerFont('body', REPORT_FONTS.regular);
  doc.registerFont('bold', REPORT_FONTS.bold);
  doc.font('body').fillColor(TEXT);
  return doc;
}

function finish(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.end();
  return done;
}

const show = (v: Cell) => (v === null ? '–' : String(v));

/** A table with a shaded header row, columns of the given relative widths; breaks onto new pages. Numbers are numbers, not text. */
function table(doc: Doc, header: string[], rows: Cell[][], weights: number[], size = 8): void {
  const width = doc.page.width - 2 * MARGIN;
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * width);
  const pad = 3;
  // Figures to the right, words to the left.
  const aligns = widths.map((_, i) => (rows.some((r) => typeof r[i] === 'number') ? 'right' : 'left'));
  const rowHeight = (cells: Cell[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(show(c), { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const draw = (cells: Cell[], font: string, shade: boolean) => {
    const h = rowHeight(cells, font);
    if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
    const y = doc.y;
    if (shade) doc.rect(MARGIN, y, width, h).fill(HEAD_BG);
    let x = MARGIN;
    doc.font(font).fontSize(size).fillColor(TEXT);
    cells.forEach((c, i) => {
      doc.text(show(c), x + pad, y + pad, { width: widths[i]! - 2 * pad, align: aligns[i] });
      x += widths[i]!;
    });
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + width, y + h)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };
  draw(header, 'bold', true);
  for (const r of rows) draw(r, 'body', false);
  doc.moveDown(0.8);
}

function heading(doc: Doc, title: string, lines: string[]): void {
  doc.font('bold').fontSize(16).fillColor(TEXT).text(title, MARGIN, MARGIN);
  doc.font('body').fontSize(9).fillColor(MUTED);
  for (const l of lines) doc.text(l);
  doc.fillColor(TEXT).moveDown(0.6);
}

function section(doc: Doc, title: string, needs = 60): void {
  if (doc.y + needs > doc.page.height - MARGIN) doc.addPage();
  doc.font('bold').fontSize(11).fillColor(TEXT).text(title, MARGIN);
  doc.moveDown(0.3);
}

const fontCallback = (_family: string, bold: boolean) => (bold ? 'bold' : 'body');

export async function yearlyPdf(report: YearlyReport, sites: ReadonlyMap<string, Site>): Promise<Buffer> {
  const name = siteNameOf(sites);
  const title = fill(words.yearly, { year: report.year });
  const doc = newDoc(title);
  heading(doc, title, [
    `${words.regulation} · ${fill(words.totals, report.meetings)} · ${fill(words.generatedAt, { time: dateTime(report.timeZone, report.generatedAt) })}`,
  ]);

  const chartWords = { planned: words.planned, held: words.held, attended: words.attended, link: words.linkShort, power: words.powerShort };
  const gap = 16;
  const w = (doc.page.width - 2 * MARGIN - gap) / 2;
  const h = 200;
  const y = doc.y + 14;
  doc.font('bold').fontSize(10).text(words.meetingsChart, MARGIN, doc.y);
  doc.text(words.availabilityChart, MARGIN + w + gap, y - 14);
  // Drawn at CHART_SCALE times the space they get, then shrunk into it: the
  // dashboard's label sizes would crowd a chart half an A4 page wide.
  // svg-to-pdfkit takes the root's own width and height over its options, so
  // only the viewBox is kept.
  const draw = (svg: (w: number, h: number) => string, x: number) =>
    SVGtoPDF(doc as never, svg(w * CHART_SCALE, h * CHART_SCALE).replace(/^<svg width="[^"]*" height="[^"]*"/, '<svg'), x, y, {
      width: w,
      height: h,
      fontCallback,
      assumePt: true,
    });
  draw((cw, ch) => chartSvg(meetingsChartOption(report, name, chartWords, 'DejaVu Sans'), cw, ch), MARGIN);
  draw((cw, ch) => chartSvg(availabilityChartOption(report, name, chartWords, 'DejaVu Sans'), cw, ch), MARGIN + w + gap);
  doc.x = MARGIN;
  doc.y = y + h + 14;

  section(doc, words.site);
  table(
    doc,
    [
      words.site,
      words.planned,
      words.held,
      words.attended,
      words.plannedHours,
      words.attendedHours,
      words.link,
      words.power,
      words.incidents,
      words.mtta,
      words.mttr,
      words.ready,
      words.notReady,
      words.notChecked,
    ],
    report.sites.map((s) => [
      name(s.site),
      s.planned,
      s.held,
      s.attended,
      s.plannedHours,
      s.attendedHours,
      s.link.pct,
      s.power.pct,
      s.incidents.total,
      s.mttaMinutes,
      s.mttrMinutes,
      s.readiness.ready,
      s.readiness.notReady,
      s.readiness.notChecked,
    ]),
    [2.2, 1, 1, 1, 1, 1, 1.2, 1.1, 0.9, 1.1, 1.1, 0.9, 1, 1],
  );

  const rules = RULE_IDS.filter((r) => report.sites.some((s) => (s.incidents.byRule[r] ?? 0) > 0));
  if (rules.length > 0) {
    section(doc, words.incidentsByRule);
    table(
      doc,
      [words.site, ...rules.map(ruleName)],
      report.sites.map((s) => [name(s.site), ...rules.map((r) => s.incidents.byRule[r] ?? 0)]),
      [2.2, ...rules.map(() => 1)],
      7,
    );
  }
  return finish(doc);
}

export async function meetingPdf(report: MeetingReport, sites: ReadonlyMap<string, Site>): Promise<Buffer> {
  const name = siteNameOf(sites);
  const doc = newDoc(report.title);
  heading(doc, report.title, [
    [kindName(report.kind), `${words.time}: ${dateTime(report.timeZone, report.start)}–${dateTime(report.timeZone, report.end)}`]
      .filter(Boolean)
      .join(' · '),
    [
      report.chair ? `${words.chair}: ${report.chair}` : '',
      report.officialLetter ? `${words.officialLetter}: ${report.officialLetter}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    ...(report.held ? [] : [words.notHeld]),
    fill(words.generatedAt, { time: dateTime(report.timeZone, report.generatedAt) }),
  ]);
  const state = { ready: words.ready, 'not-ready': words.notReady, 'not-checked': words.notChecked } as const;
  table(
    doc,
    [
      words.site,
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
    ],
    report.sites.map((s) => [
      name(s.site),
      s.invited ? words.yes : words.no,
      s.expectedAttendees,
      s.attended ? words.yes : words.no,
      s.attendedMinutes,
      s.link.pct,
      s.power.pct,
      s.rttMs,
      s.lossPct,
      s.jitterMs,
      s.readiness === null ? null : state[s.readiness],
    ]),
    [2.2, 0.9, 1, 0.9, 1.1, 1.2, 1.1, 1, 1, 1, 1.2],
  );
  section(doc, words.incidents);
  if (report.incidents.length === 0) doc.font('body').fontSize(9).text(words.noIncidents);
  else {
    const at = (t: number | null) => (t === null ? null : dateTime(report.timeZone, t));
    table(
      doc,
      ['#', words.site, words.incidentsByRule, words.opened, words.acknowledged, words.resolved],
      report.incidents.map((i) => [i.id, name(i.site), ruleName(i.rule), at(i.openedAt), at(i.acknowledgedAt), at(i.resolvedAt)]),
      [0.5, 1.6, 2.4, 1.4, 1.4, 1.4],
    );
  }
  return finish(doc);
}
