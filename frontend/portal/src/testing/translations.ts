import { Provider } from '@angular/core';
import {
  provideTranslateLoader,
  provideTranslateService,
  TranslateLoader,
  TranslationObject,
} from '@ngx-translate/core';
import { Observable, of } from 'rxjs';
import en from '../../public/i18n/en.json';
import zhCN from '../../public/i18n/zh-CN.json';

const FILES: Record<string, TranslationObject> = { en, 'zh-CN': zhCN };

/** Serves the real public/i18n/*.json files without HTTP, so tests see the shipped texts. */
class StaticTranslateLoader implements TranslateLoader {
  getTranslation(lang: string): Observable<TranslationObject> {
    return of(FILES[lang] ?? {});
  }
}

/** ngx-translate as the app configures it (zh-CN fallback), with the translations loaded synchronously. */
export function provideTestTranslations(lang = 'zh-CN'): Provider[] {
  return provideTranslateService({
    fallbackLang: 'zh-CN',
    lang,
    loader: provideTranslateLoader(StaticTranslateLoader),
  });
}
