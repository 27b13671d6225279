import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { VocabPipe } from '../core/format';

/** Codes of one vocabulary group as pills (each in words, with its source when given), or a muted "none". */
@Component({
  selector: 'app-pills',
  imports: [TranslatePipe, VocabPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (item of normalised(); track item.code) {
      <span class="pill"
        >{{ item.code | vocab: group() }}
        @if (item.source) {
          · {{ 'sources.' + item.source | translate }}
        }
      </span>
    } @empty {
      <span class="muted">{{ emptyKey() | translate }}</span>
    }
  `,
})
export class Pills {
  /** Plain codes, or codes with the source they came from (needs, tags). */
  readonly items = input.required<readonly (string | { code: string; source?: string })[]>();
  protected readonly normalised = computed(() =>
    this.items().map((item) => (typeof item === 'string' ? { code: item, source: undefined } : item)),
  );
  /** The vocabulary group (`vocab.<group>.<code>` in the translations). */
  readonly group = input.required<string>();
  readonly emptyKey = input('customerPortrait.none');
}
