import {
  formatCurrency,
  formatDate,
  formatNumber,
  registerLocaleData,
} from '@angular/common';
import localeZh from '@angular/common/locales/zh';
import { inject, Pipe, PipeTransform } from '@angular/core';
import { TranslateService } from '@ngx-translate/core';
import { LanguageService } from './language.service';

// Angular ships en-US built in; zh-CN's data (dates, digits, 元 symbol) is registered under the tag we use.
registerLocaleData(localeZh, 'zh-CN');

/** Angular's locale id for a portal language. */
export const localeOf = (lang: string) => (lang === 'en' ? 'en-US' : 'zh-CN');

/** Formatting that follows the language switch: impure, and reading the language signal, so views re-render. */
abstract class LocalePipe {
  protected readonly language = inject(LanguageService);
  protected get locale(): string {
    return localeOf(this.language.current() ?? 'zh-CN');
  }
}

/** `1234567` → `¥1,234,567` / `CN¥1,234,567` (CNY, whole yuan unless digits are given). */
@Pipe({ name: 'cny', pure: false })
export class CnyPipe extends LocalePipe implements PipeTransform {
  transform(value: number | null | undefined, digits = '1.0-0'): string {
    if (value === null || value === undefined) return '—';
    return formatCurrency(value, this.locale, '¥', 'CNY', digits);
  }
}

@Pipe({ name: 'localNumber', pure: false })
export class LocalNumberPipe extends LocalePipe implements PipeTransform {
  transform(value: number | null | undefined, digits = '1.0-2'): string {
    if (value === null || value === undefined) return '—';
    return formatNumber(value, this.locale, digits);
  }
}

/** Dates in the locale's own order (2026年12月4日 / Dec 4, 2026); `format` is Angular's (mediumDate, short, …). */
@Pipe({ name: 'localDate', pure: false })
export class LocalDatePipe extends LocalePipe implements PipeTransform {
  transform(value: string | null | undefined, format = 'mediumDate'): string {
    if (!value) return '—';
    return formatDate(value, format, this.locale);
  }
}

/**
 * A code of the shared vocabulary (needs, segments, channels, interests, …) in words: `vocab.<group>.<code>` from
 * the translations, or the code itself when it has none (interests are free text).
 */
@Pipe({ name: 'vocab', pure: false })
export class VocabPipe implements PipeTransform {
  private readonly translate = inject(TranslateService);
  private readonly language = inject(LanguageService);
  transform(code: string | null | undefined, group: string): string {
    if (code === null || code === undefined || code === '') return '—';
    this.language.current();
    const key = `vocab.${group}.${code}`;
    const text = this.translate.instant(key) as string;
    return text === key ? code : text;
  }
}
