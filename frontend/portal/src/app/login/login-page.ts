import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
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
import { TranslatePipe } from '@ngx-translate/core';
import { fieldMessages, toApiError } from '../core/api';
import { safeReturnUrl } from '../core/auth.guards';
import { AuthService } from '../core/auth.service';
import { ApiErrorBox } from '../shared/api-error-box';

const FIELDS = ['username', 'password'] as const;
type Field = (typeof FIELDS)[number];

/** Username and password against POST /api/auth/login; then back to the page the user came from, or their home. */
@Component({
  selector: 'app-login-page',
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
  templateUrl: './login-page.html',
  styleUrl: './login-page.scss',
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly pendingTasks = inject(PendingTasks);

  /** `?expired=1`: the session ended (its refresh failed). */
  readonly expired = input<string | undefined>();
  /** `?returnUrl=/customer/risk`: where the user was when they were sent here. */
  readonly returnUrl = input<string | undefined>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', [Validators.required, Validators.maxLength(64)]],
    password: ['', [Validators.required, Validators.maxLength(128)]],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<unknown>(null);
  protected readonly apiError = computed(() =>
    this.error() ? toApiError(this.error()) : null,
  );
  /** The API's validation messages at the field they name. */
  protected readonly serverErrors = computed(() => {
    const error = this.apiError();
    return fieldMessages<Field>(
      error?.status === 400 ? error.message : null,
      FIELDS,
    );
  });
  /** Plain words for sign-in's own refusals: wrong credentials, and throttling / lockout. */
  protected readonly headline = computed(() => {
    switch (this.apiError()?.status) {
      case 401:
        return 'login.wrongCredentials';
      case 429:
        return 'login.locked';
      default:
        return null;
    }
  });

  /** Tracked as a pending task, so the app (and a test's whenStable) counts as busy until the outcome is shown. */
  submit(): void {
    this.pendingTasks.run(() => this.signIn());
  }

  protected fieldError(field: Field): string | undefined {
    return this.serverErrors().byField[field];
  }

  private async signIn(): Promise<void> {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    const { username, password } = this.form.getRawValue();
    try {
      const user = await this.auth.login(username.trim(), password);
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl(), user.role));
    } catch (error) {
      this.error.set(error);
      this.form.controls.password.reset();
    } finally {
      this.submitting.set(false);
    }
  }
}
