// The yearly report's charts drawn on the server: the page's ECharts options
// (src/charts/report-options.ts) rendered to SVG by ECharts' server-side
// renderer, for the PDF.
import { init, use } from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { BarOption } from '../../src/charts/report-options.ts';

use([BarChart, GridComponent, LegendComponent, SVGRenderer]);

/** The chart as an SVG document of the given size (no tooltip: paper has no pointer). */
export function chartSvg(option: BarOption, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const { tooltip: _pointerOnly, ...paper } = option;
    chart.setOption(paper);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
