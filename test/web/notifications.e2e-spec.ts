/** Proves in the browser that a senior's bell count rises without a reload when the ticket is decided, that the inbox shows the notification in words and marks it read, and that the SMS preference can be turned off. */
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext } from 'playwright-core';
import { adminOf, createTestStack, createUser, http, startExtraWorker, type TestStack } from '@app/testing';
import { createCourse, createTerm } from '../enrolment/helpers';
import { axeViolations, closeInOrder, ensureWebBuild, launchBrowser, openContext, settled, waitForText } from './browser';

describe('web: notifications', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    ensureWebBuild();
    // No worker yet: the ticket stays undecided until the test starts one.
    stack = await createTestStack({ config: { notificationRelayEveryMs: 200 } });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => closeInOrder(context, browser, worker, stack));

  it('the bell counts a decided ticket live, the inbox shows it and marks it read, and text messages can be turned off', async () => {
    const admin = await adminOf(stack);
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { title: '葫芦丝', capacity: 5, weekday: 2 });
    const senior = await createUser(stack, ['SENIOR'], { name: '王秀英' });
    await http(stack).post('/api/v1/enrolment/applications').set(senior.auth).send({ courseId: course.id }).expect(202);

    context = await openContext(browser, stack, { token: senior.token });
    const page = await context.newPage();
    await page.goto('/');
    await settled(page);
    const bell = page.locator('#bell');
    expect(await bell.getAttribute('aria-label')).toBe('通知，0 条未读');
    expect(await page.locator('#bell-count').isHidden()).toBe(true);
    // A mark on the window: it survives only if the page is never reloaded.
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    worker = await startExtraWorker(stack);
    await waitForText(page.locator('#bell-count'), '1', 15_000);
    expect(await bell.getAttribute('aria-label')).toBe('通知，1 条未读');
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    await bell.click();
    await waitForText(page.locator('main h1'), '我的通知');
    await settled(page);
    const card = page.locator('#inbox-list li').first();
    const text = await waitForText(card, '报名成功');
    expect(text).toContain('未读');
    expect(text).toContain('葫芦丝');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: /标为已读/ }).click();
    await waitForText(page.locator('#inbox-list li').first(), '已读');
    await page.waitForFunction(() => {
      const el = (globalThis as unknown as { document: { getElementById(id: string): { hidden: boolean } | null } }).document.getElementById('bell-count');
      return el?.hidden === true;
    });
    expect(await bell.getAttribute('aria-label')).toBe('通知，0 条未读');

    await page.getByRole('button', { name: '不要发短信' }).click();
    await waitForText(page.locator('#sms-state'), '不发短信');
    const prefs = await http(stack).get('/api/v1/me/preferences').set(senior.auth).expect(200);
    expect(prefs.body).toEqual({ sms: false });
  }, 90_000);
});
