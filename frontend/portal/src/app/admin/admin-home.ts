import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { AuthService } from '../core/auth.service';

/** The administrator's start page; the admin console itself is the next portal release. */
@Component({
  selector: 'app-admin-home',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="page-title">{{ 'admin.heading' | translate }}</h1>
    <section class="card" data-testid="admin-home">
      <p>{{ 'admin.welcome' | translate: { name: auth.user()?.displayName } }}</p>
      <p class="muted">{{ 'admin.comingSoon' | translate }}</p>
    </section>
  `,
})
export class AdminHome {
  protected readonly auth = inject(AuthService);
}
