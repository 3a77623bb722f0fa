// ECharts with only the parts the dashboard uses registered: line charts (RTT
// sparklines) and the graph (the wall's network topology).
import { init, use, type ComposeOption } from 'echarts/core';
import { GraphChart, LineChart, type GraphSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GraphChart, GridComponent, CanvasRenderer]);

export type LineOption = ComposeOption<LineSeriesOption | GridComponentOption>;
export type GraphOption = ComposeOption<GraphSeriesOption>;
export type EChart = ReturnType<typeof init>;
export { init };
