/**
 * Proves, in the browser, what follows a request for help: the senior sees who is coming and
 * cancels a request, or closes one whose time is over after saying nobody came; the volunteer who
 * took one sees whom to call, gives one back and reports another done with how long it took.
 */
import type { Browser } from 'playwright-core';
import { http, type TestStack } from '@app/testing';
import { closeInOrder, openContext, PHONE, settled, visit, waitForText } from './browser';
import { claimedRequest, pastClaim, startWorld, type World } from './web-fixtures';

describe('web: after a request for help is posted', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;
  /** A request of the senior's wanted in a few minutes, claimed by the volunteer: due to be reported done. */
  let dueId: string;

  beforeAll(async () => {
    ({ stack, world, browser } = await startWorld());
    dueId = await claimedRequest(stack, world, { serviceType: 'CLEANING', wantedAt: new Date(Date.now() + 5 * 60 * 1000), street: '湖滨街道 东坡路 12 号' });
  }, 120_000);

  afterAll(async () => closeInOrder(browser, stack));

  it('shows the senior who is coming, with a number to call, and cancels the open request after a check', async () => {
    const context = await openContext(browser, stack, { token: world.senior.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/');
    await page.getByRole('link', { name: /我的求助/ }).click();
    await settled(page);
    await waitForText(page.locator('main h1'), '我的求助');
    const coming = page.locator('.card', { hasText: '打扫卫生' });
    await waitForText(coming, '志愿者会来');
    expect(await coming.innerText()).toContain('来帮忙的志愿者：张志强');
    expect(await coming.getByRole('link', { name: /打电话给张志强/ }).getAttribute('href')).toBe(`tel:${world.volunteer.user.phone ?? ''}`);
    await waitForText(page.locator('.card', { hasText: '陪同出行、看病' }), '等志愿者认领');

    await page.getByRole('link', { name: /取消这个求助.*陪同出行、看病/ }).click();
    await settled(page);
    await waitForText(page.locator('main h1'), '确定要取消这个求助吗？');
    expect(await page.locator('.summary-list').innerText()).toContain('湖滨街道 东坡路 12 号');
    await page.getByRole('button', { name: '确认取消' }).click();
    await waitForText(page.locator('[role=status]'), '求助已取消');
    await waitForText(page.locator('.card', { hasText: '陪同出行、看病' }), '已取消');
    const request = await http(stack).get(`/api/v1/time-bank/requests/${world.requestId}`).set(world.senior.auth).expect(200);
    expect(request.body.status).toBe('CANCELLED');
    await context.close();
  });

  it('shows the volunteer whom to call, gives one request back and reports another done with its length', async () => {
    const laterId = await claimedRequest(stack, world, { serviceType: 'SHOPPING', wantedAt: new Date(Date.now() + 26 * 60 * 60 * 1000), durationMinutes: 30 });

    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/');
    await page.getByRole('link', { name: /我接的求助/ }).click();
    await settled(page);
    const due = page.locator('.card', { hasText: '打扫卫生' });
    await waitForText(due, '李桂兰');
    expect(await due.getByRole('link', { name: world.senior.user.phone ?? '' }).getAttribute('href')).toBe(`tel:${world.senior.user.phone ?? ''}`);
    // Tomorrow's request cannot be reported done yet; it can be given back.
    const tomorrow = page.locator('.card', { hasText: '代买东西' });
    await waitForText(tomorrow, '服务时间到了以后');
    expect(await tomorrow.getByRole('link', { name: /服务做完了/ }).count()).toBe(0);
    await tomorrow.getByRole('link', { name: /我去不了了/ }).click();
    await settled(page);
    await waitForText(page.locator('main h1'), '确定去不了了吗？');
    await page.getByRole('button', { name: '确认，我去不了了' }).click();
    await waitForText(page.locator('[role=status]'), '已经交还');
    expect((await http(stack).get(`/api/v1/time-bank/requests/${laterId}`).set(world.volunteer.auth).expect(200)).body).toMatchObject({
      status: 'OPEN',
      claimedBy: null,
    });

    await page.getByRole('link', { name: /服务做完了.*打扫卫生/ }).click();
    await settled(page);
    await page.getByLabel('1小时30分钟').check();
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main h1'), '请核对您填写的内容');
    expect(await page.locator('.summary-list').innerText()).toContain('李桂兰');
    await page.getByRole('button', { name: '确认，服务做完了' }).click();
    await waitForText(page.locator('[role=status]'), '已登记，等老人确认后存入时间');
    await waitForText(page.locator('main'), '您现在没有要去的求助');
    const done = await http(stack).get(`/api/v1/time-bank/requests/${dueId}`).set(world.volunteer.auth).expect(200);
    expect(done.body.status).toBe('COMPLETED');
    const service = await http(stack)
      .get(`/api/v1/time-bank/services/${done.body.serviceId as string}`)
      .set(world.volunteer.auth)
      .expect(200);
    expect(service.body).toMatchObject({ status: 'PENDING_CONFIRMATION', durationMinutes: 90, recipientId: world.senior.user.id });
    await context.close();
  });

  it('asks the volunteer about a claim whose time is over, and closes it when given back late, as the senior then sees', async () => {
    // Its time (three hours ago) and its hour to be taken by anyone are over.
    const pastId = await pastClaim(stack, world, 'MEAL_DELIVERY');

    const senior = await openContext(browser, stack, { token: world.senior.token, viewport: PHONE });
    const seniorPage = await senior.newPage();
    await visit(seniorPage, '/time-bank/my-requests');
    await waitForText(seniorPage.locator('.card', { hasText: '送餐' }), '等志愿者登记这次服务');

    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank/my-claims');
    const card = page.locator('.card', { hasText: '送餐' });
    await waitForText(card, '服务时间已经过了');
    await card.getByRole('link', { name: /我去不了了/ }).click();
    await settled(page);
    await waitForText(page.locator('main'), '时间已经过了，这个求助会关闭');
    await page.getByRole('button', { name: '确认，我去不了了' }).click();
    await waitForText(page.locator('[role=status]'), '已经交还');
    expect((await http(stack).get(`/api/v1/time-bank/requests/${pastId}`).set(world.senior.auth).expect(200)).body.status).toBe('EXPIRED');

    await visit(seniorPage, '/time-bank/my-requests');
    await waitForText(seniorPage.locator('.card', { hasText: '送餐' }), '时间已过，没有志愿者来');
    await context.close();
    await senior.close();
  });

  it('asks the senior whether the volunteer came before closing a claim whose time is over; the volunteer’s message logs it if they did go', async () => {
    const overId = await pastClaim(stack, world, 'SHOPPING');

    const context = await openContext(browser, stack, { token: world.senior.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank/my-requests');
    // The senior has another shopping request, still open.
    const card = page.locator('.card', { hasText: '代买东西' }).filter({ hasText: '张志强' });
    await waitForText(card, '等志愿者登记这次服务');
    // Not "cancel": the time is over, so the senior is asked whether anybody came.
    expect(await card.getByRole('link', { name: /取消这个求助/ }).count()).toBe(0);
    await card.getByRole('link', { name: /志愿者没来？关闭这个求助/ }).click();
    await settled(page);
    await waitForText(page.locator('main h1'), '志愿者没有来吗？');
    expect(await page.locator('main').innerText()).toContain('志愿者张志强来过的话，请不要关闭');
    await page.getByRole('button', { name: '志愿者没来，关闭求助' }).click();
    await waitForText(page.locator('[role=status]'), '求助已关闭');
    await waitForText(page.locator('.card', { hasText: '代买东西' }).filter({ hasText: '已取消' }), '已取消');
    expect((await http(stack).get(`/api/v1/time-bank/requests/${overId}`).set(world.senior.auth).expect(200)).body.status).toBe('CANCELLED');
    await context.close();

    // The volunteer did go after all: the message's link logs the service, for the senior to confirm.
    const volunteer = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const volunteerPage = await volunteer.newPage();
    await visit(volunteerPage, '/notifications');
    const message = volunteerPage.locator('.card', { hasText: '求助已关闭' });
    await waitForText(message, '如果您去服务过');
    await message.getByRole('link', { name: /去看看/ }).click();
    await settled(volunteerPage);
    await waitForText(volunteerPage.locator('main h1'), '实际服务了多长时间？');
    expect(await volunteerPage.locator('main').innerText()).toContain('老人说没有志愿者来，已经关闭了这个求助');
    await volunteerPage.getByLabel('1小时', { exact: true }).check();
    await volunteerPage.getByRole('button', { name: '继续' }).click();
    await waitForText(volunteerPage.locator('main h1'), '请核对您填写的内容');
    const check = await volunteerPage.locator('main').innerText();
    expect(check).toContain('老人说没有志愿者来');
    // The senior is the request's; the page names no internal id.
    expect(check).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    await volunteerPage.getByRole('button', { name: '确认，服务做完了' }).click();
    await waitForText(volunteerPage.locator('[role=status]'), '已登记，等老人确认后存入时间');
    const [service] = await stack.dataSource.query<{ status: string; duration_minutes: number; request_id: string | null }[]>(
      `SELECT status, duration_minutes, request_id FROM time_bank_services WHERE volunteer_id = $1 AND recipient_id = $2 AND service_type = 'SHOPPING'`,
      [world.volunteer.user.id, world.senior.user.id],
    );
    expect(service).toEqual({ status: 'PENDING_CONFIRMATION', duration_minutes: 60, request_id: null });
    // The request stays as the senior left it.
    expect((await http(stack).get(`/api/v1/time-bank/requests/${overId}`).set(world.senior.auth).expect(200)).body.status).toBe('CANCELLED');
    await volunteer.close();
  });

  it('tells the volunteer, in a request’s words, that the senior cancelled it while the page was open', async () => {
    const id = await claimedRequest(stack, world, { serviceType: 'ESCORT', wantedAt: new Date(Date.now() + 50 * 60 * 60 * 1000), street: '清波街道' });
    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, `/time-bank/my-claims/${id}/release`);
    await waitForText(page.locator('main h1'), '确定去不了了吗？');
    // Meanwhile the senior cancels it.
    await http(stack).post(`/api/v1/time-bank/requests/${id}/cancel`).set(world.senior.auth).expect(200);
    await page.getByRole('button', { name: '确认，我去不了了' }).click();
    const message = await waitForText(page.locator('#error-summary'), '这个求助刚刚有了变化');
    expect(message).not.toMatch(/床位|ILLEGAL_TRANSITION|409/);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${id}`).set(world.senior.auth).expect(200)).body.status).toBe('CANCELLED');
    await context.close();
  });

  it('gives a request back once when its answer is lost and the volunteer presses again', async () => {
    const id = await claimedRequest(stack, world, { serviceType: 'MEAL_DELIVERY', wantedAt: new Date(Date.now() + 40 * 60 * 60 * 1000), street: '清波街道' });
    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    // The give-back reaches the server and is done there, but its answer never reaches the phone.
    const keys: (string | undefined)[] = [];
    await page.route(`**/api/v1/time-bank/requests/${id}/release`, async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length > 1) return route.continue();
      await route.fetch();
      return route.abort('connectionreset');
    });
    await visit(page, `/time-bank/my-claims/${id}/release`);
    await page.getByRole('button', { name: '确认，我去不了了' }).click();
    await waitForText(page.locator('#error-summary'), '网络连接不上');
    await page.getByRole('button', { name: '确认，我去不了了' }).click();
    await waitForText(page.locator('[role=status]'), '已经交还');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[\x21-\x7e]{1,100}$/);
    expect(keys[1]).toBe(keys[0]);
    const told = await stack.dataSource.query<unknown[]>(
      `SELECT 1 FROM notifications WHERE kind = 'REQUEST_RELEASED' AND addressee_id = $1 AND channel = 'INBOX' AND event_key LIKE $2`,
      [world.senior.user.id, `request-released:${id}:%`],
    );
    expect(told).toHaveLength(1);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${id}`).set(world.senior.auth).expect(200)).body).toMatchObject({
      status: 'OPEN',
      claimedBy: null,
    });
    await context.close();
  });

  it('says a claim more than 30 days old can no longer be logged, and the log form asks for a day of the last 30', async () => {
    const oldId = await claimedRequest(stack, world, { serviceType: 'OTHER', wantedAt: new Date(Date.now() + 60 * 60 * 1000) });
    await stack.dataSource.query(`UPDATE time_bank_requests SET wanted_at = now() - interval '31 days' WHERE id = $1`, [oldId]);
    const services = () =>
      stack.dataSource.query(`SELECT 1 FROM time_bank_services WHERE volunteer_id = $1 AND service_type = 'OTHER'`, [world.volunteer.user.id]);

    const context = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank/my-claims');
    const card = page.locator('.card', { has: page.locator('h2', { hasText: '其他' }) });
    await waitForText(card, '已经不能登记了');
    expect(await card.getByRole('link', { name: /服务做完了/ }).count()).toBe(0);
    expect(await card.getByRole('link', { name: /我去不了了/ }).count()).toBe(1);
    // Reached by its address all the same (an old message's link): it says why, and asks nothing.
    await visit(page, `/time-bank/my-claims/${oldId}/done/duration`);
    await waitForText(page.locator('main'), '只能登记 30 天以内的服务');
    expect(await page.locator('main form').count()).toBe(0);

    // Logging it by hand: the day is named on its own page, before anything is sent.
    await visit(page, '/time-bank/log/recipient');
    await page.getByLabel(/您为谁服务/).fill(world.senior.user.phone ?? '');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByLabel('其他').check();
    await page.getByRole('button', { name: '继续' }).click();
    const daysAgo = (days: number): string => new Date(Date.now() + 8 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('日期').fill(daysAgo(31));
    await page.getByLabel('几点').fill('10:00');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('#error-summary'), '只能登记 30 天以内的服务');
    await page.getByLabel('日期').fill(daysAgo(29));
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main h1'), '服务了多少分钟？');
    expect(await services()).toEqual([]);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${oldId}`).set(world.volunteer.auth).expect(200)).body.status).toBe('CLAIMED');
    await context.close();
  });

  it('chooses its buttons by the server’s clock, not by a phone’s that is two days off', async () => {
    await claimedRequest(stack, world, { serviceType: 'HEALTH_CHECK', wantedAt: new Date(Date.now() + 26 * 60 * 60 * 1000) });
    await pastClaim(stack, world, 'COMPANIONSHIP');
    const twoDays = 2 * 24 * 60 * 60 * 1000;

    // Two days fast, tomorrow's visit would look done and due to be reported; it is not yet.
    const volunteer = await openContext(browser, stack, { token: world.volunteer.token, viewport: PHONE });
    await volunteer.clock.setFixedTime(new Date(Date.now() + twoDays));
    const page = await volunteer.newPage();
    await visit(page, '/time-bank/my-claims');
    const tomorrow = page.locator('.card', { hasText: '健康检查' });
    await waitForText(tomorrow, '服务时间到了以后');
    expect(await tomorrow.getByRole('link', { name: /服务做完了/ }).count()).toBe(0);
    await waitForText(page.locator('.card', { hasText: '陪伴聊天' }), '服务时间已经过了');
    await volunteer.close();

    // Two days slow, the visit three hours ago would look still to come; the senior is asked whether anybody came.
    const senior = await openContext(browser, stack, { token: world.senior.token, viewport: PHONE });
    await senior.clock.setFixedTime(new Date(Date.now() - twoDays));
    const seniorPage = await senior.newPage();
    await visit(seniorPage, '/time-bank/my-requests');
    const past = seniorPage.locator('.card', { hasText: '陪伴聊天' }).filter({ hasText: '张志强' });
    await waitForText(past, '等志愿者登记这次服务');
    expect(await past.getByRole('link', { name: /志愿者没来？关闭这个求助/ }).count()).toBe(1);
    expect(
      await seniorPage
        .locator('.card', { hasText: '健康检查' })
        .getByRole('link', { name: /取消这个求助/ })
        .count(),
    ).toBe(1);
    await senior.close();
  });
});
