import { inject, Injectable } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { TranslateService } from '@ngx-translate/core';

/** Material's paginator labels from the translations, re-read on every language switch. */
@Injectable()
export class TranslatedPaginatorIntl extends MatPaginatorIntl {
  private readonly translate = inject(TranslateService);

  constructor() {
    super();
    this.update();
    this.translate.onLangChange
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.update());
  }

  private update(): void {
    const t = (key: string, params?: object) => this.translate.instant(key, params) as string;
    this.itemsPerPageLabel = t('paginator.itemsPerPage');
    this.nextPageLabel = t('paginator.next');
    this.previousPageLabel = t('paginator.previous');
    this.firstPageLabel = t('paginator.first');
    this.lastPageLabel = t('paginator.last');
    this.getRangeLabel = (page, size, length) => {
      if (length === 0) return t('paginator.range', { from: 0, to: 0, total: 0 });
      const from = page * size + 1;
      return t('paginator.range', { from, to: Math.min(length, from + size - 1), total: length });
    };
    this.changes.next();
  }
}
