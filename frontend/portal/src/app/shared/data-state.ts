import {
  ChangeDetectionStrategy,
  Component,
  input,
  output,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { TranslatePipe } from '@ngx-translate/core';
import { ApiErrorBox } from './api-error-box';

/**
 * The three states every data view has besides its data: loading, failed (the API's error in words, with a
 * retry), and empty. The data itself is projected and shown only when none of them applies.
 */
@Component({
  selector: 'app-data-state',
  imports: [TranslatePipe, MatProgressSpinnerModule, MatButtonModule, ApiErrorBox],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loading()) {
      <div class="state" role="status" data-testid="state-loading">
        <mat-progress-spinner mode="indeterminate" diameter="28" [attr.aria-label]="'state.loading' | translate" />
        <span>{{ 'state.loading' | translate }}</span>
      </div>
    } @else if (error()) {
      <app-api-error-box [error]="error()" data-testid="state-error" />
      <button mat-stroked-button type="button" (click)="retry.emit()">
        {{ 'state.retry' | translate }}
      </button>
    } @else if (empty()) {
      <p class="state muted" data-testid="state-empty">{{ emptyKey() | translate }}</p>
    } @else {
      <ng-content />
    }
  `,
  styles: `
    .state {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      padding: 0.5rem 0;
    }
  `,
})
export class DataState {
  readonly loading = input(false);
  readonly error = input<unknown>(null);
  readonly empty = input(false);
  readonly emptyKey = input('state.empty');
  readonly retry = output();
}
