// The yearly report's charts as ECharts options, for the reports page (canvas)
// and the PDF (SVG rendered on the server) alike: per site, the meetings
// planned, held and attended; the availability of its link and power during
// the held meetings. Pure: the caller gives the words and the site names.
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { GRADE_COLOURS } from '@noc/shared/palette';
import type { YearlyReport } from '@noc/shared/reports';

export type BarOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface ReportChartWords {
  planned: string;
  held: string;
  attended: string;
  link: string;
  power: string;
}

/** The desk theme's colours (styles/desk.css) and the grade palette. */
const TEXT = '#1e293b';
const MUTED = '#5b6577';
const BORDER = '#d5dbe4';
const ACCENT = '#1d4ed8';

const base = (names: string[], fontFamily: string | undefined) => ({
  animation: false,
  textStyle: { color: TEXT, ...(fontFamily ? { fontFamily } : {}) },
  legend: { top: 0, textStyle: { color: TEXT } },
  tooltip: { trigger: 'axis' as const },
  grid: { left: 8, right: 8, top: 32, bottom: 8, outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const },
  xAxis: {
    type: 'category' as const,
    data: names,
    axisLabel: { color: MUTED, interval: 0, rotate: names.length > 6 ? 35 : 0 },
    axisLine: { lineStyle: { color: BORDER } },
  },
});

/** Meetings per site: planned, held, attended. */
export function meetingsChartOption(
  report: YearlyReport,
  siteName: (id: string) => string,
  words: ReportChartWords,
  fontFamily?: string,
): BarOption {
  const names = report.sites.map((s) => siteName(s.site));
  return {
    ...base(names, fontFamily),
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: BORDER } } },
    series: [
      { type: 'bar', name: words.planned, data: report.sites.map((s) => s.planned), itemStyle: { color: GRADE_COLOURS.none } },
      { type: 'bar', name: words.held, data: report.sites.map((s) => s.held), itemStyle: { color: ACCENT } },
      { type: 'bar', name: words.attended, data: report.sites.map((s) => s.attended), itemStyle: { color: GRADE_COLOURS.good } },
    ],
  };
}

/** Availability per site during the held meetings, in percent (a site without a measured minute has no bar). */
export function availabilityChartOption(
  report: YearlyReport,
  siteName: (id: string) => string,
  words: ReportChartWords,
  fontFamily?: string,
): BarOption {
  const names = report.sites.map((s) => siteName(s.site));
  const lowest = Math.min(100, ...report.sites.flatMap((s) => [s.link.pct ?? 100, s.power.pct ?? 100]));
  return {
    ...base(names, fontFamily),
    yAxis: {
      type: 'value',
      // Start the axis under the lowest figure, in steps of 10, so differences of a few percent show.
      min: Math.max(0, Math.floor((lowest - 5) / 10) * 10),
      max: 100,
      axisLabel: { color: MUTED, formatter: '{value} %' },
      splitLine: { lineStyle: { color: BORDER } },
    },
    series: [
      { type: 'bar', name: words.link, data: report.sites.map((s) => s.link.pct), itemStyle: { color: ACCENT } },
      { type: 'bar', name: words.power, data: report.sites.map((s) => s.power.pct), itemStyle: { color: GRADE_COLOURS.ok } },
    ],
  };
}
