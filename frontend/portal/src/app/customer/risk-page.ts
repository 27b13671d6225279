import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatRadioModule } from '@angular/material/radio';
import { TranslatePipe } from '@ngx-translate/core';
import { API_BASE_URL } from '../core/api';
import type { CustomerUpdateDto } from '../core/api-types';
import { LanguageService } from '../core/language.service';
import type { RiskQuestionnaire } from '../core/matching-types';
import { ApiErrorBox } from '../shared/api-error-box';
import { DataState } from '../shared/data-state';
import { Notifier } from '../shared/notifier';
import { MyPortraitStore } from './my-portrait.store';

type Answer = NonNullable<CustomerUpdateDto['riskAnswers']>[number];

/** The ten-question risk questionnaire; the service scores it and answers with the level C1–C5. */
@Component({
  selector: 'app-risk-page',
  imports: [
    TranslatePipe,
    FormsModule,
    MatRadioModule,
    MatButtonModule,
    DataState,
    ApiErrorBox,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './risk-page.html',
  styles: `
    fieldset {
      border: 0;
      margin: 0 0 1rem;
      padding: 0;
    }
    legend {
      font-weight: 600;
      margin-bottom: 0.4rem;
    }
    mat-radio-group {
      display: flex;
      flex-wrap: wrap;
      gap: 0 1rem;
    }
    .result {
      border-left: 4px solid var(--brand);
    }
    .level {
      font-size: 1.6rem;
      font-weight: 700;
      color: var(--brand);
      margin-right: 0.5rem;
    }
  `,
})
export class RiskPage {
  protected readonly store = inject(MyPortraitStore);
  private readonly language = inject(LanguageService);
  private readonly notifier = inject(Notifier);
  private readonly api = inject(API_BASE_URL);
  protected readonly questionnaire = httpResource<RiskQuestionnaire>(
    () => `${this.api}/profiles/risk-questionnaire`,
  );
  protected readonly answers = signal<(Answer | null)[]>([]);
  protected readonly complete = computed(
    () => this.answers().length > 0 && this.answers().every((a) => a !== null),
  );
  protected readonly saveError = signal<unknown>(null);
  protected readonly levels = ['C1', 'C2', 'C3', 'C4', 'C5'];

  constructor() {
    // start from the answers on file, if any; never overwrite answers the customer is giving
    effect(() => {
      const questions = this.questionnaire.value()?.questions;
      const portrait = this.store.portrait.value();
      if (!questions || !portrait) return;
      if (untracked(() => this.answers().some((a) => a !== null))) return;
      const onFile = portrait.riskAnswers ?? [];
      this.answers.set(
        questions.map((_, i) => (onFile[i] as Answer | undefined) ?? null),
      );
    });
  }

  protected text(texts: Record<string, string>): string {
    return texts[this.language.current() ?? 'zh-CN'] ?? texts['zh-CN'] ?? '';
  }

  protected choose(index: number, answer: Answer): void {
    this.answers.update((all) => all.map((a, i) => (i === index ? answer : a)));
  }

  protected async submit(): Promise<void> {
    if (!this.complete()) return;
    this.saveError.set(null);
    try {
      const next = await this.store.save({ riskAnswers: this.answers() as Answer[] });
      this.notifier.say('risk.saved', { level: next.riskLevel });
    } catch (error) {
      this.saveError.set(error);
    }
  }
}
