import {
  provideHttpClient,
  withFetch,
  withInterceptors,
} from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import {
  provideRouter,
  TitleStrategy,
  withComponentInputBinding,
} from '@angular/router';
import {
  provideMissingTranslationHandler,
  provideTranslateService,
} from '@ngx-translate/core';
import { provideTranslateHttpLoader } from '@ngx-translate/http-loader';
import { appRoutes } from './app.routes';
import { authInterceptor } from './core/auth.interceptor';
import { FALLBACK_LANGUAGE, LanguageService } from './core/language.service';
import { RecordingMissingTranslationHandler } from './core/missing-translations';
import { TranslatedTitleStrategy } from './core/title-strategy';

// Zoneless is Angular 22's default: no zone.js, no provideZoneChangeDetection.
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideHttpClient(withFetch(), withInterceptors([authInterceptor])),
    provideRouter(appRoutes, withComponentInputBinding()),
    { provide: TitleStrategy, useExisting: TranslatedTitleStrategy },
    { provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: { appearance: 'outline', subscriptSizing: 'dynamic' } },
    provideTranslateService({
      fallbackLang: FALLBACK_LANGUAGE,
      missingTranslationHandler: provideMissingTranslationHandler(
        () => new RecordingMissingTranslationHandler(),
      ),
      // public/i18n/<lang>.json, fetched past the interceptors (no bearer token on static files)
      loader: provideTranslateHttpLoader({
        prefix: './i18n/',
        suffix: '.json',
        useHttpBackend: true,
      }),
    }),
    provideAppInitializer(() => inject(LanguageService).init()),
  ],
};
