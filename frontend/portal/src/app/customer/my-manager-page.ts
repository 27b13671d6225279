import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { API_BASE_URL, isNotFound } from '../core/api';
import { LocalDatePipe, VocabPipe } from '../core/format';
import type { AssignmentView } from '../core/matching-types';
import { DataState } from '../shared/data-state';
import { MatchExplanation } from '../shared/match-explanation';
import { MyPortraitStore } from './my-portrait.store';

/** My relationship manager: who, where, how to reach them, and why we were matched. */
@Component({
  selector: 'app-my-manager-page',
  imports: [TranslatePipe, DataState, MatchExplanation, LocalDatePipe, VocabPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="page-title">{{ 'myManager.heading' | translate }}</h1>
    <app-data-state
      [loading]="assignment.isLoading() && !assignment.hasValue()"
      [error]="notFound() ? null : assignment.error()"
      [empty]="notFound() || !assignment.value()?.managerId"
      emptyKey="myManager.none"
      (retry)="assignment.reload()"
    >
      @if (assignment.value(); as a) {
        <div class="grid-2">
          <section class="card" aria-labelledby="manager-heading" data-testid="my-manager">
            <h2 id="manager-heading">{{ a.manager?.displayName }}</h2>
            <dl class="facts">
              <dt>{{ 'myManager.employeeNo' | translate }}</dt>
              <dd>{{ a.manager?.employeeNo }}</dd>
              <dt>{{ 'myManager.branch' | translate }}</dt>
              <dd>{{ a.manager?.branchId }}</dd>
              <dt>{{ 'myManager.state' | translate }}</dt>
              <dd data-testid="assignment-state">{{ 'myManager.states.' + a.state | translate }}</dd>
              <dt>{{ 'myManager.since' | translate }}</dt>
              <dd>{{ a.updatedAt | localDate }}</dd>
              <dt>{{ 'myManager.reach' | translate }}</dt>
              <dd>
                {{
                  'myManager.reachText'
                    | translate
                      : {
                          branch: a.manager?.branchId,
                          channel: (store.portrait.value()?.preferredChannel | vocab: 'channels'),
                        }
                }}
              </dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="why-heading">
            <h2 id="why-heading">{{ 'myManager.why' | translate }}</h2>
            @if (a.explanation; as e) {
              <app-match-explanation [explanation]="e" audience="customer" />
            } @else {
              <p class="muted">{{ 'myManager.noExplanation' | translate }}</p>
            }
          </section>
        </div>
      }
    </app-data-state>
  `,
})
export class MyManagerPage {
  private readonly api = inject(API_BASE_URL);
  protected readonly store = inject(MyPortraitStore);
  protected readonly assignment = httpResource<AssignmentView>(
    () => `${this.api}/matching/me/assignment`,
  );
  protected readonly notFound = computed(() => isNotFound(this.assignment.error()));
}
