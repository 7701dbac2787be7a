/**
 * Proves the pages work over plain http at an address other than localhost, as on a care
 * centre's own network (`npm start` opened from the counter's tablet). The browser counts such a
 * page insecure: it has no `crypto.randomUUID`, and a Content-Security-Policy with
 * `upgrade-insecure-requests` would send every asset to https, where nothing answers.
 */
import type { Browser, Request } from 'playwright-core';
import type { TestStack } from '@app/testing';
import { closeInOrder, openContext, PHONE, redeemTomorrowAtTen, visit, waitForText } from './browser';
import { earnMinutes, startWorld, type World } from './web-fixtures';

/** A name for the test server that the browser resolves to it, and does not count as a secure origin (as it does localhost). */
const CENTRE_HOST = 'counter.centre.lan';

describe('web: over plain http on a care centre’s network', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;

  beforeAll(async () => {
    ({ stack, world, browser } = await startWorld([`--host-resolver-rules=MAP ${CENTRE_HOST} 127.0.0.1`]));
    await earnMinutes(stack, world.volunteer, world.senior, 120);
  }, 120_000);

  afterAll(async () => closeInOrder(browser, stack));

  it('opens the pages and books with minutes, the booking carrying its Idempotency-Key, on an insecure origin', async () => {
    const origin = stack.baseUrl.replace('127.0.0.1', CENTRE_HOST);
    expect(origin).toContain(CENTRE_HOST);
    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE, origin });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // Chromium's notice that it ignores the Cross-Origin-Opener-Policy header on such an origin
      // (the header is for https) is the origin's, not a fault of the page.
      if (message.type() === 'error' && !message.text().includes('Cross-Origin-Opener-Policy header has been ignored'))
        errors.push(`${message.text()} ${message.location().url}`);
    });
    const bookings: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/time-bank/redemptions')) bookings.push(request);
    });

    await visit(page, '/time-bank');
    expect(await page.evaluate('window.isSecureContext')).toBe(false);
    expect(new URL(page.url()).protocol).toBe('http:');
    await waitForText(page.locator('#available-minutes'), '2小时');
    await page.getByRole('link', { name: '用时间兑换服务' }).click();
    await page.getByLabel('打扫卫生').check();
    await page.getByRole('button', { name: '继续' }).click();
    await redeemTomorrowAtTen(page, '60');
    await waitForText(page.locator('main h1'), '请核对您填写的内容');
    await page.getByRole('button', { name: '确认兑换' }).click();
    await waitForText(page.locator('[role=status]'), '1小时 已为您冻结');

    expect(bookings).toHaveLength(1);
    expect(bookings[0]?.headers()['idempotency-key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
