import {
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
} from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKeyOf, toApiError } from '../core/api';

/** A failed API call in words: the headline for its status, the API's own message, the retry delay, the request id. */
@Component({
  selector: 'app-api-error-box',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let err = apiError();
    <div class="alert" role="alert">
      <strong>{{ headlineKey() | translate: { status: err.status } }}</strong>
      @if (err.message && showMessage()) {
        <p data-testid="error-message">{{ err.message }}</p>
      }
      @if (err.retryAfterSeconds) {
        <p>
          {{
            (err.retryAfterSeconds >= 120 ? 'errors.retryAfterMinutes' : 'errors.retryAfter')
              | translate
                : {
                    seconds: err.retryAfterSeconds,
                    minutes: minutes(err.retryAfterSeconds),
                  }
          }}
        </p>
      }
      @if (err.requestId) {
        <p class="muted">
          <small>{{ 'errors.requestId' | translate: { requestId: err.requestId } }}</small>
        </p>
      }
    </div>
  `,
})
export class ApiErrorBox {
  readonly error = input<unknown>(null);
  /** A headline key for this context (e.g. the sign-in's own words for 401/429); else one per status. */
  readonly headline = input<string | null>(null);
  /** False when the message is already shown at the form fields it names. */
  readonly showMessage = input(true);
  protected readonly apiError = computed(() => toApiError(this.error()));
  protected readonly headlineKey = computed(
    () => this.headline() ?? errorKeyOf(this.apiError()),
  );
  protected minutes(seconds: number): number {
    return Math.ceil(seconds / 60);
  }
}
