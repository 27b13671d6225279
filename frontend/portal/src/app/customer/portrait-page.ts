import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  signal,
} from '@angular/core';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { TranslatePipe } from '@ngx-translate/core';
import { API_ENUMS, type CustomerUpdateDto } from '../core/api-types';
import { CnyPipe, LocalDatePipe, VocabPipe } from '../core/format';
import { ApiErrorBox } from '../shared/api-error-box';
import { DataState } from '../shared/data-state';
import { Pills } from '../shared/pills';
import { Notifier } from '../shared/notifier';
import { MyPortraitStore } from './my-portrait.store';

/** My portrait: what the bank knows (read-only) and the contact preferences the customer may change. */
@Component({
  selector: 'app-portrait-page',
  imports: [
    TranslatePipe,
    ReactiveFormsModule,
    MatFormFieldModule,
    MatSelectModule,
    MatButtonModule,
    DataState,
    Pills,
    ApiErrorBox,
    CnyPipe,
    LocalDatePipe,
    VocabPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './portrait-page.html',
})
export class PortraitPage {
  protected readonly store = inject(MyPortraitStore);
  private readonly notifier = inject(Notifier);
  protected readonly languages = API_ENUMS['CustomerUpdateDto.preferredLanguage'];
  protected readonly channels = API_ENUMS['CustomerUpdateDto.preferredChannel'];
  protected readonly form = inject(NonNullableFormBuilder).group({
    preferredLanguage: ['zh-CN' as NonNullable<CustomerUpdateDto['preferredLanguage']>],
    preferredChannel: [null as CustomerUpdateDto['preferredChannel']],
  });
  protected readonly saveError = signal<unknown>(null);

  constructor() {
    // the form follows the portrait as loaded or saved
    effect(() => {
      const portrait = this.store.portrait.value();
      if (!portrait) return;
      this.form.reset({
        preferredLanguage:
          portrait.preferredLanguage as NonNullable<CustomerUpdateDto['preferredLanguage']>,
        preferredChannel: (portrait.preferredChannel ?? null) as CustomerUpdateDto['preferredChannel'],
      });
    });
  }

  protected async save(): Promise<void> {
    this.saveError.set(null);
    try {
      await this.store.save(this.form.getRawValue());
      this.notifier.say('state.saved');
    } catch (error) {
      this.saveError.set(error);
    }
  }
}
