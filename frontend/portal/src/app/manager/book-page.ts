import { BreakpointObserver } from '@angular/cdk/layout';
import { ScrollingModule } from '@angular/cdk/scrolling';
import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
} from '@angular/core';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorIntl, MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatSortModule, Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { toSignal } from '@angular/core/rxjs-interop';
import { TranslatePipe } from '@ngx-translate/core';
import { map } from 'rxjs';
import { API_BASE_URL } from '../core/api';
import { API_ENUMS, type PortraitPageView } from '../core/api-types';
import { CnyPipe, LocalDatePipe, VocabPipe } from '../core/format';
import { LanguageService } from '../core/language.service';
import { DataState } from '../shared/data-state';
import { TranslatedPaginatorIntl } from '../shared/paginator-intl';
import { BookFilters, bookQuery, NO_FILTERS } from './book-query';

interface TagDefinition {
  code: string;
  labelZh: string;
  labelEn: string;
}

/** My book: the profiles search with its filters, sorted and paged by the API, rows virtualised for long pages. */
@Component({
  selector: 'app-book-page',
  imports: [
    TranslatePipe,
    ReactiveFormsModule,
    RouterLink,
    ScrollingModule,
    MatTableModule,
    MatSortModule,
    MatPaginatorModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    DataState,
    CnyPipe,
    LocalDatePipe,
    VocabPipe,
  ],
  providers: [{ provide: MatPaginatorIntl, useClass: TranslatedPaginatorIntl }],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './book-page.html',
  styleUrl: './book-page.scss',
})
export class BookPage {
  private readonly api = inject(API_BASE_URL);
  protected readonly language = inject(LanguageService);
  protected readonly segments = API_ENUMS['PortraitView.segment'];
  protected readonly riskLevels = API_ENUMS['PortraitView.riskLevel'];
  protected readonly needs = API_ENUMS['NeedValueView.code'];
  /** A tablet shows the columns that decide a call; a laptop adds city, needs and the last change. */
  private readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 1099.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() =>
    this.narrow()
      ? ['name', 'segment', 'risk', 'aum']
      : ['name', 'segment', 'risk', 'aum', 'city', 'needs', 'updatedAt'],
  );
  protected readonly rowHeight = 52;

  protected readonly form = inject(NonNullableFormBuilder).group({
    q: [''],
    segment: [[] as string[]],
    riskLevel: [[] as string[]],
    need: [[] as string[]],
    tag: [[] as string[]],
    city: [''],
    aumMin: [null as number | null],
    aumMax: [null as number | null],
  });
  protected readonly filters = signal<BookFilters>(NO_FILTERS);
  protected readonly page = signal({ index: 0, size: 50 });
  protected readonly sort = signal<Sort>({ active: 'name', direction: 'asc' });

  protected readonly tags = httpResource<TagDefinition[]>(() => `${this.api}/profiles/tags`);
  protected readonly book = httpResource<PortraitPageView>(() => ({
    url: `${this.api}/profiles`,
    params: bookQuery(this.filters(), this.page(), this.sort()),
  }));
  protected readonly rows = computed(() => this.book.value()?.items ?? []);
  /** Tall enough for the rows (plus the header), at most ten rows: beyond that the viewport scrolls. */
  protected readonly viewportHeight = computed(
    () => Math.min(this.rows().length, 10) * this.rowHeight + 58,
  );

  protected apply(): void {
    const v = this.form.getRawValue();
    this.filters.set({
      ...v,
      aumMin: v.aumMin === null || `${v.aumMin}` === '' ? null : Number(v.aumMin),
      aumMax: v.aumMax === null || `${v.aumMax}` === '' ? null : Number(v.aumMax),
    });
    this.page.update((p) => ({ ...p, index: 0 }));
  }

  protected reset(): void {
    this.form.reset();
    this.apply();
  }

  protected onSort(sort: Sort): void {
    this.sort.set(sort);
    this.page.update((p) => ({ ...p, index: 0 }));
  }

  protected onPage(event: PageEvent): void {
    this.page.set({ index: event.pageIndex, size: event.pageSize });
  }

  protected tagLabel(tag: TagDefinition, lang: string | null | undefined): string {
    return lang === 'en' ? tag.labelEn : tag.labelZh;
  }

}
