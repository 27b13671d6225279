// Only what the demo bar chart needs: echarts/core plus the bar series, its grid/axes, tooltip and title, and the
// SVG renderer (crisp at any zoom, and renders in jsdom for tests). `import 'echarts'` would pull in every chart.
import { BarChart } from 'echarts/charts';
import {
  GridComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TitleComponent, TooltipComponent, SVGRenderer]);

/** ngx-echarts calls `init` on whatever the loader resolves to. */
export { init };
