import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { API_BASE_URL } from '../core/api';
import type { ManagerView, PortraitPageView } from '../core/api-types';
import { CnyPipe, LocalNumberPipe } from '../core/format';
import type { AssignmentView, Page } from '../core/matching-types';
import { DataState } from '../shared/data-state';

/** The manager's start page: my book's headline figures. */
@Component({
  selector: 'app-manager-home',
  imports: [TranslatePipe, RouterLink, MatButtonModule, DataState, CnyPipe, LocalNumberPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="page-title">
      {{ 'managerHome.heading' | translate: { name: me.value()?.displayName ?? '' } }}
    </h1>
    <app-data-state
      [loading]="loading()"
      [error]="me.error() ?? book.error() ?? proposed.error() ?? accepted.error()"
      (retry)="reload()"
    >
      <div class="figures" data-testid="headline-figures">
        <section class="card figure">
          <h2>{{ 'managerHome.customers' | translate }}</h2>
          <p class="number" data-testid="figure-customers">{{ book.value()?.total | localNumber: '1.0-0' }}</p>
          <a mat-button routerLink="/manager/book">{{ 'managerHome.openBook' | translate }}</a>
        </section>
        <section class="card figure">
          <h2>{{ 'managerHome.aum' | translate }}</h2>
          <p class="number" data-testid="figure-aum">{{ aum() | cny }}</p>
          @if (aumPartial()) {
            <p class="muted">{{ 'managerHome.aumPartial' | translate: { count: book.value()?.items?.length } }}</p>
          }
        </section>
        <section class="card figure">
          <h2>{{ 'managerHome.proposals' | translate }}</h2>
          <p class="number" data-testid="figure-proposals">{{ proposed.value()?.total | localNumber: '1.0-0' }}</p>
          <a mat-button routerLink="/manager/proposals">{{ 'managerHome.openProposals' | translate }}</a>
        </section>
        <section class="card figure">
          <h2>{{ 'managerHome.capacity' | translate }}</h2>
          <p class="number" data-testid="figure-capacity">{{ capacityShare() | localNumber: '1.0-0' }}%</p>
          <p class="muted">
            {{ 'managerHome.capacityDetail' | translate: { used: accepted.value()?.total, capacity: me.value()?.capacity } }}
          </p>
        </section>
      </div>
    </app-data-state>
  `,
  styles: `
    .figures {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
      gap: 1rem;
    }
    .number {
      font-size: 2rem;
      font-weight: 700;
      margin: 0.25rem 0;
      color: var(--brand);
    }
  `,
})
export class ManagerHome {
  private readonly api = inject(API_BASE_URL);
  protected readonly me = httpResource<ManagerView>(() => `${this.api}/managers/me`);
  /** The first 100 customers, by AUM: AUM under management is their sum (the whole book for most managers). */
  protected readonly book = httpResource<PortraitPageView>(() => ({
    url: `${this.api}/profiles`,
    params: { pageSize: 100, sort: 'aum', order: 'desc' },
  }));
  protected readonly proposed = httpResource<Page<AssignmentView>>(() => ({
    url: `${this.api}/matching/assignments`,
    params: { state: 'proposed', pageSize: 1 },
  }));
  protected readonly accepted = httpResource<Page<AssignmentView>>(() => ({
    url: `${this.api}/matching/assignments`,
    params: { state: 'accepted', pageSize: 1 },
  }));
  protected readonly loading = computed(
    () => this.me.isLoading() || this.book.isLoading() || this.proposed.isLoading() || this.accepted.isLoading(),
  );
  protected readonly aum = computed(() =>
    (this.book.value()?.items ?? []).reduce((sum, p) => sum + p.aumCny, 0),
  );
  protected readonly aumPartial = computed(() => {
    const book = this.book.value();
    return !!book && book.total > book.items.length;
  });
  protected readonly capacityShare = computed(() => {
    const capacity = this.me.value()?.capacity ?? 0;
    return capacity > 0 ? ((this.accepted.value()?.total ?? 0) / capacity) * 100 : 0;
  });

  protected reload(): void {
    this.me.reload();
    this.book.reload();
    this.proposed.reload();
    this.accepted.reload();
  }
}
