import {
  ChangeDetectionStrategy,
  Component,
  inject,
  signal,
} from '@angular/core';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslatePipe } from '@ngx-translate/core';
import type { ConsentView } from '../core/api-types';
import { ApiErrorBox } from '../shared/api-error-box';
import { DataState } from '../shared/data-state';
import { Notifier } from '../shared/notifier';
import { MyPortraitStore } from './my-portrait.store';

type Purpose = keyof ConsentView;
const PURPOSES: Purpose[] = ['profiling', 'marketing', 'data_sharing'];

/** One switch per consent purpose, each with what it changes; a switch saves at once. */
@Component({
  selector: 'app-consent-page',
  imports: [TranslatePipe, MatSlideToggleModule, DataState, ApiErrorBox],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="page-title">{{ 'consent.heading' | translate }}</h1>
    <p class="muted">{{ 'consent.intro' | translate }}</p>
    <app-data-state
      [loading]="store.portrait.isLoading() && !store.portrait.hasValue()"
      [error]="store.portrait.error()"
      (retry)="store.portrait.reload()"
    >
      @if (store.portrait.value(); as p) {
        @for (purpose of purposes; track purpose) {
          <section class="card" [attr.aria-labelledby]="'consent-' + purpose">
            <mat-slide-toggle
              [id]="'consent-' + purpose"
              [checked]="p.consent[purpose]"
              [disabled]="store.saving()"
              (change)="set(purpose, $event.checked)"
              [attr.data-testid]="'consent-' + purpose"
              ><strong>{{ 'consent.' + purpose + '.name' | translate }}</strong></mat-slide-toggle
            >
            <p>{{ 'consent.' + purpose + '.what' | translate }}</p>
            <p class="muted">
              {{ 'consent.' + purpose + (p.consent[purpose] ? '.on' : '.off') | translate }}
            </p>
          </section>
        }
        @if (saveError()) {
          <app-api-error-box [error]="saveError()" />
        }
      }
    </app-data-state>
  `,
})
export class ConsentPage {
  protected readonly store = inject(MyPortraitStore);
  private readonly notifier = inject(Notifier);
  protected readonly purposes = PURPOSES;
  protected readonly saveError = signal<unknown>(null);

  protected async set(purpose: Purpose, on: boolean): Promise<void> {
    this.saveError.set(null);
    try {
      await this.store.save({ consent: { [purpose]: on } });
      this.notifier.say('state.saved');
    } catch (error) {
      this.saveError.set(error);
      this.store.portrait.reload();
    }
  }
}
