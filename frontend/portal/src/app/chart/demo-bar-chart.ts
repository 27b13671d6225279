import { ChangeDetectionStrategy, Component, computed } from '@angular/core';
import { translate, TranslatePipe } from '@ngx-translate/core';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';

/** Static placeholder numbers, NOT real data: they only prove the echarts toolchain. */
export const DEMO_SEGMENTS = [
  { key: 'mass', customers: 1280 },
  { key: 'affluent', customers: 640 },
  { key: 'privateBanking', customers: 210 },
  { key: 'businessOwner', customers: 385 },
] as const;

/** A bar chart of demo data, labelled as such; echarts is loaded on first use (its own lazy chunk). */
@Component({
  selector: 'app-demo-bar-chart',
  imports: [NgxEchartsDirective, TranslatePipe],
  providers: [provideEchartsCore({ echarts: () => import('./echarts-bar') })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="demo-chart-heading">
      <h2 id="demo-chart-heading">
        {{ 'demoChart.heading' | translate }}
        <span class="pill" data-testid="demo-badge">{{
          'demoChart.badge' | translate
        }}</span>
      </h2>
      <p class="muted">{{ 'demoChart.note' | translate }}</p>
      <div
        class="chart"
        echarts
        data-testid="demo-chart"
        role="img"
        [attr.aria-label]="'demoChart.heading' | translate"
        [options]="options()"
        [initOpts]="{ renderer: 'svg' }"
      ></div>
    </section>
  `,
  styles: `
    .chart {
      height: 320px;
    }
  `,
})
export class DemoBarChart {
  private readonly labels = translate([
    'demoChart.series',
    'demoChart.badge',
    ...DEMO_SEGMENTS.map((s) => `segments.${s.key}`),
  ]);

  protected readonly options = computed<EChartsCoreOption>(() => {
    const t = this.labels() as Record<string, string>;
    return {
      title: {
        text: t['demoChart.badge'],
        right: 8,
        top: 0,
        textStyle: { fontSize: 12, color: '#5f6b7a' },
      },
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 32, bottom: 32 },
      xAxis: {
        type: 'category',
        data: DEMO_SEGMENTS.map((s) => t[`segments.${s.key}`]),
      },
      yAxis: { type: 'value' },
      series: [
        {
          name: t['demoChart.series'],
          type: 'bar',
          data: DEMO_SEGMENTS.map((s) => s.customers),
          itemStyle: { color: '#0b4f8a' },
        },
      ],
    };
  });
}
