import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
} from '@angular/core';
import { TranslateService } from '@ngx-translate/core';
import type { EChartsCoreOption } from 'echarts/core';
import { LanguageService } from '../core/language.service';
import { Chart } from './chart';
import type { Explanation } from '../core/matching-types';

/** A horizontal bar per factor: the points it added to the match score (of its weight). */
@Component({
  selector: 'app-factor-chart',
  imports: [Chart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-chart testId="factor-chart" [height]="300" [label]="label()" [options]="options()" />
  `,
})
export class FactorChart {
  readonly explanation = input.required<Explanation>();
  private readonly translate = inject(TranslateService);
  private readonly language = inject(LanguageService);

  /** The chart's content in words for screen readers: "Needs 25 of 25 points, …". */
  protected readonly label = computed(() => {
    this.language.current();
    return this.explanation()
      .contributions.map((c) =>
        this.translate.instant('match.chartItem', {
          factor: this.translate.instant(`match.factors.${c.factor}`),
          points: c.points,
          weight: c.weight,
        }),
      )
      .join('; ');
  });

  protected readonly options = computed<EChartsCoreOption>(() => {
    this.language.current();
    const items = [...this.explanation().contributions].reverse();
    const t = (key: string) => this.translate.instant(key) as string;
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: [t('match.pointsEarned'), t('match.weight')] },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: Math.max(...items.map((c) => c.weight), 1) },
      yAxis: {
        type: 'category',
        data: items.map((c) => t(`match.factors.${c.factor}`)),
      },
      series: [
        {
          name: t('match.weight'),
          type: 'bar',
          data: items.map((c) => c.weight),
          itemStyle: { color: '#d7dde5' },
          barGap: '-100%',
          silent: true,
        },
        {
          name: t('match.pointsEarned'),
          type: 'bar',
          data: items.map((c) => c.points),
          itemStyle: { color: '#0b4f8a' },
          label: { show: true, position: 'right', color: '#1d2733' },
        },
      ],
    };
  });
}
