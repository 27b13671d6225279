import { DOCUMENT, inject, Injectable } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const FALLBACK_LANGUAGE: Language = 'zh-CN';
/** localStorage key of an explicit choice; without one the browser's language decides. */
export const LANGUAGE_KEY = 'relationship.portal.lang';

/** Maps a browser language tag (`en-GB`, `zh`, `zh-Hans-CN`, …) to one we ship; anything else gets the fallback. */
export function supportedLanguage(tag: string | null | undefined): Language {
  const lower = (tag ?? '').toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return FALLBACK_LANGUAGE;
}

@Injectable({ providedIn: 'root' })
export class LanguageService {
  private readonly translate = inject(TranslateService);
  private readonly document = inject(DOCUMENT);
  private readonly title = inject(Title);

  /** The active language (a signal). */
  readonly current = this.translate.currentLang;

  /** The language to start with: an explicit earlier choice, else the browser's, else zh-CN. */
  initialLanguage(): Language {
    let stored: string | null = null;
    try {
      stored = globalThis.localStorage?.getItem(LANGUAGE_KEY) ?? null;
    } catch {
      stored = null;
    }
    if (stored && (LANGUAGES as readonly string[]).includes(stored))
      return stored as Language;
    const browser = this.document.defaultView?.navigator;
    return supportedLanguage(browser?.languages?.[0] ?? browser?.language);
  }

  /** Loads the translations once at start-up (awaited by provideAppInitializer, so the first paint is translated). */
  async init(): Promise<void> {
    await this.apply(this.initialLanguage());
  }

  /** Switches language and remembers the choice. */
  async use(lang: Language): Promise<void> {
    try {
      globalThis.localStorage?.setItem(LANGUAGE_KEY, lang);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
    await this.apply(lang);
  }

  private async apply(lang: Language): Promise<void> {
    await firstValueFrom(this.translate.use(lang));
    this.document.documentElement.lang = lang;
    this.title.setTitle(this.translate.instant('app.title'));
  }
}
