import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import ts from 'typescript';
import {
  axeViolations,
  launchBrowser,
  missingTranslations,
  newPage,
  screenshot,
  settled,
  signIn,
  visibleTexts,
  type Lang,
} from './support/browser';
import { REPO_ROOT, startSystem, type System } from './support/system';

/**
 * The portal in Debian's Chromium against a whole running system: sign-in per role, the customer's and the
 * manager's journeys, the language switch, axe-core on every page, and the API types against the live document.
 * Screenshots of every main page in both languages go to .local/screenshots/portal/<lang>/.
 */
const DEMO_PASSWORD = '123456';
const DEMO_MANAGERS = [
  'manager1',
  'manager2',
  'manager3',
  'manager4',
  'manager5',
];
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 4)}`;
const newCustomer = {
  username: `web.${run}`,
  password: `Passw0rd-${run}`,
  displayName: '测试 Web 客户',
};

let system: System;
let browser: Browser;

beforeAll(async () => {
  system = await startSystem();
  browser = await launchBrowser();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
}, 60_000);

async function api<T>(
  path: string,
  token?: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${system.portal}/api${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

async function tokenOf(username: string, password: string): Promise<string> {
  const { status, body } = await api<{ accessToken: string }>(
    '/auth/login',
    undefined,
    {
      method: 'POST',
      body: JSON.stringify({ username, password }),
    },
  );
  if (status !== 200 && status !== 201)
    throw new Error(`${username} cannot sign in: ${status}`);
  return body.accessToken;
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits for the snackbar's confirmation, then closes it (its copy for screen readers is mid-move while shown). */
async function confirmSnackbar(page: Page): Promise<string> {
  const snackbar = page.locator('mat-snack-bar-container');
  await snackbar.waitFor();
  const text = (await snackbar.textContent()) ?? '';
  await snackbar.locator('button').click();
  await snackbar.waitFor({ state: 'detached' });
  return text;
}

/** Checks a settled page: no axe violation, no missing translation, no page error; then screenshots it. */
async function checkPage(
  page: Page,
  errors: string[],
  lang: Lang,
  name: string,
): Promise<void> {
  await settled(page);
  expect(await axeViolations(page)).toEqual([]);
  expect(await missingTranslations(page)).toEqual([]);
  expect(errors).toEqual([]);
  await screenshot(page, lang, name);
}

async function switchLanguage(page: Page, lang: Lang): Promise<void> {
  await page.getByTestId(`lang-${lang}`).locator('button').click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await settled(page);
}

/** The property names of an interface of the portal's source (so the test reads the types, never a copy). */
function interfaceMembers(file: string, name: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
  );
  const found = source.statements.find(
    (s): s is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (!found) throw new Error(`${name} is not declared in ${file}`);
  return found.members.map((m) => (m.name as ts.Identifier).text).sort();
}

describe('the API types', () => {
  // UPDATE_API_TYPES=1 regenerates the file from this system's document instead of checking it
  it("are generated from the gateway's current OpenAPI document", async () => {
    const update = process.env['UPDATE_API_TYPES'] === '1';
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(REPO_ROOT, 'frontend/portal/tools/api-types.mjs'),
        ...(update ? [] : ['--check']),
        `--gateway=${system.gateway}`,
      ],
      { cwd: REPO_ROOT },
    );
    expect(stdout).toContain(update ? 'wrote' : 'up to date');
  });

  it("match the answers of matching's undocumented views", async () => {
    const types = join(
      REPO_ROOT,
      'frontend/portal/src/app/core/matching-types.ts',
    );
    const admin = await tokenOf('admin', 'admin123');
    const { body: page } = await eventually(
      'an assignment with its explanation',
      async () => {
        const r = await api<{ items: Record<string, unknown>[] }>(
          '/matching/assignments?pageSize=5',
          admin,
        );
        return r.body.items.some((a) => a['explanation']) ? r : undefined;
      },
    );
    const assignment = page.items.find((a) => a['explanation']) as Record<
      string,
      unknown
    >;
    expect(Object.keys(assignment).sort()).toEqual(
      interfaceMembers(types, 'AssignmentView'),
    );
    expect(Object.keys(assignment['explanation'] as object).sort()).toEqual(
      interfaceMembers(types, 'Explanation'),
    );
    const history = await api<{ items: Record<string, unknown>[] }>(
      `/matching/history?customerId=${assignment['customerId']}`,
      admin,
    );
    expect(Object.keys(history.body.items[0]).sort()).toEqual(
      interfaceMembers(types, 'HistoryEntryView'),
    );
    const questionnaire = await api<Record<string, unknown>>(
      '/profiles/risk-questionnaire',
      await tokenOf('customer1', DEMO_PASSWORD),
    );
    expect(Object.keys(questionnaire.body).sort()).toEqual(
      interfaceMembers(types, 'RiskQuestionnaire'),
    );
  });
});

describe('sign-in', () => {
  it.each([
    ['admin', 'admin123', '/admin', 'admin-home'],
    ['customer1', DEMO_PASSWORD, '/customer/portrait', 'portrait'],
    ['manager1', DEMO_PASSWORD, '/manager', 'manager-home'],
  ])(
    '%s lands on their own workspace',
    async (username, password, home, name) => {
      const { context, page, errors } = await newPage(browser, 'en');
      await page.goto(`${system.portal}/login`);
      // the sign-in form in English for an English browser (as make smoke checks)
      await page.locator('#login-heading', { hasText: 'Sign in' }).waitFor();
      await checkPage(page, errors, 'en', 'login');
      await signIn(page, system.portal, username, password);
      expect(new URL(page.url()).pathname).toBe(home);
      await checkPage(page, errors, 'en', name);
      // another role's pages send them back to their own
      await page.goto(
        `${system.portal}${home === '/manager' ? '/customer/portrait' : '/manager/book'}`,
      );
      await page.waitForURL((url) => url.pathname.startsWith(home));
      await context.close();
    },
  );

  it('shows a wrong password in plain words, and a field the API names at that field', async () => {
    const { context, page } = await newPage(browser, 'en');
    await page.goto(`${system.portal}/login`);
    await page.locator('#username').fill('customer1');
    await page.locator('#password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expectText(page, 'login-error', 'Wrong username or password.');

    await page.goto(`${system.portal}/register`);
    await page.locator('#reg-username').fill('A B');
    await page.locator('#reg-password').fill('x');
    await page.locator('#reg-displayName').fill('Someone');
    await page.getByTestId('register-submit').click();
    await expectText(page, 'error-username', 'username');
    await context.close();
  });

  it('after the session really ends, sends the user to sign-in and back to the page they were on', async () => {
    const { context, page } = await newPage(browser, 'en');
    await signIn(page, system.portal, 'customer1', DEMO_PASSWORD);
    // both tokens revoked or garbled: the refresh fails as well
    await page.evaluate(() =>
      sessionStorage.setItem(
        'relationship.portal.session',
        JSON.stringify({
          accessToken: 'x',
          refreshToken: 'y',
          expiresAt: Date.now() + 600_000,
        }),
      ),
    );
    await page.goto(`${system.portal}/customer/needs`);
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('returnUrl')).toBe(
      '/customer/needs',
    );
    await page.locator('#username').fill('customer1');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/customer/needs');
    await context.close();
  });
});

async function expectText(
  page: Page,
  testId: string,
  text: string,
): Promise<void> {
  const locator = page.getByTestId(testId);
  await locator.waitFor({ timeout: 15_000 });
  expect(await locator.textContent()).toContain(text);
}

describe("the customer's journey", () => {
  it('a new customer registers, answers the questionnaire, adds interests and sees a manager with the explanation', async () => {
    const { context, page, errors } = await newPage(browser, 'en');
    await page.goto(`${system.portal}/register`);
    await checkPage(page, errors, 'en', 'register');
    await page.locator('#reg-username').fill(newCustomer.username);
    await page.locator('#reg-password').fill(newCustomer.password);
    await page.locator('#reg-displayName').fill(newCustomer.displayName);
    await page
      .locator('#reg-email')
      .fill(`${newCustomer.username}@example.com`);
    await page.getByTestId('register-submit').click();
    await page.waitForURL((url) => url.pathname === '/customer/risk', {
      timeout: 20_000,
    });
    await expect(
      page.getByTestId('current-user').textContent(),
    ).resolves.toContain(newCustomer.displayName);

    // the portrait appears once profiles has consumed the registration
    await eventually('the new portrait', async () => {
      await page.reload();
      await settled(page);
      return (await page.getByTestId('risk-form').count()) &&
        (await page.getByTestId('risk-none').count())
        ? true
        : undefined;
    });
    for (let i = 0; i < 10; i++)
      await page
        .getByTestId(`question-${i}`)
        .locator('mat-radio-button')
        .nth(2)
        .click();
    await page.getByTestId('risk-submit').click();
    expect(await confirmSnackbar(page)).toContain('Your risk level');
    await page.getByTestId('risk-level').waitFor();
    expect(await page.getByTestId('risk-level').textContent()).toMatch(
      /^C[1-5]$/,
    );
    expect(
      (await page.getByTestId('risk-meaning').textContent())?.length,
    ).toBeGreaterThan(20);
    await checkPage(page, errors, 'en', 'risk');

    await page.getByTestId('nav-/customer/needs').click();
    await settled(page);
    await page.getByTestId('need-retirement').click();
    await page.getByTestId('need-wealth_management').click();
    await page.getByTestId('interest-input').fill('golf');
    await page.getByTestId('interest-input').press('Enter');
    await page.getByTestId('interest-input').fill('tea');
    await page.getByTestId('interest-input').press('Enter');
    await page.getByTestId('save-needs').click();
    expect(await confirmSnackbar(page)).toContain('Saved.');
    expect(await page.getByTestId('interests').textContent()).toContain('Golf');
    await checkPage(page, errors, 'en', 'needs');

    await page.getByTestId('nav-/customer/consent').click();
    await checkPage(page, errors, 'en', 'consent');
    await page.getByTestId('nav-/customer/portrait').click();
    await checkPage(page, errors, 'en', 'portrait');

    await page.getByTestId('nav-/customer/manager').click();
    await eventually(
      'a manager for the new customer',
      async () => {
        await settled(page);
        if (await page.getByTestId('my-manager').count()) return true;
        await page.reload();
        return undefined;
      },
      90_000,
    );
    expect(
      await page.getByTestId('match-reasons').locator('li').count(),
    ).toBeGreaterThan(0);
    await page.getByTestId('factor-chart').locator('svg').waitFor();
    await checkPage(page, errors, 'en', 'my-manager');

    // the same pages in Chinese
    await switchLanguage(page, 'zh-CN');
    for (const [path, name] of [
      ['/customer/manager', 'my-manager'],
      ['/customer/portrait', 'portrait'],
      ['/customer/risk', 'risk'],
      ['/customer/needs', 'needs'],
      ['/customer/consent', 'consent'],
    ]) {
      await page.getByTestId(`nav-${path}`).click();
      await page.waitForURL((url) => url.pathname === path);
      await checkPage(page, errors, 'zh-CN', name);
    }
    await context.close();
  });
});

/**
 * A demo manager with a proposal waiting; when matching proposed none to a demo login, an admin moves a demo
 * customer to manager1 (a manual reassignment is a proposal the manager accepts or declines).
 */
async function managerWithProposal(): Promise<string> {
  for (const name of DEMO_MANAGERS) {
    const r = await api<{ total: number }>(
      '/matching/assignments?state=proposed&pageSize=1',
      await tokenOf(name, DEMO_PASSWORD),
    );
    if (r.body.total > 0) return name;
  }
  const admin = await tokenOf('admin', 'admin123');
  const manager = await api<{ id: string }>(
    '/managers/me',
    await tokenOf('manager1', DEMO_PASSWORD),
  );
  const refusals: string[] = [];
  for (let i = 1; i <= 20; i++) {
    const customer = await api<{ id: string }>(
      '/profiles/me',
      await tokenOf(`customer${i}`, DEMO_PASSWORD),
    );
    if (customer.status !== 200) continue;
    const current = await api<{ managerId: string | null; version: number }>(
      `/matching/customers/${customer.body.id}/assignment`,
      admin,
    );
    if (current.body?.managerId === manager.body.id) continue;
    const moved = await api<{ message?: string }>(
      `/matching/customers/${customer.body.id}/reassign`,
      admin,
      {
        method: 'POST',
        body: JSON.stringify({
          managerId: manager.body.id,
          reason: 'portal browser suite: a proposal to accept',
          ...(current.status === 200
            ? { expectedVersion: current.body.version }
            : {}),
        }),
      },
    );
    if (moved.status === 200 || moved.status === 201) return 'manager1';
    refusals.push(
      `customer${i}: ${current.status}/${moved.status} ${moved.body?.message ?? ''}`,
    );
  }
  throw new Error(
    `no demo manager has a proposal, and no demo customer could be moved to manager1: ${refusals.join('; ')}`,
  );
}

describe("the manager's journey", () => {
  it("a manager accepts a proposal and opens that customer's portrait: masked PII, the radar and the timeline", async () => {
    const username = await managerWithProposal();
    const { context, page, errors } = await newPage(browser, 'en');
    await signIn(page, system.portal, username, DEMO_PASSWORD);
    await checkPage(page, errors, 'en', 'manager-home');
    await page.getByTestId('nav-/manager/proposals').click();
    await page.getByTestId('proposal').first().waitFor();
    await page
      .getByTestId('proposal-customer')
      .first()
      .filter({ hasNotText: 'Loading' })
      .waitFor();
    await checkPage(page, errors, 'en', 'proposals');
    const before = await page.getByTestId('proposal').count();
    const customerName =
      (
        await page.getByTestId('proposal-customer').first().textContent()
      )?.trim() ?? '';
    await page.getByTestId('proposal-accept').first().click();
    expect(await confirmSnackbar(page)).toContain('Accepted');
    await eventually('the accepted proposal to leave the list', async () =>
      (await page.getByTestId('proposal').count()) < before ? true : undefined,
    );

    await page.getByTestId('nav-/manager/book').click();
    await settled(page);
    await page.getByTestId('filter-name').fill(customerName);
    await page.getByTestId('filter-apply').click();
    await settled(page);
    await checkPage(page, errors, 'en', 'book');
    await page
      .getByTestId('book-row-link')
      .filter({ hasText: customerName })
      .first()
      .click();
    await page.getByTestId('customer-name').waitFor();
    await settled(page);
    expect(await page.getByTestId('pii-masked').count()).toBe(1);
    expect(await page.getByTestId('customer-phone').textContent()).toMatch(
      /\*{4}|—/,
    );
    await page.getByTestId('portrait-radar').locator('svg').waitFor();
    await page.getByTestId('factor-chart').locator('svg').waitFor();
    await eventually('the acceptance in the timeline', async () => {
      const entries = await page
        .getByTestId('timeline-entry')
        .allTextContents();
      if (entries.some((e) => e.includes('Accepted by the manager')))
        return true;
      await page.reload();
      await settled(page);
      return undefined;
    });
    await checkPage(page, errors, 'en', 'customer-portrait');

    await switchLanguage(page, 'zh-CN');
    await checkPage(page, errors, 'zh-CN', 'customer-portrait');
    for (const [path, name] of [
      ['/manager', 'manager-home'],
      ['/manager/book', 'book'],
      ['/manager/proposals', 'proposals'],
    ]) {
      await page.getByTestId(`nav-${path}`).click();
      await page.waitForURL((url) => url.pathname === path);
      await checkPage(page, errors, 'zh-CN', name);
    }
    // a tablet: the navigation slides over the page
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-/manager/book').click();
    await checkPage(page, errors, 'zh-CN', 'book-tablet');
    await context.close();
  });
});

describe('the language switch', () => {
  const CJK = /[\u4e00-\u9fff]/;

  it.each([
    ['customer1', '/customer/portrait'],
    ['customer1', '/customer/consent'],
    ['manager1', '/manager/book'],
  ])(
    'changes every visible string of %s at %s, and is remembered',
    async (username, path) => {
      const { context, page } = await newPage(browser, 'zh-CN');
      await signIn(page, system.portal, username, DEMO_PASSWORD);
      await page.goto(`${system.portal}${path}`);
      await settled(page);
      const zh = await visibleTexts(page);
      await switchLanguage(page, 'en');
      const en = await visibleTexts(page);
      // the interface's own strings: everything but data (names, cities, codes and numbers stay as they are)
      const data = new Set(zh.filter((t) => en.includes(t)));
      const uiZh = zh.filter((t) => !data.has(t));
      expect(uiZh.length).toBeGreaterThan(10);
      // no Chinese interface string survives the switch except data that both languages show
      expect(en.filter((t) => CJK.test(t) && !data.has(t))).toEqual([]);
      // and what stayed the same is data, not untranslated chrome: no Chinese-only words among the labels
      expect(
        [...data].filter((t) => /^(登录|保存|我的|客户|筛选)/.test(t)),
      ).toEqual([]);
      expect(await missingTranslations(page)).toEqual([]);
      await page.reload();
      await settled(page);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(
        'en',
      );
      await context.close();
    },
  );
});
