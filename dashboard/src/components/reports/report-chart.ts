// The reports page's charts: bars and their legend, registered only here.
import { use } from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';

use([BarChart, LegendComponent]);
