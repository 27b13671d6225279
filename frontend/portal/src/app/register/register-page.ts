import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  PendingTasks,
  signal,
} from '@angular/core';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { fieldMessages, toApiError } from '../core/api';
import { HOME_OF } from '../core/auth.guards';
import { AuthService } from '../core/auth.service';
import { ApiErrorBox } from '../shared/api-error-box';

const FIELDS = ['username', 'password', 'displayName', 'email', 'phone'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Customer self-registration (POST /api/auth/register). The form checks only what it must to avoid a useless call;
 * the API's rules (username pattern, password strength, taken names) come back as messages at the field they name.
 */
@Component({
  selector: 'app-register-page',
  imports: [
    ReactiveFormsModule,
    TranslatePipe,
    RouterLink,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    ApiErrorBox,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './register-page.html',
  styleUrl: '../login/login-page.scss',
})
export class RegisterPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly pendingTasks = inject(PendingTasks);
  private readonly translate = inject(TranslateService);

  protected readonly fields = FIELDS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', [Validators.required]],
    password: ['', [Validators.required]],
    displayName: ['', [Validators.required]],
    email: ['', [Validators.email]],
    phone: [''],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<unknown>(null);
  protected readonly serverErrors = computed(() => {
    const error = this.error() ? toApiError(this.error()) : null;
    // registration answers alike whether or not the name was free; the sign-in after it then fails
    if (error?.status === 401)
      return { byField: { username: this.translate.instant('register.usernameUnavailable') as string }, other: [] };
    return fieldMessages<Field>(error?.status === 400 ? error.message : null, FIELDS);
  });
  /** Shown with the form only when no field took the message. */
  protected readonly unplaced = computed(
    () =>
      this.error() !== null &&
      Object.keys(this.serverErrors().byField).length === 0,
  );

  submit(): void {
    this.pendingTasks.run(() => this.register());
  }

  protected fieldError(field: Field): string | undefined {
    return this.serverErrors().byField[field];
  }

  private async register(): Promise<void> {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    const value = this.form.getRawValue();
    try {
      await this.auth.register({
        username: value.username.trim(),
        password: value.password,
        displayName: value.displayName.trim(),
        email: value.email.trim() || null,
        phone: value.phone.trim() || null,
      });
      // a new customer starts with the questionnaire: it decides the risk level matching uses
      await this.router.navigateByUrl(`${HOME_OF.customer}/risk`);
    } catch (error) {
      this.error.set(error);
    } finally {
      this.submitting.set(false);
    }
  }
}
