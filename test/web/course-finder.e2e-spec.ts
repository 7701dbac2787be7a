/**
 * Proves the course list helps a senior find a course among many: by weekday and by place, with
 * the courses she has applied for marked and leading to her application, which says when and
 * where the class meets, and a lottery's applicants counted before its draw.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { birthDateForAge, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { apply, createCourse, createTerm, decided } from '../enrolment/helpers';
import { axeViolations, closeInOrder, openContext, settled, waitForText } from './browser';
import { startAdminAndBrowser } from './web-fixtures';

describe('web: finding a course', () => {
  let stack: TestStack;
  let admin: TestUser;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    ({ stack, admin, browser } = await startAdminAndBrowser({ worker: true }));
  }, 120_000);

  afterAll(async () => closeInOrder(context, browser, stack));

  /** The titles of the course cards on the page, in order. */
  async function titles(page: Page): Promise<string[]> {
    return page.locator('.cards .card-title').allInnerTexts();
  }

  it('filters by weekday and place, marks her applications, and counts a lottery before its draw', async () => {
    const term = await createTerm(stack, admin);
    const calligraphy = await createCourse(stack, admin, term, { title: '书法入门', weekday: 1, startTime: '09:00', endTime: '10:30' });
    await createCourse(stack, admin, term, { title: '智能手机', weekday: 3, startTime: '14:00', endTime: '15:30' });
    const choir = await createCourse(stack, admin, term, { title: '合唱', weekday: 5, startTime: '09:00', endTime: '10:30', mode: 'LOTTERY' });
    await http(stack)
      .post('/api/v1/enrolment/courses')
      .set(admin.auth)
      .send({
        termId: term.id,
        title: '手机摄影',
        campus: '彭埠街道社区老年大学',
        capacity: 20,
        weekday: 3,
        startTime: '09:30',
        endTime: '11:00',
        mode: 'FIRST_COME',
      })
      .expect(201);
    const senior = await createUser(stack, ['SENIOR'], { name: '王秀英', birthDate: birthDateForAge(72) });
    const mine = await apply(stack, senior, calligraphy);
    const entered = await apply(stack, senior, choir);
    expect((await decided(stack, senior, mine.ticketId)).status).toBe('CONFIRMED');
    expect((await decided(stack, senior, entered.ticketId)).status).toBe('PENDING_DRAW');

    context = await openContext(browser, stack, { token: senior.token });
    const page = await context.newPage();
    await page.goto('/courses');
    await settled(page);
    await waitForText(page.locator('.course-count'), '共 4 门课程。');
    expect(await titles(page)).toEqual(['书法入门', '手机摄影', '智能手机', '合唱']);

    // Her confirmed course says so and leads to her application instead of offering to apply again.
    const calligraphyCard = page.locator('.card', { has: page.getByRole('heading', { name: '书法入门' }) });
    await waitForText(calligraphyCard, '您的报名 ✓ 报名成功');
    await waitForText(calligraphyCard, '报名成功 — 您已获得名额');
    expect(await calligraphyCard.getByRole('link', { name: /报名这门课/ }).count()).toBe(0);
    expect(await calligraphyCard.getByRole('link', { name: /查看我的报名/ }).getAttribute('href')).toBe(`/applications/${mine.ticketId}`);
    // The lottery counts her as an applicant before the draw, and tells her she is in it.
    const choirCard = page.locator('.card', { has: page.getByRole('heading', { name: '合唱' }) });
    await waitForText(choirCard, '已有 1 人报名');
    await waitForText(choirCard, '等待抽签');
    const phoneCard = page.locator('.card', { has: page.getByRole('heading', { name: '智能手机' }) });
    expect(await phoneCard.innerText()).not.toContain('您的报名');
    expect(await phoneCard.getByRole('link', { name: /报名这门课/ }).count()).toBe(1);

    // Wednesdays: the two Wednesday courses, the choice marked as the current one.
    const days = page.getByRole('navigation', { name: '按星期看' });
    expect(await days.getByRole('link').allInnerTexts()).toEqual(['全部', '每周一（1 门）', '每周三（2 门）', '每周五（1 门）']);
    await days.getByRole('link', { name: '每周三（2 门）' }).click();
    await waitForText(page.locator('.course-count'), '符合的课程有 2 门（全部共 4 门）。');
    expect(new URL(page.url()).search).toBe('?day=3');
    expect(await titles(page)).toEqual(['手机摄影', '智能手机']);
    expect(await days.getByRole('link', { name: '每周三（2 门）' }).getAttribute('aria-current')).toBe('page');
    expect(await days.getByRole('link', { name: '全部' }).getAttribute('aria-current')).toBeNull();

    // And at the other campus: one course; the days offered are that campus's days.
    const places = page.getByRole('navigation', { name: '按上课地点看' });
    await places.getByRole('link', { name: '彭埠街道社区老年大学' }).click();
    await waitForText(page.locator('.course-count'), '符合的课程有 1 门（全部共 4 门）。');
    expect(await titles(page)).toEqual(['手机摄影']);
    expect(await days.getByRole('link').allInnerTexts()).toEqual(['全部', '每周三（1 门）']);
    expect(await axeViolations(page)).toEqual([]);
    // "All days" keeps the place.
    await days.getByRole('link', { name: '全部' }).click();
    await days.getByRole('link', { name: '全部' }).and(page.locator('[aria-current=page]')).waitFor();
    expect(new URL(page.url()).searchParams.get('campus')).toBe('彭埠街道社区老年大学');
    expect(await titles(page)).toEqual(['手机摄影']);

    // A day without courses (an address typed or kept from another term) says so and leads back.
    await page.goto('/courses?day=6');
    await settled(page);
    await waitForText(page.locator('.course-count'), '没有符合的课程');
    expect(await titles(page)).toEqual([]);
    await page.getByRole('link', { name: '查看全部课程' }).click();
    await waitForText(page.locator('.course-count'), '共 4 门课程。');
    expect(await titles(page)).toHaveLength(4);

    // Her application says when and where the class meets, on its page and in her list.
    await calligraphyCard.getByRole('link', { name: /查看我的报名/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '报名进度');
    await waitForText(page.locator('main .facts'), /上课时间\s*每周一 上午9:00–上午10:30\s*上课地点\s*杭州市上城区老年大学/);
    await page.goto('/applications');
    await settled(page);
    const listed = page.locator('.card', { has: page.getByRole('heading', { name: '书法入门' }) });
    await waitForText(listed.locator('.facts'), /上课时间\s*每周一 上午9:00–上午10:30\s*上课地点\s*杭州市上城区老年大学/);
    await waitForText(listed, '报名成功');
  });

  it("shows the bureau a lottery's applicants before its draw, in the district overview", async () => {
    const adminContext = await openContext(browser, stack, { token: admin.token });
    const page = await adminContext.newPage();
    await page.goto('/admin');
    await settled(page);
    const enrolment = page.getByRole('region', { name: '老年大学报名进度' });
    await waitForText(enrolment, '4 门课，已录取 1 / ');
    await waitForText(enrolment, '候补 0 人，另有 1 人等待抽签');
    // The lottery ranks by its applicants, next to the calligraphy course with as many (confirmed),
    // above the courses nobody applied for.
    const rows = enrolment.locator('.bars').nth(1).locator('.bar-row');
    const firstTwo = (await rows.allInnerTexts()).slice(0, 2);
    expect(firstTwo).toEqual([expect.stringMatching(/^书法入门\s*1\/\d+，候补 0$/), expect.stringMatching(/^合唱\s*0\/\d+，候补 0，待抽签 1$/)]);
    await adminContext.close();
  });
});
