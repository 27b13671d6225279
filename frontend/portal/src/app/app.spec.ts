import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideTestTranslations } from '../testing/translations';
import { App } from './app';
import { SESSION_KEY } from './core/auth.service';
import {
  LANGUAGE_KEY,
  LanguageService,
  supportedLanguage,
} from './core/language.service';
import { AuthService } from './core/auth.service';

@Component({ template: '' })
class Blank {}

const user = (role: 'customer' | 'manager' | 'admin') => ({
  id: '0b7c1f5e-0000-4000-8000-000000000001',
  username: `${role}1`,
  displayName: '王芳',
  role,
  status: 'active' as const,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('App shell', () => {
  beforeEach(async () => {
    localStorage.clear();
    sessionStorage.clear();
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideTestTranslations(),
        provideRouter([{ path: '**', component: Blank }]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    }).compileComponents();
  });

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  async function render() {
    await TestBed.inject(LanguageService).init();
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const text = (testId: string) =>
      el.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim();
    const click = async (selector: string) => {
      el.querySelector<HTMLElement>(selector)?.click();
      await fixture.whenStable();
    };
    return { fixture, el, text, click };
  }

  /** Signs a user in as the login call would (session stored, account known). */
  async function signIn(role: 'customer' | 'manager' | 'admin') {
    const auth = TestBed.inject(AuthService);
    const login = auth.login('x', 'y');
    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/login')
      .flush({
        user: user(role),
        accessToken: 'a',
        refreshToken: 'r',
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshExpiresIn: 86400,
      });
    await login;
  }

  it('shows the Chinese title when Chinese was chosen, and no navigation when signed out', async () => {
    localStorage.setItem(LANGUAGE_KEY, 'zh-CN');
    const { text, el } = await render();
    expect(text('app-title')).toBe('Relationship 客户关系');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(el.querySelectorAll('mat-nav-list a')).toHaveLength(0);
    expect(el.querySelector('[data-testid="sign-out"]')).toBeNull();
  });

  it('switches every shell string to English and back, and remembers the choice', async () => {
    localStorage.setItem(LANGUAGE_KEY, 'zh-CN');
    await signIn('customer');
    const { text, click } = await render();
    expect(text('current-role')).toBe('客户');

    await click('[data-testid="lang-en"] button');
    expect(text('app-title')).toBe('Relationship Customer Relations');
    expect(text('current-role')).toBe('Customer');
    expect(text('sign-out')).toContain('Sign out');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('en');

    await click('[data-testid="lang-zh-CN"] button');
    expect(text('app-title')).toBe('Relationship 客户关系');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('zh-CN');
  });

  it.each([
    ['customer', ['/customer/portrait', '/customer/risk', '/customer/needs', '/customer/consent', '/customer/manager']],
    ['manager', ['/manager', '/manager/book', '/manager/proposals']],
    ['admin', ['/admin']],
  ] as const)('gives a %s their own navigation', async (role, paths) => {
    await signIn(role);
    const { el } = await render();
    const links = [...el.querySelectorAll('mat-nav-list a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(paths);
  });

  it('signs out: revokes the refresh token and forgets the session', async () => {
    await signIn('manager');
    const { click } = await render();
    await click('[data-testid="sign-out"]');
    const logout = TestBed.inject(HttpTestingController).expectOne('/api/auth/logout');
    expect(logout.request.body).toEqual({ refreshToken: 'r' });
    logout.flush(null);
    expect(TestBed.inject(AuthService).signedIn()).toBe(false);
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('starts in the browser language when nothing was chosen', async () => {
    const spy = jest
      .spyOn(navigator, 'languages', 'get')
      .mockReturnValue(['en-GB', 'en']);
    try {
      const { text } = await render();
      expect(text('app-title')).toBe('Relationship Customer Relations');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('supportedLanguage', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['zh', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR', 'zh-CN'],
    [undefined, 'zh-CN'],
  ])('%s -> %s', (tag, expected) => {
    expect(supportedLanguage(tag)).toBe(expected);
  });
});
