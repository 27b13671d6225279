import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
} from '@angular/core';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { LanguageService } from '../core/language.service';
import { LocalNumberPipe } from '../core/format';
import type { Explanation } from '../core/matching-types';
import { Audience, omittedFactors, reasonsOf } from './explanation';
import { FactorChart } from './factor-chart';

/** Why a customer and a manager were matched: sentences, the factor chart, and what consent left out. */
@Component({
  selector: 'app-match-explanation',
  imports: [TranslatePipe, FactorChart, LocalNumberPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let e = explanation();
    <p>
      {{ 'match.score' | translate }}:
      <strong data-testid="match-score">{{ e.score | localNumber: '1.0-2' }}</strong> / 100
    </p>
    <ul class="reasons" data-testid="match-reasons">
      @for (reason of reasons(); track reason.factor) {
        <li>
          {{ reason.key | translate }}
          <span class="muted">({{ 'match.points' | translate: { points: (reason.points | localNumber: '1.0-1') } }})</span>
        </li>
      } @empty {
        <li class="muted">{{ 'match.noReasons' | translate }}</li>
      }
    </ul>
    @if (omitted().length) {
      <p class="omitted" data-testid="match-omitted">
        {{ 'match.omitted.' + audience() | translate: { factors: omittedNames() } }}
      </p>
    } @else {
      <p class="muted" data-testid="match-omitted-none">{{ 'match.omittedNone' | translate }}</p>
    }
    <app-factor-chart [explanation]="e" />
  `,
  styles: `
    .reasons {
      padding-left: 1.25rem;
      line-height: 1.7;
    }
    .omitted {
      background: #fff4e0;
      border-left: 4px solid var(--warn);
      padding: 0.5rem 0.75rem;
    }
  `,
})
export class MatchExplanation {
  readonly explanation = input.required<Explanation>();
  readonly audience = input<Audience>('customer');
  protected readonly reasons = computed(() => reasonsOf(this.explanation(), this.audience()));
  protected readonly omitted = computed(() => omittedFactors(this.explanation()));
  private readonly translate = inject(TranslateService);
  private readonly language = inject(LanguageService);
  /** The left-out factors in words, for the sentence. */
  protected readonly omittedNames = computed(() => {
    this.language.current();
    return this.omitted()
      .map((f) => this.translate.instant(`match.factors.${f}`) as string)
      .join(this.language.current() === 'en' ? ', ' : '、');
  });
}
