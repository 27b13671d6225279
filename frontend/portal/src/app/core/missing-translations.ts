import {
  MissingTranslationHandler,
  MissingTranslationHandlerParams,
} from '@ngx-translate/core';

declare global {
  interface Window {
    /** Keys the page asked for that neither language has; read by the browser suite, which fails on any. */
    __missingTranslations?: string[];
  }
}

/**
 * Records every key without a translation (and shows the key, as ngx-translate does by default). `vocab.*` keys
 * are exempt: free-text codes (interests, tags) may have no label and are shown as they are on purpose.
 */
export class RecordingMissingTranslationHandler implements MissingTranslationHandler {
  handle({ key }: MissingTranslationHandlerParams): string {
    if (!key.startsWith('vocab.') && typeof window !== 'undefined') {
      const seen = (window.__missingTranslations ??= []);
      if (!seen.includes(key)) seen.push(key);
    }
    return key;
  }
}
