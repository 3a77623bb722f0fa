// The desk theme of the site page's charts: light, normal type, the desk
// palette; and the tooltip, which only these charts use.
import { registerTheme, use } from 'echarts/core';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption } from 'echarts/components';

use([TooltipComponent]);

export const DESK_THEME = 'noc-desk';

/** Send, receive and single series, in this order. */
export const SERIES_COLORS = ['#1d4ed8', '#c2410c', '#15803d', '#7c3aed'];

registerTheme(DESK_THEME, {
  color: SERIES_COLORS,
  backgroundColor: 'transparent',
  textStyle: { fontFamily: "'Noto Sans', 'Segoe UI', Roboto, Arial, sans-serif", color: '#1e293b' },
  timeAxis: {
    axisLine: { lineStyle: { color: '#cbd5e1' } },
    axisTick: { lineStyle: { color: '#cbd5e1' } },
    axisLabel: { color: '#5b6577', fontSize: 11 },
    splitLine: { show: false },
  },
  valueAxis: {
    axisLine: { show: false },
    axisLabel: { color: '#5b6577', fontSize: 11 },
    splitLine: { lineStyle: { color: '#e5e9f0' } },
  },
  line: { symbol: 'none', smooth: false, lineStyle: { width: 1.8 } },
});

export type DeskLineOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption>;
