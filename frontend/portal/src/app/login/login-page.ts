import {
  ChangeDetectionStrategy,
  Component,
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
import { Router } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { ApiError, errorKeyOf, toApiError } from '../core/api';
import { AuthService } from '../core/auth.service';

/** Username and password against POST /api/auth/login; explains 400/401/429 with the API's own message. */
@Component({
  selector: 'app-login-page',
  imports: [ReactiveFormsModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login-page.html',
  styleUrl: './login-page.scss',
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly pendingTasks = inject(PendingTasks);

  /** `?expired=1`: sent here because the API rejected the stored token. */
  readonly expired = input<string | undefined>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', [Validators.required, Validators.maxLength(64)]],
    password: ['', [Validators.required, Validators.maxLength(128)]],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly errorKeyOf = errorKeyOf;

  /** Tracked as a pending task, so the app (and a test's whenStable) counts as busy until the outcome is shown. */
  async submit(): Promise<void> {
    const done = this.pendingTasks.add();
    try {
      await this.signIn();
    } finally {
      done();
    }
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
      await this.auth.login(username.trim(), password);
      await this.router.navigateByUrl('/');
    } catch (error) {
      this.auth.clear();
      this.error.set(toApiError(error));
      this.form.controls.password.reset();
    } finally {
      this.submitting.set(false);
    }
  }
}
