import {
  ChangeDetectionStrategy,
  Component,
  input,
} from '@angular/core';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';

/** One echarts chart (SVG), described in words for screen readers; echarts itself loads lazily on first use. */
@Component({
  selector: 'app-chart',
  imports: [NgxEchartsDirective],
  providers: [provideEchartsCore({ echarts: () => import('./echarts') })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div
      echarts
      role="img"
      [style.height.px]="height()"
      [attr.data-testid]="testId()"
      [attr.aria-label]="label()"
      [options]="options()"
      [initOpts]="{ renderer: 'svg' }"
    ></div>
  `,
})
export class Chart {
  readonly options = input.required<EChartsCoreOption>();
  /** The chart's content in words. */
  readonly label = input.required<string>();
  readonly testId = input<string>();
  readonly height = input(300);
}
