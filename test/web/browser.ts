import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { TestStack } from '@app/testing';

const ROOT = process.cwd();
const WEB = join(ROOT, 'apps/web');
const INDEX = join(WEB, 'dist/index.html');
const LOCK = join(ROOT, '.data/web-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  return existsSync(INDEX) && statSync(INDEX).mtimeMs >= newestSource(WEB);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds apps/web into apps/web/dist when the build is missing or older than its sources, so the
 * API the tests boot serves the current pages. Test files run in parallel workers: a lock
 * directory makes one of them build while the others wait for it.
 */
export function ensureWebBuild(): void {
  if (isFresh()) return;
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  for (let tries = 0; tries < 600; tries += 1) {
    try {
      mkdirSync(LOCK);
    } catch {
      // Another worker builds; a lock older than two minutes is left from a crashed run.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      sleep(200);
      if (isFresh()) return;
      continue;
    }
    try {
      if (!isFresh()) {
        execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(WEB, 'vite.config.mts'), '--logLevel', 'warn'], {
          cwd: ROOT,
          stdio: 'inherit',
          env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
        });
      }
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  throw new Error('the web build did not finish in time');
}

/** Debian's Chromium, headless; never a downloaded browser. `extraArgs` are added to its command line. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/**
 * The redemption form from its amount step on: `minutes`, then tomorrow (China's date) at 10:00,
 * each step continued, which leads to the check step.
 */
export async function redeemTomorrowAtTen(page: Page, minutes: string): Promise<void> {
  await page.getByLabel('要用多少分钟？').fill(minutes);
  await page.getByRole('button', { name: '继续' }).click();
  const tomorrow = new Date(Date.now() + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  await page.getByLabel('日期').fill(tomorrow);
  await page.getByLabel('几点').fill('10:00');
  await page.getByRole('button', { name: '继续' }).click();
}

/** Closes what a browser test opened, in the order given, skipping what was never opened. */
export async function closeInOrder(...opened: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const item of opened) await item?.close();
}

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

/** A browser context on the stack's origin (or `origin`, another name for it); with a token, the pages open already signed in. */
export async function openContext(
  browser: Browser,
  stack: TestStack,
  options: { token?: string; viewport?: { width: number; height: number }; lang?: 'en'; origin?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: options.origin ?? stack.baseUrl,
    viewport: options.viewport ?? PHONE,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  // Only on the first load of each tab, so signing out inside a test stays signed out. A string,
  // because it runs in the page and the server tsconfig has no DOM types.
  await context.addInitScript(`(() => {
    if (sessionStorage.getItem('test.init')) return;
    sessionStorage.setItem('test.init', '1');
    const token = ${JSON.stringify(options.token ?? '')};
    const lang = ${JSON.stringify(options.lang ?? '')};
    if (token) localStorage.setItem('eldercare.token', token);
    if (lang) localStorage.setItem('eldercare.lang', lang);
  })()`);
  context.setDefaultTimeout(15_000);
  return context;
}

/** Waits until the app has rendered a page: a heading in <main> other than the loading one. */
export async function settled(page: Page): Promise<void> {
  // Runs in the page; typed by hand because the server tsconfig has no DOM types, and not a
  // string because the pages' Content-Security-Policy forbids eval.
  await page.waitForFunction(() => {
    interface Node {
      textContent: string | null;
      querySelector(selector: string): Node | null;
    }
    const main = (globalThis as unknown as { document: Node }).document.querySelector('main');
    return !!main && !(main.textContent ?? '').includes('正在打开') && !!main.querySelector('h1');
  });
}

export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await settled(page);
}

export interface AxeProblem {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** axe-core's browser build, read once per test file and evaluated in each page that is checked. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe's options: the WCAG 2.0/2.1/2.2 A and AA rules, with full details of violations only. */
const AXE_OPTIONS = JSON.stringify({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });

/**
 * axe-core with the WCAG 2.0/2.1/2.2 A and AA rules; returns the violations in a readable form.
 * axe is evaluated once in the page and in each of its frames (the counter's printable card is a
 * `srcdoc` frame, and it is checked; every frame here is of the page's origin), then `axe.run`
 * checks the document and its frames. Evaluating axe is most of a check's cost, so a frame that
 * already holds it is not given a second copy. The violations are put in their readable form in
 * the page, so only they cross back to the test.
 */
export async function axeViolations(page: Page): Promise<AxeProblem[]> {
  for (const frame of page.frames()) {
    if (!(await frame.evaluate<boolean>('typeof window.axe?.run === "function"'))) await frame.evaluate(AXE_SOURCE);
  }
  return page.evaluate<AxeProblem[]>(`axe.run(document, ${AXE_OPTIONS}).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`);
}

/**
 * Polls until the element's text contains `expected` (playwright-core has no test matchers);
 * fails with the text it last saw, so a wrong message is shown in the failure.
 */
export async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      last = (await locator.first().innerText({ timeout: 1000 })).replace(/\s+/g, ' ').trim();
      if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    } catch {
      // Not on the page yet.
    }
    if (Date.now() > deadline) throw new Error(`expected ${String(expected)} in ${locator.toString()}, last saw: "${last}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The error summary's lines once it shows (after a form was sent with something wrong). */
export async function errorsShown(page: Page): Promise<string[]> {
  await page.locator('#error-summary').waitFor();
  return page.locator('#error-summary li').allInnerTexts();
}

export async function heading(page: Page): Promise<string> {
  return (await page.locator('main h1').first().innerText()).trim();
}
