import { TestBed } from '@angular/core/testing';
import { setPlatformAPI } from 'echarts/core';
import { provideTestTranslations } from '../../testing/translations';
import { DemoBarChart } from './demo-bar-chart';

describe('DemoBarChart', () => {
  // the first run transforms echarts and zrender (hundreds of ES modules) for jest: allow for a cold cache
  jest.setTimeout(60_000);

  beforeAll(async () => {
    // load the lazy echarts chunk up front, so the test's own wait covers rendering only
    await import('./echarts-bar');
    // jsdom has no layout and no canvas: give the chart a size and echarts a text measure
    jest.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(640);
    jest.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(320);
    setPlatformAPI({
      measureText: (text = '') => ({ width: text.length * 7 }),
    });
  });

  afterAll(() => jest.restoreAllMocks());

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [DemoBarChart],
      providers: [provideTestTranslations('en')],
    }).compileComponents();
  });

  it('renders an echarts SVG bar chart labelled as demo data', async () => {
    const fixture = TestBed.createComponent(DemoBarChart);
    await fixture.whenStable();
    const host = (
      fixture.nativeElement as HTMLElement
    ).querySelector<HTMLElement>('[data-testid="demo-chart"]');
    expect(host).not.toBeNull();
    // echarts is imported lazily (its own chunk in the build): wait until it has drawn
    const svg = await waitFor(() => host?.querySelector('svg') ?? null);
    expect(svg.querySelectorAll('path').length).toBeGreaterThan(0);
    expect(svg.textContent).toContain('Demo data');
    expect(svg.textContent).toContain('Private banking');
    expect(
      (fixture.nativeElement as HTMLElement).querySelector(
        '[data-testid="demo-badge"]',
      )?.textContent,
    ).toContain('Demo data');
    fixture.destroy();
  });
});

async function waitFor<T>(probe: () => T | null, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error('timed out waiting for the chart');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
