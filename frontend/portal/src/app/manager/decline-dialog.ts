import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogModule,
  MatDialogRef,
} from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslatePipe } from '@ngx-translate/core';

/** Asks for the reason of a decline (the API requires 3–500 characters); closes with the reason, or nothing. */
@Component({
  selector: 'app-decline-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatButtonModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ 'proposals.declineTitle' | translate: { name: data.name } }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()">
      <mat-dialog-content>
        <p>{{ 'proposals.declineNote' | translate }}</p>
        <mat-form-field class="full-width">
          <mat-label>{{ 'proposals.reason' | translate }}</mat-label>
          <textarea matInput formControlName="reason" rows="3" required data-testid="decline-reason"></textarea>
          @if (form.controls.reason.invalid && form.controls.reason.touched) {
            <mat-error>{{ 'proposals.reasonRule' | translate }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'state.cancel' | translate }}</button>
        <button mat-flat-button type="submit" data-testid="decline-confirm">{{ 'proposals.decline' | translate }}</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class DeclineDialog {
  protected readonly data = inject<{ name: string }>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<DeclineDialog, string>);
  protected readonly form = inject(NonNullableFormBuilder).group({
    reason: ['', [Validators.required, Validators.minLength(3), Validators.maxLength(500)]],
  });

  protected confirm(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.ref.close(this.form.getRawValue().reason.trim());
  }
}
