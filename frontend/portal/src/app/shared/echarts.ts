// Only what the portal's charts need: echarts/core with the bar and radar series, grid, tooltip and legend, and the
// SVG renderer (crisp at any zoom, and renders in jsdom for tests). `import 'echarts'` would pull in every chart.
// Loaded lazily by provideEchartsCore, so it stays out of the initial bundle.
import { BarChart, RadarChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  RadarComponent,
  TooltipComponent,
} from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([
  BarChart,
  RadarChart,
  GridComponent,
  RadarComponent,
  TooltipComponent,
  LegendComponent,
  SVGRenderer,
]);

/** ngx-echarts calls `init` on whatever the loader resolves to. */
export { init };
