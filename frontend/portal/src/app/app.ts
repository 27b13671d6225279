import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { map } from 'rxjs';
import { AuthService, Role } from './core/auth.service';
import { Language, LANGUAGES, LanguageService } from './core/language.service';

interface NavItem {
  path: string;
  label: string;
  icon: string;
  exact?: boolean;
}

/** The side navigation of each role. */
export const NAV: Record<Role, NavItem[]> = {
  customer: [
    { path: '/customer/portrait', label: 'nav.portrait', icon: 'person' },
    { path: '/customer/risk', label: 'nav.risk', icon: 'quiz' },
    { path: '/customer/needs', label: 'nav.needs', icon: 'interests' },
    { path: '/customer/consent', label: 'nav.consent', icon: 'verified_user' },
    { path: '/customer/manager', label: 'nav.myManager', icon: 'support_agent' },
  ],
  manager: [
    { path: '/manager', label: 'nav.managerHome', icon: 'dashboard', exact: true },
    { path: '/manager/book', label: 'nav.book', icon: 'groups' },
    { path: '/manager/proposals', label: 'nav.proposals', icon: 'how_to_reg' },
  ],
  admin: [{ path: '/admin', label: 'nav.adminHome', icon: 'admin_panel_settings' }],
};

@Component({
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    TranslatePipe,
    MatToolbarModule,
    MatSidenavModule,
    MatListModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatIconModule,
  ],
  selector: 'app-root',
  templateUrl: './app.html',
  styleUrl: './app.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly auth = inject(AuthService);
  protected readonly language = inject(LanguageService);
  private readonly router = inject(Router);
  protected readonly languages = LANGUAGES;
  /** Each language named in itself, so a reader of either can find their own. */
  protected readonly languageNames: Record<Language, string> = {
    'zh-CN': '中文',
    en: 'English',
  };
  /** Below a laptop width (tablets) the navigation slides over the page instead of taking a column. */
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 959.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly nav = computed(() => {
    const role = this.auth.role();
    return role ? NAV[role] : [];
  });

  protected switchTo(lang: Language): void {
    void this.language.use(lang);
  }

  protected async signOut(): Promise<void> {
    await this.auth.logout();
    await this.router.navigateByUrl('/login');
  }
}
