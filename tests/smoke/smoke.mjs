/**
 * The smoke check: what a new user does first, against the system `make up` started, through the portal's origin
 * (the portal proxies /api to the gateway). Run it by hand after `make up` with `make smoke`; CI runs it before
 * the tests.
 *   node tests/smoke/smoke.mjs [--portal=http://127.0.0.1:4200] [--customer=customer1] [--wait-s=90]
 *
 * 1. admin, a customer and a manager sign in;
 * 2. the customer reads their portrait and their assigned manager, whose explanation adds up to the score;
 * 3. a manager's book (and the customer's manager's, when it is a demo login) is the same in profiles and matching;
 * 4. headless Chromium loads the start page and the sign-in form renders (screenshot in .local/log/smoke/).
 * Exit code 0 when every check holds; otherwise 1, naming the check that failed.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    portal: { type: 'string', default: 'http://127.0.0.1:4200' },
    customer: { type: 'string', default: 'customer1' },
    'wait-s': { type: 'string', default: '90' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const portal = values.portal.replace(/\/$/, '');
const waitMs = Number(values['wait-s']) * 1000;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const screenshotDir = join(repoRoot, '.local/log/smoke');
const DEMO_PASSWORD = '123456';
const DEMO_MANAGERS = ['manager1', 'manager2', 'manager3', 'manager4', 'manager5'];

const started = Date.now();
let passed = 0;

function ok(message) {
  passed += 1;
  console.log(`[smoke] ok   ${message}`);
}

class SmokeFailure extends Error {}
function fail(message) {
  throw new SmokeFailure(message);
}

async function api(method, path, token, body, headers = {}) {
  let response;
  try {
    response = await fetch(`${portal}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    fail(`${method} ${portal}/api${path}: ${error.cause?.code ?? error.message} (is the system up? run make up)`);
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json, text, etag: response.headers.get('etag') };
}

async function signIn(username, password, role) {
  const r = await api('POST', '/auth/login', undefined, { username, password });
  if (r.status !== 200 && r.status !== 201) fail(`${role} ${username} cannot sign in: ${r.status} ${r.text.slice(0, 200)}`);
  const me = await api('GET', '/auth/me', r.body.accessToken);
  if (me.status !== 200 || me.body.role !== role) fail(`${username}: /auth/me answered ${me.status} ${me.text.slice(0, 200)}, expected role ${role}`);
  ok(`${role} ${username} signed in through ${portal}`);
  return { token: r.body.accessToken, userId: me.body.id };
}

async function until(what, probe) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) fail(`timed out after ${waitMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function checkApi() {
  const admin = await signIn('admin', 'admin123', 'admin');
  const customer = await signIn(values.customer, DEMO_PASSWORD, 'customer');
  const managers = [];
  for (const username of DEMO_MANAGERS) managers.push({ username, ...(await signIn(username, DEMO_PASSWORD, 'manager')) });

  const portrait = await api('GET', '/profiles/me', customer.token);
  if (portrait.status !== 200 || !portrait.body?.id) fail(`the customer's portrait: GET /profiles/me answered ${portrait.status} ${portrait.text.slice(0, 200)}`);
  if (!portrait.body.segment || !portrait.body.riskLevel) fail(`the customer's portrait has no derived segment or risk level: ${portrait.text.slice(0, 300)}`);
  ok(`the customer reads their portrait (segment ${portrait.body.segment}, risk ${portrait.body.riskLevel}, ${portrait.body.tags?.length ?? 0} tags)`);

  // Optimistic concurrency through the portal and the gateway: the read carries ETag "<version>", and a write based
  // on another version is refused with 412 (nothing changes).
  if (portrait.etag !== `"${portrait.body.version}"`) fail(`GET /profiles/me: ETag ${portrait.etag} is not the portrait's version ${portrait.body.version}`);
  const stale = await api('PATCH', '/profiles/me', customer.token, { interests: portrait.body.interests }, { 'if-match': `"${portrait.body.version + 1000}"` });
  if (stale.status !== 412) fail(`PATCH /profiles/me with a stale If-Match answered ${stale.status}, not 412: ${stale.text.slice(0, 200)}`);
  ok(`the portrait's ETag is its version, and a stale If-Match gets 412`);

  const assignment = await until('the customer to have a manager (GET /matching/me/assignment)', async () => {
    const r = await api('GET', '/matching/me/assignment', customer.token);
    return r.status === 200 && r.body?.managerId ? r.body : undefined;
  });
  const contributions = assignment.explanation?.contributions ?? [];
  const explained = contributions.reduce((sum, c) => sum + c.points, 0);
  if (!contributions.length || Math.abs(explained - assignment.score) > 0.011) {
    fail(`the assignment's explanation does not add up to its score ${assignment.score}: ${JSON.stringify(assignment.explanation)}`);
  }
  const manager = await api('GET', `/managers/${assignment.managerId}`, admin.token);
  if (manager.status !== 200) fail(`the assigned manager ${assignment.managerId}: GET /managers/:id answered ${manager.status}`);
  ok(`the customer sees their manager ${manager.body.displayName} (${assignment.state}, score ${assignment.score} = ${contributions.length} factors)`);

  // The customer's manager, when it is one of the demo logins, has the customer in their book.
  const assigned = managers.find((m) => m.userId === manager.body.userId);
  if (assigned) {
    await until(`${assigned.username}'s book to list the customer (GET /profiles)`, async () => {
      const r = await api('GET', '/profiles?pageSize=100', assigned.token);
      return r.status === 200 && r.body.items.some((p) => p.id === portrait.body.id) ? true : undefined;
    });
    ok(`${assigned.username}, the customer's manager, has them in their book`);
  }

  // A manager's book: profiles and matching agree on it, and the manager reads those portraits (masked contact data).
  const first = managers[0];
  const book = await until(`${first.username}'s book (GET /profiles) to list customers`, async () => {
    const r = await api('GET', '/profiles?pageSize=100', first.token);
    if (r.status !== 200) fail(`${first.username}'s book: GET /profiles answered ${r.status} ${r.text.slice(0, 200)}`);
    return r.body.total > 0 ? r.body : undefined;
  });
  const matchingBook = await api('GET', '/matching/assignments?pageSize=100', first.token);
  if (matchingBook.status !== 200) fail(`${first.username}'s assignments: GET /matching/assignments answered ${matchingBook.status}`);
  const inMatching = new Set(matchingBook.body.items.map((a) => a.customerId));
  const missing = book.items.filter((p) => !inMatching.has(p.id));
  if (missing.length) fail(`${first.username}'s book in profiles lists ${missing.length} customers matching does not assign to them`);
  const read = await api('GET', `/profiles/${book.items[0].id}`, first.token);
  if (read.status !== 200) fail(`${first.username} cannot read a portrait in their own book: ${read.status}`);
  ok(`${first.username}'s book lists ${book.total} customers, the same in profiles and matching`);

  const outsiders = managers.filter((m) => m.userId !== manager.body.userId);
  for (const other of outsiders) {
    const r = await api('GET', `/profiles/${portrait.body.id}`, other.token);
    if (r.status === 200) fail(`${other.username} reads a customer outside their book`);
  }
  ok(`${outsiders.length} other managers cannot read the customer's portrait`);
}

async function checkPortal() {
  mkdirSync(screenshotDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: values.chromium,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(`${portal}/`, { waitUntil: 'networkidle' });
    if (!response || response.status() !== 200) fail(`the portal's start page answered ${response?.status()}`);
    const form = page.locator('form:has(#username):has(#password)');
    try {
      await form.waitFor({ state: 'visible', timeout: 15_000 });
    } catch {
      await page.screenshot({ path: join(screenshotDir, 'portal-start-failed.png'), fullPage: true });
      fail(`the portal's start page shows no sign-in form (screenshot: .local/log/smoke/portal-start-failed.png; page errors: ${errors.join('; ') || 'none'})`);
    }
    const heading = (await page.locator('#login-heading').textContent())?.trim();
    if (!heading || heading.startsWith('login.')) fail(`the sign-in heading is not translated: "${heading}"`);
    if (errors.length) fail(`the portal threw in the browser: ${errors.join('; ')}`);
    await page.screenshot({ path: join(screenshotDir, 'portal-start.png'), fullPage: true });
    ok(`Chromium rendered the sign-in form at ${page.url()} ("${heading}"; screenshot .local/log/smoke/portal-start.png)`);
  } finally {
    await browser.close();
  }
}

try {
  await checkApi();
  await checkPortal();
  console.log(`[smoke] passed: ${passed} checks in ${((Date.now() - started) / 1000).toFixed(1)}s`);
} catch (error) {
  console.error(`[smoke] FAILED: ${error instanceof SmokeFailure ? error.message : error.stack}`);
  process.exitCode = 1;
}
