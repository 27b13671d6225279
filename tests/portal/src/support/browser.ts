import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './system';

export type Lang = 'en' | 'zh-CN';
export const SCREENSHOT_DIR = join(REPO_ROOT, '.local/screenshots/portal');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, launched the way tests/smoke/smoke.mjs does (no browser download). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-gpu'],
  });
}

/** A fresh context (own storage) whose browser language is `lang`, at a laptop's width unless told otherwise. */
export async function newPage(browser: Browser, lang: Lang, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

export async function signIn(page: Page, portal: string, username: string, password: string): Promise<void> {
  await page.goto(`${portal}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
}

/** Waits until no spinner of a data view is left (every view has answered, with data, empty or an error). */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  // generous: on a loaded 2-core machine a fresh system answers its first reads slowly
  await page.waitForFunction(() => !document.querySelector('[data-testid="state-loading"]'), undefined, { timeout: 60_000 });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is; returns the violations, each named with its elements. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')})`);
}

/** Translation keys the page asked for that have no translation (recorded by the portal's missing-key handler). */
export function missingTranslations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __missingTranslations?: string[] }).__missingTranslations ?? []);
}

export async function screenshot(page: Page, lang: Lang, name: string): Promise<string> {
  const dir = join(SCREENSHOT_DIR, lang);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  // the page scrolls inside the sidenav's content, not the document: grow the viewport to show all of it
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.querySelector('mat-sidenav-content')?.scrollHeight ?? 0);
  if (viewport && height + 64 > viewport.height) await page.setViewportSize({ width: viewport.width, height: height + 64 });
  await page.screenshot({ path, fullPage: true });
  if (viewport) await page.setViewportSize(viewport);
  return path;
}

/** Every visible text node of the page's main content and chrome, for comparing languages. */
export function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (!text || !parent || parent.closest('script, style, svg, [data-i18n-skip]')) continue;
      const style = getComputedStyle(parent);
      if (style.visibility === 'hidden' || style.display === 'none' || parent.getClientRects().length === 0) continue;
      texts.push(text);
    }
    return texts;
  });
}
