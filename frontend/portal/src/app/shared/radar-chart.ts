import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
} from '@angular/core';
import { TranslateService } from '@ngx-translate/core';
import type { EChartsCoreOption } from 'echarts/core';
import type { PortraitView } from '../core/api-types';
import { LanguageService } from '../core/language.service';
import { Chart } from './chart';
import { radarAxes } from './portrait-radar';

/** The portrait as a radar of five 0–100 axes; the tooltip gives each axis's definition. */
@Component({
  selector: 'app-radar-chart',
  imports: [Chart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-chart testId="portrait-radar" [height]="320" [label]="label()" [options]="options()" />
  `,
})
export class RadarChart {
  readonly portrait = input.required<PortraitView>();
  private readonly translate = inject(TranslateService);
  private readonly language = inject(LanguageService);
  private readonly axes = computed(() => radarAxes(this.portrait()));
  private t(key: string): string {
    return this.translate.instant(key) as string;
  }

  protected readonly label = computed(() => {
    this.language.current();
    return this.axes()
      .map((a) => `${this.t(`radar.axes.${a.key}.name`)} ${Math.round(a.value * 100)}`)
      .join('; ');
  });

  protected readonly options = computed<EChartsCoreOption>(() => {
    this.language.current();
    const axes = this.axes();
    const definitions = axes.map(
      (a) => `<b>${this.t(`radar.axes.${a.key}.name`)}</b>: ${Math.round(a.value * 100)} — ${this.t(`radar.axes.${a.key}.definition`)}`,
    );
    return {
      tooltip: {
        trigger: 'item',
        confine: true,
        extraCssText: 'max-width: 360px; white-space: normal;',
        formatter: () => definitions.join('<br/>'),
      },
      radar: {
        indicator: axes.map((a) => ({ name: this.t(`radar.axes.${a.key}.name`), max: 100 })),
        radius: '65%',
      },
      series: [
        {
          type: 'radar',
          name: this.t('radar.title'),
          data: [{ value: axes.map((a) => Math.round(a.value * 100)), name: this.portrait().displayName }],
          areaStyle: { color: 'rgba(11, 79, 138, 0.25)' },
          lineStyle: { color: '#0b4f8a' },
          itemStyle: { color: '#0b4f8a' },
        },
      ],
    };
  });
}
