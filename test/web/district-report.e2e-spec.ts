/**
 * Proves the administrator's printable district report: the page shows the API's figures with
 * charts that carry their own text labels, passes axe and the staff sizes (text ≥ 16 px, targets
 * ≥ 24 px), fetches the workbook with the token, tells at its field what is wrong with a period, and prints as A4 pages with
 * one section per page and no navigation. With WEB_SCREENSHOTS set it saves the page and its
 * print view to docs/screenshots.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { http, type TestStack } from '@app/testing';
import { axeViolations, closeInOrder, DESKTOP, openContext, visit, waitForText } from './browser';
import { earnMinutes, startWorld, type World } from './web-fixtures';

/** Runs in the page (plain JavaScript): text under 16 px, targets under 24 px, sideways scrolling. */
const STAFF_SIZES = `(() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1 && !el.closest('.skip-link'); };
  const smallText = [];
  for (const el of document.querySelectorAll('main *')) {
    const hasText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent || '').trim() !== '');
    if (hasText && visible(el) && parseFloat(getComputedStyle(el).fontSize) < 16) smallText.push(el.tagName + ' ' + (el.textContent || '').trim().slice(0, 20));
  }
  const smallTargets = Array.from(document.querySelectorAll('main a[href], main button, main input')).filter(visible)
    .map((el) => [el, el.getBoundingClientRect()]).filter(([, r]) => r.width < 24 || r.height < 24).map(([el]) => (el.textContent || el.id).trim());
  return { smallText, smallTargets, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
})()`;

describe('web: the district report', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;
  let context: BrowserContext;
  let page: Page;
  const shots = process.env.WEB_SCREENSHOTS ? `${process.cwd()}/docs/screenshots` : undefined;

  beforeAll(async () => {
    ({ stack, world, browser } = await startWorld());
    await earnMinutes(stack, world.volunteer, world.senior, 180);
    await http(stack)
      .post(`/api/v1/care-centres/${world.centreId}/check-ins`)
      .set(world.centreManager.auth)
      .send({ seniorId: world.senior.user.id })
      .expect(201);
    context = await openContext(browser, stack, { token: world.admin.token, viewport: DESKTOP });
    page = await context.newPage();
    if (shots) mkdirSync(shots, { recursive: true });
  }, 180_000);

  afterAll(async () => closeInOrder(context, browser, stack));

  it('shows the figures of the API for the current month, with labelled charts, and passes axe and the staff sizes', async () => {
    const report = (await http(stack).get('/api/v1/reports/district').set(world.admin.auth).expect(200)).body;
    await visit(page, '/admin');
    await page.locator('#to-report').click();
    await waitForText(page.locator('#report-period-line'), '统计期间');
    expect(new URL(page.url()).pathname).toBe('/admin/report');
    expect(await page.locator('#report-occupied').innerText()).toBe(String(report.beds.district.occupiedAtEnd));
    expect(await page.locator('#report-earned').innerText()).toBe('3小时');
    expect(report.timeBank.earnedMinutes).toBe(180);
    // Each chart names its bars and writes their values in text, not only in colour or length.
    for (const facility of report.beds.facilities as { name: string }[]) {
      expect(await page.locator('#chart-beds text').allTextContents()).toContain(facility.name);
    }
    expect(await page.locator('#chart-care text').allTextContents()).toEqual(expect.arrayContaining(['助餐', '助乐']));
    expect(await page.locator('#chart-bank text').allTextContents()).toEqual(expect.arrayContaining(['志愿服务存入', '3小时']));
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(STAFF_SIZES)).toEqual({ smallText: [], smallTargets: [], overflow: 0 });
    if (shots) await page.screenshot({ path: `${shots}/district-report-desktop.png`, fullPage: true });
  }, 60_000);

  it('prints as A4 pages without navigation, one section to a page', async () => {
    await visit(page, '/admin/report');
    await waitForText(page.locator('#report-period-line'), '统计期间');
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(
      `['#site-header', '#report-period', '#report-print', '.back-link'].map((s) => document.querySelector(s).getClientRects().length)`,
    );
    expect(shown).toEqual([0, 0, 0, 0]);
    if (shots) await page.screenshot({ path: `${shots}/district-report-print.png`, fullPage: true });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    const text = pdf.toString('latin1');
    const pages = text.match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(4);
    // A4 is 595 × 842 points.
    expect(text).toMatch(/\/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]/);
    await page.emulateMedia({ media: 'screen' });
  }, 60_000);

  it('fetches the workbook with the token when the download button is pressed', async () => {
    await visit(page, '/admin/report');
    await waitForText(page.locator('#report-period-line'), '统计期间');
    // A plain link cannot send the token: the page fetches the file and saves it under the name the server gives.
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/reports/district') && r.url().includes('format=xlsx')),
      page.getByRole('button', { name: '下载 Excel 报表' }).click(),
    ]);
    expect(response.status()).toBe(200);
    const disposition = (await response.allHeaders())['content-disposition'] ?? '';
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toMatch(/^区级养老服务报表_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect((await response.allHeaders())['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((await response.request().allHeaders()).authorization).toBe(`Bearer ${world.admin.token}`);
    // The workbook itself is parsed back in test/reports/district-report.e2e-spec.ts; here, no failure is reported.
    await page.waitForFunction(`!document.querySelector('[data-download]').disabled`);
    expect(await page.locator('#report-download-status').innerText()).toBe('');
  }, 60_000);

  it('says at the field what is wrong with a period, keeps what was given, and asks for no report', async () => {
    const reportCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/reports/district')) reportCalls.push(request.url());
    });
    await visit(page, '/admin/report?from=2026-05-01&to=2026-04-01');
    await waitForText(page.locator('#error-summary'), '开始日期不能晚于结束日期。');
    expect(await page.title()).toMatch(/^错误：/);
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('error-summary');
    expect(await page.locator('#f-from').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-from-error').innerText()).toContain('开始日期不能晚于结束日期。');
    expect(await page.locator('#f-to').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#f-from').inputValue()).toBe('2026-05-01');
    expect(await page.locator('#f-to').inputValue()).toBe('2026-04-01');
    expect(await page.locator('#report-period-line').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    // The summary's link takes the reader to the field.
    await page.locator('#error-summary a').click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('f-from');

    // Longer than 366 days: told at the last day. An impossible day: told at that day.
    await visit(page, '/admin/report?from=2025-01-01&to=2026-01-02');
    await waitForText(page.locator('#f-to-error'), '期间最长 366 天');
    await visit(page, '/admin/report?from=2026-02-30&to=2026-03-01');
    await waitForText(page.locator('#f-from-error'), '开始日期不是一个有效的日期');
    expect(reportCalls).toEqual([]);

    // Put right in the form, the report is shown.
    await page.locator('#f-from').fill('2026-02-01');
    await page.getByRole('button', { name: '显示报表' }).click();
    await waitForText(page.locator('#report-period-line'), '统计期间');
    expect(await page.locator('#error-summary').count()).toBe(0);
  }, 60_000);
});
