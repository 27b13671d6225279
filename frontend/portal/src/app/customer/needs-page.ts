import { COMMA, ENTER } from '@angular/cdk/keycodes';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipInputEvent, MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { TranslatePipe } from '@ngx-translate/core';
import { API_ENUMS, type CustomerUpdateDto } from '../core/api-types';
import { VocabPipe } from '../core/format';
import { ApiErrorBox } from '../shared/api-error-box';
import { DataState } from '../shared/data-state';
import { Pills } from '../shared/pills';
import { Notifier } from '../shared/notifier';
import { MyPortraitStore } from './my-portrait.store';

type Need = NonNullable<CustomerUpdateDto['declaredNeeds']>[number];
/** What a new interest is stored as: lower case, words joined by "_", like the shared vocabulary's codes. */
export const interestCode = (text: string) =>
  text.trim().toLowerCase().replace(/\s+/g, '_');
const MAX_INTERESTS = 20;

/** My needs (declared by me; others derived by rules or staff, read-only) and my interests. */
@Component({
  selector: 'app-needs-page',
  imports: [
    TranslatePipe,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatButtonModule,
    DataState,
    Pills,
    ApiErrorBox,
    VocabPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './needs-page.html',
  styles: `
    .needs {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 0.25rem 1rem;
    }
  `,
})
export class NeedsPage {
  protected readonly store = inject(MyPortraitStore);
  private readonly notifier = inject(Notifier);
  protected readonly allNeeds = API_ENUMS['CustomerUpdateDto.declaredNeeds'];
  protected readonly separators = [ENTER, COMMA];
  protected readonly maxInterests = MAX_INTERESTS;
  protected readonly declared = signal<Need[]>([]);
  protected readonly interests = signal<string[]>([]);
  protected readonly dirty = signal(false);
  protected readonly saveError = signal<unknown>(null);
  /** Needs that rules or staff derived: shown with their source, changed only by the bank. */
  protected readonly derived = computed(() =>
    (this.store.portrait.value()?.needs ?? []).filter((n) => n.source !== 'declared'),
  );

  constructor() {
    effect(() => {
      const portrait = this.store.portrait.value();
      if (!portrait) return;
      this.declared.set(
        portrait.needs.filter((n) => n.source === 'declared').map((n) => n.code),
      );
      this.interests.set([...portrait.interests]);
      this.dirty.set(false);
    });
  }

  protected toggleNeed(need: Need, on: boolean): void {
    this.declared.update((all) => (on ? [...all, need] : all.filter((n) => n !== need)));
    this.dirty.set(true);
  }

  protected addInterest(event: MatChipInputEvent): void {
    const code = interestCode(event.value);
    if (code && !this.interests().includes(code) && this.interests().length < MAX_INTERESTS) {
      this.interests.update((all) => [...all, code]);
      this.dirty.set(true);
    }
    event.chipInput.clear();
  }

  protected removeInterest(code: string): void {
    this.interests.update((all) => all.filter((i) => i !== code));
    this.dirty.set(true);
  }

  protected async save(): Promise<void> {
    this.saveError.set(null);
    try {
      await this.store.save({ declaredNeeds: this.declared(), interests: this.interests() });
      this.notifier.say('state.saved');
    } catch (error) {
      this.saveError.set(error);
    }
  }
}
