/**
 * Proves a volunteer sees banked, held and available minutes, claims an open request, redeems
 * minutes and gives them to family through a check step, in the browser.
 */
import type { Browser } from 'playwright-core';
import { birthDateForAge, createUser, http, type TestStack, uniquePhone } from '@app/testing';
import { axeViolations, closeInOrder, openContext, PHONE, redeemTomorrowAtTen, visit, waitForText } from './browser';
import { hoursAgo, logService } from '../time-bank/helpers';
import { earnMinutes, startWorld, type World } from './web-fixtures';

/** Minutes a year anyone may give here. */
const GIFT_LIMIT = 60;

describe('web: a volunteer uses the time bank', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;

  beforeAll(async () => {
    // Giving is limited to 60 minutes a year here, so the give step meets the limit as well as the balance.
    ({ stack, world, browser } = await startWorld([], { timeBankGiftLimitMinutesPerYear: GIFT_LIMIT }));
    await earnMinutes(stack, world.volunteer, world.senior, 180);
  }, 120_000);

  afterAll(async () => closeInOrder(browser, stack));

  it('claims an open request', async () => {
    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank/requests');
    await waitForText(page.locator('.card').first(), '陪同出行、看病');
    await page
      .getByRole('link', { name: /认领这个求助/ })
      .first()
      .click();
    await waitForText(page.locator('main h1'), '确定认领这个求助吗？');
    await page.getByRole('button', { name: '确认认领' }).click();
    await waitForText(page.locator('[role=status]'), '认领成功');
    const request = await http(stack).get(`/api/v1/time-bank/requests/${world.requestId}`).set(world.volunteer.auth).expect(200);
    expect(request.body).toMatchObject({ status: 'CLAIMED', claimedBy: world.volunteer.user.id });
    await context.close();
  });

  it('says an address that leads to nothing is wrong, rather than asking to try again later', async () => {
    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    // A request that does not exist (404), and an address whose id is not one (400).
    for (const path of ['/time-bank/my-claims/00000000-0000-4000-8000-000000000000/release', '/time-bank/my-claims/not-an-id/done/duration']) {
      await visit(page, path);
      await waitForText(page.locator('main h1'), '找不到这个页面');
      const text = await page.locator('main').innerText();
      expect(text).not.toContain('请稍后再试');
      expect(await page.getByRole('link', { name: '返回首页' }).count()).toBeGreaterThan(0);
    }
    await context.close();
  });

  it('redeems an hour: checked first, then held, and the page shows the new available minutes', async () => {
    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    await waitForText(page.locator('#available-minutes'), '3小时');
    await page.getByRole('link', { name: '用时间兑换服务' }).click();
    await page.getByLabel('打扫卫生').check();
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByLabel('要用多少分钟？').fill('六十');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('#error-summary'), '请只填数字');
    // The step says how much can be used now, and refuses more there, before the check.
    expect(await page.locator('main').innerText()).toContain('现在最多可以用 3小时（180 分钟）。');
    await page.getByLabel('要用多少分钟？').fill('181');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('#error-summary'), '现在最多可以用 3小时（180 分钟）。请少填一些。');
    // A day already past is named on its own page, in words, before anything is sent.
    await page.getByLabel('要用多少分钟？').fill('60');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByLabel('日期').fill(new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10));
    await page.getByLabel('几点').fill('10:00');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('#error-summary'), '这一天已经过去了');
    await page.goBack();
    await redeemTomorrowAtTen(page, '60');
    await waitForText(page.locator('main h1'), '请核对您填写的内容');
    const summary = await waitForText(page.locator('.summary-list'), '打扫卫生');
    expect(summary).toContain('1小时');
    expect(summary).toMatch(/上午10:00/);
    // Not a minute is held before the confirmation.
    expect((await http(stack).get('/api/v1/time-bank/accounts/me').set(world.volunteer.auth).expect(200)).body.heldMinutes).toBe(0);
    await page.getByRole('button', { name: '确认兑换' }).click();
    await waitForText(page.locator('[role=status]'), '1小时 已为您冻结');
    await waitForText(page.locator('#available-minutes'), '2小时');
    await waitForText(page.locator('#held-minutes'), '1小时');
    const account = await http(stack).get('/api/v1/time-bank/accounts/me').set(world.volunteer.auth).expect(200);
    expect(account.body).toMatchObject({ balanceMinutes: 180, heldMinutes: 60, availableMinutes: 120 });
    await context.close();
  });

  it('downloads the statement of this month, last month or this year from the time bank page', async () => {
    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    const buttons = page.locator('main [data-download]');
    await waitForText(buttons.first(), '下载本月对账单（Excel）');
    expect(await buttons.allInnerTexts()).toEqual(['下载本月对账单（Excel）', '下载上个月对账单（Excel）', '下载今年对账单（Excel）']);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/statement?')),
      page.getByRole('button', { name: '下载今年对账单（Excel）' }).click(),
    ]);
    const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    expect(new URL(response.url()).searchParams.toString()).toBe(`format=xlsx&from=${year}-01-01&to=${year}-12-31`);
    expect(response.status()).toBe(200);
    expect((await response.allHeaders())['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await page.waitForFunction(`![...document.querySelectorAll('[data-download]')].some((b) => b.disabled)`);
    expect(await page.locator('#statement-download-status').innerText()).toBe('');
    await context.close();
  });

  it('gives time to family: the minutes step says how much can be given, an unanswered question is named, and the relative’s account gains it', async () => {
    const phone = uniquePhone();
    const relative = await createUser(stack, ['SENIOR'], { name: '孙桂兰', phone, birthDate: birthDateForAge(70) });
    const accountOf = async (auth: { Authorization: string }): Promise<{ balanceMinutes: number; availableMinutes: number }> =>
      (await http(stack).get('/api/v1/time-bank/accounts/me').set(auth).expect(200)).body;
    const before = await accountOf(world.volunteer.auth);
    expect(before.availableMinutes).toBeGreaterThan(30);

    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    await page.getByRole('link', { name: '把时间转赠给家人' }).click();
    await page.getByLabel('家人的手机号码或服务卡号是多少？').fill(phone);
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main'), '他是您的什么人？');
    await page.getByRole('button', { name: '继续' }).click();
    // The question is quoted whole, not folded into "请选择…".
    await waitForText(page.locator('#error-summary'), '他是您的什么人？请选择一项。');
    await page.getByLabel('子女', { exact: true }).check();
    await page.getByRole('button', { name: '继续' }).click();
    const hint = (await waitForText(page.locator('main'), '您现在可以用的时间有')).match(
      /您现在可以用的时间有 .*?（(\d+) 分钟），今年还可以转赠 1小时（60 分钟）。/,
    );
    expect(Number(hint?.[1])).toBe(before.availableMinutes);
    await page.getByLabel('转赠多少分钟？').fill(String(before.availableMinutes + 1));
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('#error-summary'), `您现在可以用的时间只有`);
    await page.getByLabel('转赠多少分钟？').fill(String(GIFT_LIMIT + 1));
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('#error-summary'), '今年还可以转赠 1小时（60 分钟）。请少填一些。');
    await page.getByLabel('转赠多少分钟？').fill('30');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main h1'), '请核对您填写的内容');
    expect(await page.locator('.summary-list').innerText()).toContain('30分钟');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认转赠' }).click();
    await waitForText(page.locator('[role=status]'), '已转赠 30分钟');
    await context.close();

    expect((await accountOf(relative.auth)).balanceMinutes).toBe(30);
    expect(await accountOf(world.volunteer.auth)).toMatchObject({
      balanceMinutes: before.balanceMinutes - 30,
      availableMinutes: before.availableMinutes - 30,
    });
  });

  it('says before any question that this year’s giving is used up, with time still to use', async () => {
    const giver = await createUser(stack, ['VOLUNTEER'], { birthDate: birthDateForAge(66) });
    const relative = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(90) });
    await earnMinutes(stack, giver, world.senior, 120);
    await http(stack)
      .post('/api/v1/time-bank/gifts')
      .set(giver.auth)
      .send({ toUserId: relative.user.id, minutes: GIFT_LIMIT, relationship: 'PARENT' })
      .expect(201);
    const context = await openContext(browser, stack, { token: giver.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    await page.getByRole('link', { name: '把时间转赠给家人' }).click();
    await waitForText(page.locator('main h1'), '现在不能转赠时间');
    await waitForText(page.locator('main'), '今年可以转赠的时间已经用完了。明年 1 月 1 日起可以再转赠。');
    expect(await page.getByLabel('家人的手机号码或服务卡号是多少？').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('words an unanswered field as a sentence in English: a named thing in lower case, a question quoted whole', async () => {
    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE, lang: 'en' });
    const page = await context.newPage();
    await visit(page, '/time-bank/log/when');
    await page.getByRole('button', { name: 'Continue' }).click();
    const summary = await waitForText(page.locator('#error-summary'), 'Enter time');
    expect(summary).not.toContain('Enter Time');
    await visit(page, '/time-bank/give/relationship');
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForText(page.locator('#error-summary'), 'How are you related? Choose an answer.');
    await context.close();
  });

  it('lets the senior confirm a logged service from its message, find another on the time bank’s page and say it did not happen, and shows the volunteer both', async () => {
    const log = (serviceType: string, hours: number, durationMinutes: number): Promise<string> =>
      logService(stack, world.volunteer, world.senior, { serviceType, startedAt: hoursAgo(hours), durationMinutes });
    const happened = await log('SHOPPING', 3, 90);
    const never = await log('HEALTH_CHECK', 6, 60);
    const balance = async (): Promise<number> =>
      (await http(stack).get('/api/v1/time-bank/accounts/me').set(world.volunteer.auth).expect(200)).body.balanceMinutes as number;
    const before = await balance();

    const context = await openContext(browser, stack, { token: world.senior.token, viewport: PHONE });
    const page = await context.newPage();
    // The home page puts them first.
    await visit(page, '/');
    const tiles = page.locator('#h-senior + .tiles .tile');
    await waitForText(tiles.first(), '确认志愿服务');
    expect(await tiles.first().innerText()).toContain('有 2 次服务等您确认');
    await visit(page, '/notifications');
    const message = page.locator('.card', { hasText: '请确认服务' }).filter({ hasText: '代购' });
    await waitForText(message, '1小时30分钟');
    await message.getByRole('link', { name: /去看看/ }).click();
    await waitForText(page.locator('main h1'), '这次服务做了吗？');
    const facts = await page.locator('main').innerText();
    expect(facts).toContain('张志强');
    expect(facts).toContain('1小时30分钟');
    expect(facts).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    await page.getByRole('button', { name: '是的，服务做了' }).click();
    await waitForText(page.locator('[role=status]'), '已确认');
    expect((await http(stack).get(`/api/v1/time-bank/services/${happened}`).set(world.senior.auth).expect(200)).body.status).toBe('CONFIRMED');
    expect(await balance()).toBe(before + 90);

    // Confirmed, it leaves the list on the time bank's page; the other waits there, a tap from its own page.
    await waitForText(page.locator('main h1'), '我的时间银行');
    const waiting = page.locator('section', { has: page.getByRole('heading', { name: '有 1 次服务等您确认' }) });
    const card = waiting.locator('.card');
    expect(await card.count()).toBe(1);
    await waitForText(card, '健康检查');
    expect(await card.innerText()).toContain('张志强');
    await card.getByRole('link', { name: /去确认/ }).click();
    await waitForText(page.locator('main h1'), '这次服务做了吗？');
    expect(new URL(page.url()).pathname).toBe(`/time-bank/services/${never}`);
    await page.getByRole('link', { name: '没有这回事' }).click();
    await waitForText(page.locator('main h1'), '请说一下是怎么回事');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('#error-summary'), '请填写');
    await page.getByLabel('请说一下是怎么回事').fill('那天没有人来');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main h1'), '请核对您填写的内容');
    await page.getByRole('button', { name: '确认，没有这回事' }).click();
    await waitForText(page.locator('[role=status]'), '这次服务不存时间');
    expect((await http(stack).get(`/api/v1/time-bank/services/${never}`).set(world.senior.auth).expect(200)).body).toMatchObject({
      status: 'REJECTED',
      rejectReason: '那天没有人来',
    });
    expect(await balance()).toBe(before + 90);
    await waitForText(page.locator('main h1'), '我的时间银行');
    expect(await page.getByRole('heading', { name: /等您确认/ }).count()).toBe(0);
    await visit(page, '/');
    await waitForText(page.locator('#h-senior + .tiles .tile').first(), '报名');
    expect(await page.getByText('确认志愿服务').count()).toBe(0);

    // Decided, the page says what was decided and asks nothing more.
    await visit(page, `/time-bank/services/${happened}`);
    await waitForText(page.locator('main'), '已确认，时间已存入志愿者的账户');
    expect(await page.getByRole('button', { name: '是的，服务做了' }).count()).toBe(0);
    await context.close();

    // The volunteer sees what became of both on their time bank, and is told of the one turned down.
    const volunteerContext = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const volunteerPage = await volunteerContext.newPage();
    await visit(volunteerPage, '/time-bank');
    const logged = volunteerPage.locator('section', { has: volunteerPage.getByRole('heading', { name: '我登记的服务' }) });
    const banked = logged.locator('.card', { hasText: '代买东西' });
    await waitForText(banked, '已确认，时间已存入');
    expect(await banked.innerText()).toContain(world.senior.user.name);
    await waitForText(logged.locator('.card', { hasText: '健康检查' }), '老人的说明：那天没有人来');
    await visit(volunteerPage, '/notifications');
    const told = volunteerPage.locator('.card', { hasText: '老人说服务没有做' });
    await told.getByRole('link', { name: /去看看/ }).click();
    await waitForText(volunteerPage.locator('main'), '已说明没有这回事：那天没有人来');
    expect(await volunteerPage.locator('main').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    await volunteerContext.close();
  });

  it('shows a volunteer every service they logged, those waiting first, a page at a time', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '孙志华' });
    const ids: string[] = [];
    for (let n = 0; n < 22; n += 1) ids.push(await logService(stack, volunteer, world.senior, { serviceType: 'CLEANING', startedAt: hoursAgo(1 + 2 * n) }));
    // The two latest are banked: the twenty still waiting come before them.
    for (const id of ids.slice(0, 2)) await http(stack).post(`/api/v1/time-bank/services/${id}/confirm`).set(world.senior.auth).expect(200);

    const context = await openContext(browser, stack, { token: volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    const section = page.locator('section', { has: page.getByRole('heading', { name: '我登记的服务' }) });
    await waitForText(section.locator('.card').first(), '等老人确认');
    expect(await section.locator('.card').count()).toBe(10);
    await section.getByRole('link', { name: '查看全部 22 次' }).click();
    await waitForText(page.locator('main'), '第 1 页，共 2 页');
    expect(await page.locator('main').innerText()).toContain('共 22 次');
    expect(await page.locator('main .card').count()).toBe(20);
    expect(await page.locator('main .card [data-status=CONFIRMED]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '下一页' }).click();
    await waitForText(page.locator('main'), '第 2 页，共 2 页');
    expect(await page.locator('main .card [data-status=CONFIRMED]').count()).toBe(2);
    expect(await page.getByRole('link', { name: '下一页' }).count()).toBe(0);
    await page.getByRole('link', { name: '上一页' }).click();
    await waitForText(page.locator('main'), '第 1 页，共 2 页');
    // A page past the last, or not a number, shows the last or the first.
    await visit(page, '/time-bank/logged?page=9');
    await waitForText(page.locator('main'), '第 2 页，共 2 页');
    await visit(page, '/time-bank/logged?page=abc');
    await waitForText(page.locator('main'), '第 1 页，共 2 页');
    await context.close();
  });
  it('shows the whole history of an account a page at a time, newest first, with the balance after each entry', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '钱志明' });
    // 23 services of an hour each, confirmed one by one: 23 entries, the balance an hour more after each.
    for (let n = 0; n < 23; n += 1) {
      const id = await logService(stack, volunteer, world.senior, { serviceType: 'COMPANIONSHIP', startedAt: hoursAgo(1 + 2 * n) });
      await http(stack).post(`/api/v1/time-bank/services/${id}/confirm`).set(world.senior.auth).expect(200);
    }

    const context = await openContext(browser, stack, { token: volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    await waitForText(page.locator('.history-item').first(), '之后余额 23小时');
    expect(await page.locator('.history-item').count()).toBe(20);
    await page.getByRole('link', { name: '查看全部 23 条记录' }).click();
    await waitForText(page.locator('main'), '第 1 页，共 2 页');
    expect(await page.locator('main').innerText()).toContain('共 23 条');
    expect(await page.locator('.history-item').count()).toBe(20);
    expect(await page.locator('.history-item').first().innerText()).toContain('之后余额 23小时');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '下一页' }).click();
    await waitForText(page.locator('main'), '第 2 页，共 2 页');
    expect(await page.locator('.history-item').count()).toBe(3);
    expect(await page.locator('.history-item').last().innerText()).toContain('之后余额 1小时');
    await visit(page, '/time-bank/history?page=7');
    await waitForText(page.locator('main'), '第 2 页，共 2 页');
    await context.close();
  });
  it('lets a volunteer say what they are good at, after which matching requests come first and are marked', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '王秀英', birthDate: birthDateForAge(58) });
    for (const [serviceType, hours] of [
      ['SHOPPING', 24],
      ['CLEANING', 30],
    ] as const) {
      await http(stack)
        .post('/api/v1/time-bank/requests')
        .set(world.senior.auth)
        .send({ serviceType, wantedAt: new Date(Date.now() + hours * 3_600_000).toISOString(), durationMinutes: 60, street: '湖滨街道' })
        .expect(201);
    }
    const context = await openContext(browser, stack, { token: volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank/requests');
    await waitForText(page.locator('#skills-line'), '您还没有填写特长');
    // With no skills, requests come by their time: tomorrow's shopping first.
    await waitForText(page.locator('.card').first(), '代买东西');
    expect(await page.locator('main').innerText()).not.toContain('符合您的特长');

    await page.getByRole('link', { name: '填写我的特长' }).click();
    await waitForText(page.locator('main h1'), '我的特长');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('陪伴聊天').check();
    await page.getByLabel('打扫卫生').check();
    await page.getByRole('button', { name: '保存' }).click();
    await waitForText(page.locator('[role=status]'), '已保存您的特长：陪伴聊天、打扫卫生。');
    await waitForText(page.locator('main h1'), '老人的求助');
    await waitForText(page.locator('#skills-line'), '和您的特长（陪伴聊天、打扫卫生）相符的求助排在前面。');
    const first = page.locator('.card').first();
    await waitForText(first, '打扫卫生');
    expect(await first.innerText()).toContain('符合您的特长');
    expect(await page.locator('.card', { hasText: '代买东西' }).innerText()).not.toContain('符合您的特长');
    const saved = await http(stack).get('/api/v1/time-bank/volunteers/me/skills').set(volunteer.auth).expect(200);
    expect(saved.body.skills).toEqual(['CLEANING', 'COMPANIONSHIP']);

    // The page shows what was saved, and choosing none is an answer too.
    await page.getByRole('link', { name: '修改我的特长' }).click();
    await waitForText(page.locator('main h1'), '我的特长');
    expect(await page.getByLabel('打扫卫生').isChecked()).toBe(true);
    expect(await page.getByLabel('陪伴聊天').isChecked()).toBe(true);
    expect(await page.getByLabel('代买东西').isChecked()).toBe(false);
    await page.getByLabel('打扫卫生').uncheck();
    await page.getByLabel('陪伴聊天').uncheck();
    await page.getByRole('button', { name: '保存' }).click();
    await waitForText(page.locator('[role=status]'), '您没有选特长');
    await waitForText(page.locator('#skills-line'), '您还没有填写特长');
    expect((await http(stack).get('/api/v1/time-bank/volunteers/me/skills').set(volunteer.auth).expect(200)).body.skills).toEqual([]);
    await context.close();
  });
});
