import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideTestTranslations } from '../testing/translations';
import { App } from './app';
import {
  LANGUAGE_KEY,
  LanguageService,
  supportedLanguage,
} from './core/language.service';

describe('App shell', () => {
  beforeEach(async () => {
    localStorage.clear();
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideTestTranslations(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    }).compileComponents();
  });

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  async function render() {
    await TestBed.inject(LanguageService).init();
    const fixture = TestBed.createComponent(App);
    fixture.detectChanges();
    // the status card asks for the OpenAPI document on start
    TestBed.inject(HttpTestingController)
      .expectOne('/api/docs-json')
      .flush({ info: { title: 'Relationship API', version: '1' }, paths: {} });
    await fixture.whenStable();
    const title = () =>
      (fixture.nativeElement as HTMLElement)
        .querySelector('[data-testid="app-title"]')
        ?.textContent?.trim();
    const click = async (testId: string) => {
      (fixture.nativeElement as HTMLElement)
        .querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`)
        ?.click();
      await fixture.whenStable();
    };
    return { fixture, title, click };
  }

  it('shows the Chinese title by default (jsdom reports en-US, but a stored choice wins)', async () => {
    localStorage.setItem(LANGUAGE_KEY, 'zh-CN');
    const { title } = await render();
    expect(title()).toBe('Relationship 客户关系');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('switches the title to English and back to Chinese', async () => {
    localStorage.setItem(LANGUAGE_KEY, 'zh-CN');
    const { title, click } = await render();

    await click('lang-en');
    expect(title()).toBe('Relationship Customer Relations');
    expect(document.title).toBe('Relationship Customer Relations');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('en');

    await click('lang-zh-CN');
    expect(title()).toBe('Relationship 客户关系');
    expect(document.title).toBe('Relationship 客户关系');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('zh-CN');
  });

  it('starts in the browser language when nothing was chosen', async () => {
    const spy = jest
      .spyOn(navigator, 'languages', 'get')
      .mockReturnValue(['en-GB', 'en']);
    try {
      const { title } = await render();
      expect(title()).toBe('Relationship Customer Relations');
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
