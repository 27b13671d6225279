import {
  ChangeDetectionStrategy,
  Component,
  inject,
  OnInit,
  PendingTasks,
  signal,
} from '@angular/core';
import { Router } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { DemoBarChart } from '../chart/demo-bar-chart';
import { ApiError, errorKeyOf, toApiError } from '../core/api';
import { AuthService } from '../core/auth.service';

/** The signed-in page: who you are (GET /api/auth/me) and a demo chart. Lazy-loaded with echarts. */
@Component({
  selector: 'app-home-page',
  imports: [TranslatePipe, DemoBarChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="me-heading">
      <h2 id="me-heading">{{ 'home.heading' | translate }}</h2>
      @if (auth.user(); as user) {
        <p data-testid="signed-in-user">
          {{
            'home.signedInAs'
              | translate: { name: user.displayName, username: user.username }
          }}
          <span class="pill">{{ 'roles.' + user.role | translate }}</span>
        </p>
      } @else if (error(); as err) {
        <div class="alert" role="alert">
          <strong>{{
            errorKeyOf(err) | translate: { status: err.status }
          }}</strong>
          @if (err.message) {
            <p>{{ err.message }}</p>
          }
        </div>
      } @else {
        <p class="muted">{{ 'home.loading' | translate }}</p>
      }
      <button type="button" class="primary" (click)="logout()">
        {{ 'home.logout' | translate }}
      </button>
    </section>
    <app-demo-bar-chart />
  `,
})
export class HomePage implements OnInit {
  protected readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly pendingTasks = inject(PendingTasks);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly errorKeyOf = errorKeyOf;

  ngOnInit(): void {
    // after a reload only the token survives (sessionStorage): fetch the account again
    if (!this.auth.user()) {
      this.pendingTasks.run(() =>
        this.auth
          .loadMe()
          .catch((error: unknown) => this.error.set(toApiError(error))),
      );
    }
  }

  async logout(): Promise<void> {
    await this.auth.logout();
    await this.router.navigateByUrl('/login');
  }
}
