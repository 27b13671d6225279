import { HttpClient, httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from '../core/api';
import type { PortraitView } from '../core/api-types';
import { CnyPipe, LocalDatePipe, LocalNumberPipe } from '../core/format';
import type { AssignmentView, Page } from '../core/matching-types';
import { ApiErrorBox } from '../shared/api-error-box';
import { DataState } from '../shared/data-state';
import { reasonsOf } from '../shared/explanation';
import { Notifier } from '../shared/notifier';
import { DeclineDialog } from './decline-dialog';

/** One proposal: the customer (their masked portrait), the score and its top reasons, accept / decline. */
@Component({
  selector: 'app-proposal-card',
  imports: [TranslatePipe, RouterLink, MatButtonModule, CnyPipe, LocalDatePipe, LocalNumberPipe, ApiErrorBox],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let a = assignment();
    @let p = customer.value();
    <article class="card proposal" [attr.aria-labelledby]="'proposal-' + a.proposalId" data-testid="proposal">
      <h2 [id]="'proposal-' + a.proposalId">
        <a [routerLink]="['/manager/customers', a.customerId]" data-testid="proposal-customer">{{
          p?.displayName ?? ('state.loading' | translate)
        }}</a>
      </h2>
      <p class="muted">
        {{ 'proposals.summary' | translate: { score: (a.score | localNumber: '1.0-1'), date: (a.updatedAt | localDate) } }}
        @if (p) {
          · {{ p.aumCny | cny }}
        }
      </p>
      <ul>
        @for (r of topReasons(); track r.factor) {
          <li>{{ r.key | translate }}</li>
        }
      </ul>
      @if (error()) {
        <app-api-error-box [error]="error()" />
      }
      <div class="form-actions">
        <button mat-flat-button type="button" (click)="accept()" [disabled]="busy()" data-testid="proposal-accept">
          {{ 'proposals.accept' | translate }}
        </button>
        <button mat-stroked-button type="button" (click)="decline()" [disabled]="busy()" data-testid="proposal-decline">
          {{ 'proposals.decline' | translate }}
        </button>
      </div>
    </article>
  `,
})
export class ProposalCard {
  readonly assignment = input.required<AssignmentView>();
  readonly decided = output<'accepted' | 'declined'>();
  private readonly api = inject(API_BASE_URL);
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  protected readonly customer = httpResource<PortraitView>(
    () => `${this.api}/profiles/${this.assignment().customerId}`,
  );
  protected readonly topReasons = computed(() =>
    reasonsOf(this.assignment().explanation, 'staff').slice(0, 3),
  );
  protected readonly busy = signal(false);
  protected readonly error = signal<unknown>(null);

  protected async accept(): Promise<void> {
    await this.decide('accept', {});
  }

  protected async decline(): Promise<void> {
    const reason = await firstValueFrom(
      this.dialog
        .open<DeclineDialog, { name: string }, string>(DeclineDialog, {
          data: { name: this.customer.value()?.displayName ?? '' },
          width: '480px',
        })
        .afterClosed(),
    );
    if (reason) await this.decide('decline', { reason });
  }

  private async decide(action: 'accept' | 'decline', body: object): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(
        this.http.post(`${this.api}/matching/proposals/${this.assignment().proposalId}/${action}`, body),
      );
      this.decided.emit(action === 'accept' ? 'accepted' : 'declined');
    } catch (error) {
      this.error.set(error);
    } finally {
      this.busy.set(false);
    }
  }
}

/** The proposals waiting for me: accept, or decline with a reason (the customer is then rematched). */
@Component({
  selector: 'app-proposals-page',
  imports: [TranslatePipe, DataState, ProposalCard],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="page-title">{{ 'proposals.heading' | translate }}</h1>
    <p class="muted">{{ 'proposals.intro' | translate }}</p>
    <app-data-state
      [loading]="proposals.isLoading() && !proposals.hasValue()"
      [error]="proposals.error()"
      [empty]="(proposals.value()?.items?.length ?? 0) === 0"
      emptyKey="proposals.empty"
      (retry)="proposals.reload()"
    >
      <div class="grid-2">
        @for (a of proposals.value()?.items ?? []; track a.proposalId) {
          <app-proposal-card [assignment]="a" (decided)="onDecided($event)" />
        }
      </div>
    </app-data-state>
  `,
})
export class ProposalsPage {
  private readonly api = inject(API_BASE_URL);
  private readonly notifier = inject(Notifier);
  protected readonly proposals = httpResource<Page<AssignmentView>>(() => ({
    url: `${this.api}/matching/assignments`,
    params: { state: 'proposed', pageSize: 100 },
  }));

  protected onDecided(kind: 'accepted' | 'declined'): void {
    this.notifier.say(`proposals.${kind}`);
    this.proposals.reload();
  }
}
