import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideTestTranslations } from '../../testing/translations';
import { ApiStatusCard } from './api-status-card';

describe('ApiStatusCard', () => {
  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [ApiStatusCard],
      providers: [
        provideTestTranslations('en'),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    }).compileComponents();
  });

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  function render() {
    const fixture = TestBed.createComponent(ApiStatusCard);
    fixture.detectChanges();
    const text = (id: string) =>
      (fixture.nativeElement as HTMLElement)
        .querySelector(`[data-testid="${id}"]`)
        ?.textContent?.replace(/\s+/g, ' ')
        .trim();
    return { fixture, text, http: TestBed.inject(HttpTestingController) };
  }

  it('shows the resolved API base URL and that /api/docs-json answered', async () => {
    const { fixture, text, http } = render();
    expect(text('api-base-url')).toBe('http://localhost/api');
    expect(text('api-docs-state')).toContain('Checking');
    http.expectOne('/api/docs-json').flush({
      info: { title: 'Relationship API', version: '0.1.0' },
      paths: { '/a': {}, '/b': {} },
    });
    await fixture.whenStable();
    expect(text('api-docs-state')).toContain('Answering');
    expect(text('api-docs-state')).toContain('Relationship API 0.1.0, 2 paths');
  });

  it('shows the HTTP status when the gateway answers with an error, and checks again on demand', async () => {
    const { fixture, text, http } = render();
    http.expectOne('/api/docs-json').flush(
      {
        statusCode: 502,
        error: 'Bad Gateway',
        message: 'down',
        requestId: 'r',
      },
      { status: 502, statusText: 'Bad Gateway' },
    );
    await fixture.whenStable();
    expect(text('api-docs-state')).toContain('Not answering');
    expect(text('api-docs-state')).toContain('HTTP 502');

    (fixture.nativeElement as HTMLElement)
      .querySelector<HTMLButtonElement>('button')
      ?.click();
    http.expectOne('/api/docs-json').error(new ProgressEvent('error'));
    await fixture.whenStable();
    expect(text('api-docs-state')).toContain('The server could not be reached');
  });
});
