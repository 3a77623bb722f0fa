// ECharts with only the parts the dashboard uses registered.
import { init, use, type ComposeOption } from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, CanvasRenderer]);

export type LineOption = ComposeOption<LineSeriesOption | GridComponentOption>;
export { init };
