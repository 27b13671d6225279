import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { Language, LANGUAGES, LanguageService } from './core/language.service';
import { ApiStatusCard } from './status/api-status-card';

@Component({
  imports: [RouterOutlet, TranslatePipe, ApiStatusCard],
  selector: 'app-root',
  templateUrl: './app.html',
  styleUrl: './app.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly language = inject(LanguageService);
  protected readonly languages = LANGUAGES;
  /** Each language named in itself, so a reader of either can find their own. */
  protected readonly languageNames: Record<Language, string> = {
    'zh-CN': '中文',
    en: 'English',
  };

  protected switchTo(lang: Language): void {
    void this.language.use(lang);
  }
}
