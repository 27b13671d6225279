import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { API_BASE_URL, isNotFound } from '../core/api';
import type { PortraitView } from '../core/api-types';
import { CnyPipe, LocalDatePipe, LocalNumberPipe, VocabPipe } from '../core/format';
import type { AssignmentView, HistoryEntryView, Page } from '../core/matching-types';
import { DataState } from '../shared/data-state';
import { Pills } from '../shared/pills';
import { MatchExplanation } from '../shared/match-explanation';
import { RadarChart } from '../shared/radar-chart';

/**
 * A customer's portrait for their manager: the profile with PII masked as the API returns it, tags and needs with
 * their source, interests, AUM and products, the radar, the match explanation and the assignment timeline.
 */
@Component({
  selector: 'app-customer-portrait-page',
  imports: [
    TranslatePipe,
    RouterLink,
    MatButtonModule,
    DataState,
    Pills,
    MatchExplanation,
    RadarChart,
    CnyPipe,
    LocalDatePipe,
    LocalNumberPipe,
    VocabPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './customer-portrait-page.html',
  styleUrl: './customer-portrait-page.scss',
})
export class CustomerPortraitPage {
  /** The route's `:id`. */
  readonly id = input.required<string>();
  private readonly api = inject(API_BASE_URL);
  protected readonly portrait = httpResource<PortraitView>(
    () => `${this.api}/profiles/${this.id()}`,
  );
  protected readonly assignment = httpResource<AssignmentView>(
    () => `${this.api}/matching/customers/${this.id()}/assignment`,
  );
  protected readonly history = httpResource<Page<HistoryEntryView>>(() => ({
    url: `${this.api}/matching/history`,
    params: { customerId: this.id(), pageSize: 50 },
  }));
  protected readonly assignmentMissing = computed(() => isNotFound(this.assignment.error()));
  /** Newest first for reading; the API lists oldest first. */
  protected readonly timeline = computed(() => [...(this.history.value()?.items ?? [])].reverse());
}
