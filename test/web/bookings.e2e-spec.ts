/**
 * Proves, in the browser, what follows a service booked with minutes: the holder sees it on her
 * time bank and cancels it after a check (the minutes come back); the counter cancels one for a
 * senior from her page; and the manager of her care centre finds the others on the staff's desk,
 * records one as given (its minutes taken) and cancels another (its minutes returned).
 */
import type { Browser } from 'playwright-core';
import { birthDateForAge, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { axeViolations, closeInOrder, DESKTOP, openContext, PHONE, visit, waitForText } from './browser';
import { account, redeem } from '../time-bank/helpers';
import { earnMinutes, startWorld, type World } from './web-fixtures';

describe('web: services booked with minutes', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;
  let holder: TestUser;

  beforeAll(async () => {
    ({ stack, world, browser } = await startWorld());
    holder = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '吴秀兰', birthDate: birthDateForAge(68) });
    await earnMinutes(stack, holder, world.senior, 240);
    // She comes to the world's care centre, so its manager serves her.
    await http(stack).post(`/api/v1/care-centres/${world.centreId}/check-ins`).set(world.centreManager.auth).send({ seniorId: holder.user.id }).expect(201);
  }, 120_000);

  afterAll(async () => closeInOrder(browser, stack));

  /** Books a service for `hoursAhead` hours from now with her minutes; returns its id. */
  async function book(serviceType: string, minutes: number, hoursAhead: number): Promise<string> {
    const scheduledFor = new Date(Date.now() + hoursAhead * 3_600_000).toISOString();
    return (await redeem(stack, holder, { serviceType, minutes, scheduledFor }, 201)).body.id as string;
  }

  async function held(): Promise<number> {
    return (await account(stack, holder)).heldMinutes;
  }

  it('shows the holder her bookings on her time bank, soonest first, and cancels one after a check', async () => {
    await book('SHOPPING', 30, 50);
    const cleaning = await book('CLEANING', 60, 26);
    expect(await held()).toBe(90);
    const context = await openContext(browser, stack, { token: holder.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    const section = page.locator('section[aria-labelledby=h-bookings]');
    await waitForText(section.locator('h2'), '我用时间预约的服务（2）');
    const cards = section.locator('.card');
    expect(await cards.first().innerText()).toContain('打扫卫生');
    expect(await cards.nth(1).innerText()).toContain('代买东西');
    expect(await cards.first().innerText()).toContain('1小时');

    await cards
      .first()
      .getByRole('link', { name: /取消预约/ })
      .click();
    await waitForText(page.locator('main h1'), '确定要取消这次预约吗？');
    await waitForText(page.locator('main'), '冻结的 1小时 会退回您的账户');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认取消预约' }).click();
    await waitForText(page.locator('[role=status]'), '已取消预约，1小时 已退回您的账户');
    await waitForText(section.locator('h2'), '我用时间预约的服务（1）');
    expect(await held()).toBe(30);
    expect((await http(stack).get(`/api/v1/time-bank/redemptions/${cleaning}`).set(holder.auth).expect(200)).body.status).toBe('CANCELLED');

    // The address again: it says the booking is cancelled and offers nothing to press.
    await visit(page, `/time-bank/bookings/${cleaning}/cancel`);
    await waitForText(page.locator('main h1'), '这次预约已经取消了');
    expect(await page.getByRole('button', { name: '确认取消预约' }).count()).toBe(0);

    // One whose time has come (booked a few minutes late) is no longer hers to cancel: staff settle it.
    const due = await book('COMPANIONSHIP', 15, -0.05);
    await visit(page, '/time-bank');
    const dueCard = section.locator('.card', { hasText: '陪伴聊天' });
    await waitForText(dueCard, '预约的时间已经到了，不能再取消');
    expect(await dueCard.getByRole('link', { name: /取消预约/ }).count()).toBe(0);
    await visit(page, `/time-bank/bookings/${due}/cancel`);
    await waitForText(page.locator('main h1'), '预约的时间已经到了');
    expect(await page.getByRole('button', { name: '确认取消预约' }).count()).toBe(0);
    await http(stack).post(`/api/v1/time-bank/redemptions/${due}/cancel`).set(holder.auth).expect(409);
    expect(await held()).toBe(45);
    await context.close();
  });

  it('lets the counter cancel a booking for her from her page, recorded for her', async () => {
    const escort = await book('ESCORT', 45, 30);
    const counter = await createUser(stack, ['COUNTER'], { name: '窗口小李' });
    const context = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, `/counter/seniors/${holder.user.id}`);
    await waitForText(page.locator('main'), '用时间预约的服务');
    await page
      .locator('.card', { hasText: '陪同出行、看病' })
      .getByRole('link', { name: /取消预约/ })
      .click();
    await waitForText(page.locator('main'), '吴秀兰的预约');
    await waitForText(page.locator('main'), '冻结的 45分钟 会退回吴秀兰的账户');
    await page.getByRole('button', { name: '确认取消预约' }).click();
    await waitForText(page.locator('[role=status]'), '已为吴秀兰取消预约');
    await waitForText(page.locator('main h1'), '吴秀兰');
    expect((await http(stack).get(`/api/v1/time-bank/redemptions/${escort}`).set(holder.auth).expect(200)).body.status).toBe('CANCELLED');
    await waitForText(page.locator('#senior-acts'), '取消用时间预约的服务');
    await context.close();
  });

  it('lets the manager of her centre settle bookings on the staff’s desk: one whose time has come first, one given, one cancelled', async () => {
    const meal = await book('MEAL_DELIVERY', 60, 28);
    const health = await book('HEALTH_CHECK', 30, 40);
    const before = await account(stack, holder);
    const due = (await http(stack).get('/api/v1/time-bank/redemptions/mine?status=HELD').set(holder.auth).expect(200)).body.items[0] as {
      id: string;
      serviceType: string;
    };
    expect(due.serviceType).toBe('COMPANIONSHIP');

    const context = await openContext(browser, stack, { token: world.centreManager.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, '/');
    await page.getByRole('link', { name: /用时间预约的服务/ }).click();
    await waitForText(page.locator('main h1'), '用时间预约的服务');
    await waitForText(page.locator('#bookings-count'), '共 4 次');
    const rows = page.locator('#bookings-table tbody tr');
    // Soonest first: the first test's companionship, whose time has come and is tagged so, then
    // the meal (28 h), the health check (40 h) and the shopping left from the first test (50 h).
    expect(await rows.first().innerText()).toContain('陪伴聊天');
    expect(await rows.first().innerText()).toContain('时间已到，请登记');
    expect(await rows.nth(1).innerText()).toContain('送餐');
    expect(await rows.nth(1).innerText()).not.toContain('时间已到');
    expect(await rows.nth(2).innerText()).toContain('健康检查');
    expect(await rows.first().innerText()).toContain('吴秀兰');
    expect(await axeViolations(page)).toEqual([]);

    // The one whose time has come: nobody was home, so it is cancelled here, saying so.
    await rows.first().getByRole('link', { name: /处理/ }).click();
    await waitForText(page.locator('main h1'), '这次预约的服务');
    await page.getByLabel('没做：上门时家中无人').check();
    await page.getByRole('button', { name: '确认' }).click();
    await waitForText(page.locator('[role=status]'), '已取消预约，15分钟 已退回吴秀兰的账户');
    await waitForText(page.locator('#bookings-count'), '共 3 次');
    expect((await http(stack).get(`/api/v1/time-bank/redemptions/${due.id}`).set(holder.auth).expect(200)).body).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'NOT_AT_HOME',
    });
    // Its page, opened again, says it is cancelled and why, with nothing to press.
    await visit(page, `/time-bank/bookings/${due.id}`);
    await waitForText(page.locator('#booking-standing'), '这次预约已经取消了');
    await waitForText(page.locator('main'), '取消原因');
    await waitForText(page.locator('main'), '上门时家中无人');
    expect(await page.locator('main form').count()).toBe(0);
    await visit(page, '/time-bank/bookings');

    await rows.first().getByRole('link', { name: /处理/ }).click();
    await waitForText(page.locator('main h1'), '这次预约的服务');
    await page.getByRole('button', { name: '确认' }).click();
    await waitForText(page.locator('#error-summary'), '给吴秀兰的这次服务做了吗？');
    await page.getByLabel('做了').check();
    await page.getByRole('button', { name: '确认' }).click();
    await waitForText(page.locator('[role=status]'), '已登记服务做完，吴秀兰的 1小时 已扣除');
    await waitForText(page.locator('#bookings-count'), '共 2 次');

    await page.locator('#bookings-table tbody tr', { hasText: '健康检查' }).getByRole('link', { name: /处理/ }).click();
    await page.getByLabel('没做：当时安排不出人手').check();
    await page.getByRole('button', { name: '确认' }).click();
    await waitForText(page.locator('[role=status]'), '已取消预约，30分钟 已退回吴秀兰的账户');
    await waitForText(page.locator('#bookings-count'), '共 1 次');
    await context.close();

    expect((await http(stack).get(`/api/v1/time-bank/redemptions/${meal}`).set(holder.auth).expect(200)).body.status).toBe('REDEEMED');
    expect((await http(stack).get(`/api/v1/time-bank/redemptions/${health}`).set(holder.auth).expect(200)).body.status).toBe('CANCELLED');
    const after = await account(stack, holder);
    expect({ balance: after.balanceMinutes, held: after.heldMinutes }).toEqual({ balance: before.balanceMinutes - 60, held: before.heldMinutes - 105 });

    // She is told of the ones staff cancelled and why (the health check's half hour, and the
    // quarter hour whose time had come), newest first, and not of those she or the counter
    // cancelled; messages name a service without a health word (docs/notifications.md).
    const inbox = await http(stack).get('/api/v1/me/notifications').set(holder.auth).expect(200);
    const cancelled = inbox.body.items.filter((item: { kind: string }) => item.kind === 'BOOKING_CANCELLED');
    expect(cancelled.map((item: { body: string }) => item.body)).toEqual([
      expect.stringContaining('工作人员已取消（当时安排不出人手），30分钟已退回账户'),
      expect.stringContaining('工作人员已取消（上门时家中无人），15分钟已退回账户'),
    ]);
  });

  it('lists her bookings cancelled in the last two weeks, with why, on her page and on the counter’s page for her', async () => {
    // The cleaning she cancelled in the first test was, say, cancelled fifteen days ago: too long ago to list.
    const cancelled = (await http(stack).get('/api/v1/time-bank/redemptions/mine?status=CANCELLED').set(holder.auth).expect(200)).body.items as {
      id: string;
      serviceType: string;
    }[];
    expect(cancelled.map((booking) => booking.serviceType).sort()).toEqual(['CLEANING', 'COMPANIONSHIP', 'ESCORT', 'HEALTH_CHECK']);
    const cleaning = cancelled.find((booking) => booking.serviceType === 'CLEANING');
    await stack.dataSource.query(`UPDATE time_bank_redemptions SET decided_at = now() - interval '15 days' WHERE id = $1`, [cleaning?.id]);

    const context = await openContext(browser, stack, { token: holder.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    const section = page.locator('section[aria-labelledby=h-cancelled]');
    await waitForText(section.locator('h2'), '最近取消的预约（3）');
    const cards = section.locator('.card');
    // Latest booked time first: the health check (staff: nobody free), the escort (the counter,
    // for her) and the companionship (staff: nobody home); each with the time returned.
    const texts = await cards.allInnerTexts();
    expect(texts.map((text) => text.split('\n')[0])).toEqual(['健康检查', '陪同出行、看病', '陪伴聊天']);
    expect(texts[0]).toContain('30分钟');
    expect(texts[0]).toContain('当时安排不出人手');
    expect(texts[1]).toContain('45分钟');
    expect(texts[1]).not.toContain('取消原因');
    expect(texts[2]).toContain('上门时家中无人');
    expect(texts.join('')).toContain('取消的时间');
    expect(texts.join('')).toContain('预约的时间');
    expect(await section.getByRole('link').count()).toBe(0);
    expect(await section.locator('.hint').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // Eight more cancelled: eleven in two weeks, the latest ten listed, and the page says so.
    for (let hours = 60; hours < 68; hours += 1) {
      const id = await book('SHOPPING', 1, hours);
      await http(stack).post(`/api/v1/time-bank/redemptions/${id}/cancel`).set(holder.auth).expect(200);
    }
    await visit(page, '/time-bank');
    await waitForText(section.locator('h2'), '最近取消的预约（11）');
    await waitForText(section.locator('.hint'), '这里列出最近的 10 次');
    expect(await cards.count()).toBe(10);
    await context.close();

    const counter = await createUser(stack, ['COUNTER'], { name: '窗口小王' });
    const desk = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const deskPage = await desk.newPage();
    await visit(deskPage, `/counter/seniors/${holder.user.id}`);
    await waitForText(deskPage.locator('main h2', { hasText: '最近取消的预约' }), '最近取消的预约');
    const listed = deskPage.locator('main h2', { hasText: '最近取消的预约' }).locator('xpath=following-sibling::ul[1]').locator('.card');
    expect(await listed.count()).toBe(10);
    expect((await listed.allInnerTexts()).join('')).toContain('当时安排不出人手');
    await desk.close();
  });
});
