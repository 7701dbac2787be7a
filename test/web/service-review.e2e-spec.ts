/**
 * Proves, in the browser, that a volunteer can take a service the elder turned down to staff once
 * (a question, a check, plain words when it cannot be asked), that the elder's page then asks
 * nothing, that a manager of the elder's care centre finds it from the home page and confirms it
 * with a note, that an administrator can uphold another, and that each side reads the outcome;
 * axe passes on the new pages and no id is shown as text.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser, http, type TestStack, type TestUser } from '@app/testing';
import { axeViolations, closeInOrder, DESKTOP, openContext, PHONE, visit, waitForText } from './browser';
import { hoursAgo, logService } from '../time-bank/helpers';
import { startWorld, type World } from './web-fixtures';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('web: a volunteer asks staff to review a service the elder turned down', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;
  const opened: BrowserContext[] = [];

  beforeAll(async () => {
    ({ stack, world, browser } = await startWorld());
    // The senior attends the centre manager's care centre: that manager is staff for them.
    await http(stack)
      .post(`/api/v1/care-centres/${world.centreId}/check-ins`)
      .set(world.centreManager.auth)
      .send({ seniorId: world.senior.user.id })
      .expect(201);
  }, 120_000);

  afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
  });

  afterAll(async () => closeInOrder(browser, stack));

  async function pageAs(user: TestUser, viewport = PHONE): Promise<Page> {
    const context = await openContext(browser, stack, { token: user.token, viewport });
    opened.push(context);
    return context.newPage();
  }

  /** A service of the world's volunteer for the world's senior, which the senior says did not happen. */
  async function turnedDown(serviceType: string, hours: number, durationMinutes: number, reason: string): Promise<string> {
    const id = await logService(stack, world.volunteer, world.senior, { serviceType, startedAt: hoursAgo(hours), durationMinutes });
    await http(stack).post(`/api/v1/time-bank/services/${id}/reject`).set(world.senior.auth).send({ reason }).expect(200);
    return id;
  }

  async function service(id: string, as: TestUser = world.volunteer): Promise<Record<string, unknown>> {
    return (await http(stack).get(`/api/v1/time-bank/services/${id}`).set(as.auth).expect(200)).body;
  }

  async function balance(user: TestUser): Promise<number> {
    return (await http(stack).get('/api/v1/time-bank/accounts/me').set(user.auth).expect(200)).body.balanceMinutes as number;
  }

  async function noIdShown(page: Page): Promise<void> {
    expect(await page.locator('main').innerText()).not.toMatch(UUID);
  }

  it('takes a service to review through a question and a check, asks the elder nothing meanwhile, and shows the manager’s confirmation to both', async () => {
    const id = await turnedDown('SHOPPING', 5, 90, '那天没有人来');
    const before = await balance(world.volunteer);

    // The volunteer reads the elder's words and is offered a review.
    const volunteerPage = await pageAs(world.volunteer);
    await visit(volunteerPage, `/time-bank/services/${id}`);
    await waitForText(volunteerPage.locator('main'), '已说明没有这回事：那天没有人来');
    await waitForText(volunteerPage.locator('#review-offer'), '只能申请一次');
    expect(await axeViolations(volunteerPage)).toEqual([]);
    await noIdShown(volunteerPage);
    await volunteerPage.getByRole('link', { name: '申请复核' }).click();
    await waitForText(volunteerPage.locator('main h1'), '为什么说这次服务做了？');
    expect(await volunteerPage.locator('main').innerText()).toContain('那天没有人来');
    await volunteerPage.getByRole('button', { name: '继续' }).click();
    await waitForText(volunteerPage.locator('#error-summary'), '请填写');
    expect(await axeViolations(volunteerPage)).toEqual([]);
    await volunteerPage.getByLabel('为什么说这次服务做了？').fill('下午两点到三点陪老人去超市买了米和油，超市收银员可以作证');
    await volunteerPage.getByRole('button', { name: '继续' }).click();
    await waitForText(volunteerPage.locator('main h1'), '请核对您填写的内容');
    const summary = await waitForText(volunteerPage.locator('.summary-list'), '超市收银员可以作证');
    expect(summary).toContain('那天没有人来');
    expect(summary).toContain('代买东西');
    expect(await axeViolations(volunteerPage)).toEqual([]);
    // Nothing is sent before the check is confirmed.
    expect((await service(id)).status).toBe('REJECTED');
    await volunteerPage.getByRole('button', { name: '确认，申请复核' }).click();
    await waitForText(volunteerPage.locator('[role=status]'), '已申请复核');
    await waitForText(volunteerPage.locator('#service-standing'), '已申请复核，工作人员正在核实');
    expect(await volunteerPage.getByRole('link', { name: '申请复核' }).count()).toBe(0);
    expect(await volunteerPage.locator('main').innerText()).toContain('超市收银员可以作证');
    expect(await service(id)).toMatchObject({
      status: 'UNDER_REVIEW',
      review: { reason: '下午两点到三点陪老人去超市买了米和油，超市收银员可以作证', outcome: null },
    });
    expect(await axeViolations(volunteerPage)).toEqual([]);
    await noIdShown(volunteerPage);
    // Its card among the services logged says it is with staff.
    await visit(volunteerPage, '/time-bank/logged');
    await waitForText(volunteerPage.locator('.card', { hasText: '代买东西' }).locator('[data-status=UNDER_REVIEW]'), '复核中');
    // The wizard's address, once asked, leads back to the service's page.
    await visit(volunteerPage, `/time-bank/services/${id}/review/reason`);
    await waitForText(volunteerPage.locator('#service-standing'), '已申请复核');

    // The elder is told the volunteer asked staff, and is asked nothing.
    const elderPage = await pageAs(world.senior);
    await visit(elderPage, `/time-bank/services/${id}`);
    await waitForText(elderPage.locator('#service-standing'), '志愿者请工作人员复核这次服务');
    const elderText = await elderPage.locator('main').innerText();
    expect(elderText).toContain('超市收银员可以作证');
    expect(elderText).toContain('那天没有人来');
    expect(await elderPage.getByRole('button', { name: '是的，服务做了' }).count()).toBe(0);
    expect(await elderPage.getByRole('link', { name: '没有这回事' }).count()).toBe(0);
    expect(await axeViolations(elderPage)).toEqual([]);
    await noIdShown(elderPage);
    // Nor does the address of "it did not happen" ask anything now.
    await visit(elderPage, `/time-bank/services/${id}/reject/reason`);
    await waitForText(elderPage.locator('#service-standing'), '志愿者请工作人员复核这次服务');

    // A manager of another home is not staff for this senior: no count, an empty list.
    const otherPage = await pageAs(world.manager, DESKTOP);
    await visit(otherPage, '/');
    const otherTile = otherPage.locator('.tile', { hasText: '复核志愿服务' });
    await waitForText(otherTile, '在这里决定');
    await otherTile.getByRole('link').click();
    await waitForText(otherPage.locator('#reviews-count'), '现在没有等待复核的服务');

    // The centre's manager finds it from the home page.
    const managerPage = await pageAs(world.centreManager, DESKTOP);
    await visit(managerPage, '/');
    const tile = managerPage.locator('.tile', { hasText: '复核志愿服务' });
    await waitForText(tile, '有 1 次服务等待复核');
    await tile.getByRole('link').click();
    await waitForText(managerPage.locator('main h1'), '复核志愿服务');
    const row = managerPage.locator('#reviews-table tbody tr');
    expect(await row.count()).toBe(1);
    const rowText = await waitForText(row, '张志强');
    for (const expected of ['李桂兰', '代买东西', '1小时30分钟', '那天没有人来', '超市收银员可以作证']) expect(rowText).toContain(expected);
    expect(await axeViolations(managerPage)).toEqual([]);
    await noIdShown(managerPage);
    await row.getByRole('link', { name: /复核/ }).click();
    await waitForText(managerPage.locator('main h1'), '复核一次志愿服务');
    expect(new URL(managerPage.url()).pathname).toBe(`/time-bank/reviews/${id}`);
    // Both answers are required; the errors are summarised and linked.
    await managerPage.getByRole('button', { name: '提交决定' }).click();
    const errors = await waitForText(managerPage.locator('#error-summary'), '请选择您的决定');
    expect(errors).toContain('请填写决定的理由');
    expect(await axeViolations(managerPage)).toEqual([]);
    await noIdShown(managerPage);
    await managerPage.getByLabel('确认服务，存入时间').check();
    await managerPage.getByLabel('决定的理由').fill('已电话询问超市，当天下午确有志愿者陪老人购物');
    await managerPage.getByRole('button', { name: '提交决定' }).click();
    await waitForText(managerPage.locator('[role=status]'), '已确认这次服务，1小时30分钟 存入张志强的账户');
    await waitForText(managerPage.locator('#reviews-count'), '现在没有等待复核的服务');
    expect(await service(id)).toMatchObject({ status: 'CONFIRMED', review: { outcome: 'CONFIRMED', note: '已电话询问超市，当天下午确有志愿者陪老人购物' } });
    expect(await balance(world.volunteer)).toBe(before + 90);
    // Decided, its page says what was decided and offers no form.
    await visit(managerPage, `/time-bank/reviews/${id}`);
    await waitForText(managerPage.locator('#review-outcome'), '已作出决定：确认服务');
    expect(await managerPage.getByRole('button', { name: '提交决定' }).count()).toBe(0);
    expect(await axeViolations(managerPage)).toEqual([]);
    await visit(managerPage, '/');
    await waitForText(managerPage.locator('.tile', { hasText: '复核志愿服务' }), '在这里决定');

    // The volunteer reads the outcome and the note, on the page and on the card.
    await visit(volunteerPage, `/time-bank/services/${id}`);
    await waitForText(volunteerPage.locator('#service-standing'), '经复核已确认，时间已存入');
    expect(await volunteerPage.locator('main').innerText()).toContain('已电话询问超市，当天下午确有志愿者陪老人购物');
    expect(await axeViolations(volunteerPage)).toEqual([]);
    await noIdShown(volunteerPage);
    await visit(volunteerPage, '/time-bank/logged');
    const card = volunteerPage.locator('.card', { hasText: '代买东西' });
    await waitForText(card, '经复核已确认，时间已存入');
    expect(await card.innerText()).toContain('工作人员的说明：已电话询问超市');

    // So does the elder.
    await visit(elderPage, `/time-bank/services/${id}`);
    await waitForText(elderPage.locator('#service-standing'), '工作人员复核后确认了这次服务');
    expect(await elderPage.locator('main').innerText()).toContain('已电话询问超市，当天下午确有志愿者陪老人购物');
    await noIdShown(elderPage);
  });

  it('lets an administrator uphold the elder’s word, which the volunteer then reads as final', async () => {
    const id = await turnedDown('CLEANING', 30, 60, '志愿者没有打扫，只坐了一会儿');
    await http(stack).post(`/api/v1/time-bank/services/${id}/review-request`).set(world.volunteer.auth).send({ reason: '厨房和卫生间都打扫了' }).expect(200);
    const before = await balance(world.volunteer);

    const adminPage = await pageAs(world.admin, DESKTOP);
    await visit(adminPage, '/');
    await waitForText(adminPage.locator('.tile', { hasText: '复核志愿服务' }), '有 1 次服务等待复核');
    await visit(adminPage, `/time-bank/reviews/${id}`);
    await waitForText(adminPage.locator('main'), '厨房和卫生间都打扫了');
    await adminPage.getByLabel('维持老人的说法').check();
    await adminPage.getByLabel('决定的理由').fill('老人的女儿当天在家，说志愿者没有打扫');
    await adminPage.getByRole('button', { name: '提交决定' }).click();
    await waitForText(adminPage.locator('[role=status]'), '已维持老人的说法');
    expect(await service(id)).toMatchObject({ status: 'REJECTED', review: { outcome: 'REJECTED', note: '老人的女儿当天在家，说志愿者没有打扫' } });
    expect(await balance(world.volunteer)).toBe(before);

    const volunteerPage = await pageAs(world.volunteer);
    await visit(volunteerPage, `/time-bank/services/${id}`);
    await waitForText(volunteerPage.locator('#service-standing'), '经复核，维持老人的说法');
    expect(await volunteerPage.locator('main').innerText()).toContain('老人的女儿当天在家，说志愿者没有打扫');
    expect(await volunteerPage.getByRole('link', { name: '申请复核' }).count()).toBe(0);
    expect(await axeViolations(volunteerPage)).toEqual([]);
    await noIdShown(volunteerPage);
    await visit(volunteerPage, '/time-bank/logged');
    const card = volunteerPage.locator('.card', { hasText: '打扫卫生' });
    await waitForText(card, '经复核，维持老人的说法');
    expect(await card.getByRole('link', { name: /申请复核/ }).count()).toBe(0);

    const elderPage = await pageAs(world.senior);
    await visit(elderPage, `/time-bank/services/${id}`);
    await waitForText(elderPage.locator('#service-standing'), '工作人员复核后，维持了您的说法');
  });

  it('says in plain words when a review can no longer be asked for', async () => {
    // Too late: turned down more than 14 days ago.
    const late = await logService(stack, world.volunteer, world.senior, { serviceType: 'ESCORT', startedAt: hoursAgo(20 * 24), durationMinutes: 60 });
    await http(stack).post(`/api/v1/time-bank/services/${late}/reject`).set(world.senior.auth).send({ reason: '那天我在医院，没出门' }).expect(200);
    await stack.dataSource.query(`UPDATE time_bank_services SET decided_at = now() - interval '15 days' WHERE id = $1`, [late]);
    const page = await pageAs(world.volunteer);
    await visit(page, `/time-bank/services/${late}`);
    // The page gives the last day rather than restating the rule's number of days.
    const offer = await waitForText(page.locator('#review-offer'), '已经过了，不能再申请了');
    const until = (await http(stack).get(`/api/v1/time-bank/services/${late}`).set(world.volunteer.auth).expect(200)).body.reviewableUntil as string;
    expect(Date.parse(until)).toBeLessThan(Date.now());
    expect(offer).toMatch(/申请复核的期限到.*\d{1,2}月\d{1,2}日/);
    expect(await page.getByRole('link', { name: '申请复核' }).count()).toBe(0);

    // The time closes while the volunteer is on the check page: the refusal is explained there.
    const closing = await turnedDown('MEAL_DELIVERY', 50, 60, '饭没有送到');
    await visit(page, `/time-bank/services/${closing}/review/reason`);
    await page.getByLabel('为什么说这次服务做了？').fill('饭送到了门口，老人开门拿的');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main h1'), '请核对您填写的内容');
    await stack.dataSource.query(`UPDATE time_bank_services SET decided_at = now() - interval '15 days' WHERE id = $1`, [closing]);
    await page.getByRole('button', { name: '确认，申请复核' }).click();
    await waitForText(page.locator('#error-summary'), '申请复核的期限已经过了');
    expect((await service(closing)).status).toBe('REJECTED');

    // Another service logged since at an overlapping time: the refusal says so.
    const overlapped = await turnedDown('COMPANIONSHIP', 80, 60, '没有人来陪我');
    await logService(stack, world.volunteer, await createUser(stack, ['SENIOR']), { startedAt: hoursAgo(80), durationMinutes: 60 });
    await visit(page, `/time-bank/services/${overlapped}/review/reason`);
    await page.getByLabel('为什么说这次服务做了？').fill('陪老人聊了一个小时');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByRole('button', { name: '确认，申请复核' }).click();
    await waitForText(page.locator('#error-summary'), '时间重叠');
    expect(await axeViolations(page)).toEqual([]);
    expect((await service(overlapped)).status).toBe('REJECTED');
  });
  it('lets the elder’s centre’s manager answer for an elder who was asked in person, from the list of services still waiting', async () => {
    const escort = await logService(stack, world.volunteer, world.senior, { serviceType: 'ESCORT', startedAt: hoursAgo(60), durationMinutes: 120 });
    const meal = await logService(stack, world.volunteer, world.senior, { serviceType: 'MEAL_DELIVERY', startedAt: hoursAgo(64), durationMinutes: 60 });
    // The escort was logged three days ago: it has waited longest.
    await stack.dataSource.query(`UPDATE time_bank_services SET created_at = now() - interval '3 days 1 hour' WHERE id = $1`, [escort]);
    const before = await balance(world.volunteer);

    // A manager of another home is not staff for this senior: their list is empty.
    const otherPage = await pageAs(world.manager, DESKTOP);
    await visit(otherPage, '/time-bank/waiting');
    await waitForText(otherPage.locator('#waiting-count'), '现在没有等老人确认的服务');

    const managerPage = await pageAs(world.centreManager, DESKTOP);
    await visit(managerPage, '/');
    const tile = managerPage.locator('.tile', { hasText: '等老人确认的服务' });
    await waitForText(tile, '次服务等老人确认');
    await tile.getByRole('link').click();
    await waitForText(managerPage.locator('main h1'), '等老人确认的服务');
    const escortRow = managerPage.locator('#waiting-table tbody tr', { hasText: '陪同出行' });
    const rowText = await waitForText(escortRow, '3 天');
    for (const expected of ['李桂兰', '张志强', '2小时']) expect(rowText).toContain(expected);
    expect(await managerPage.locator('#waiting-table tbody tr').first().innerText()).toContain('陪同出行');
    expect(await axeViolations(managerPage)).toEqual([]);
    await noIdShown(managerPage);

    // "It did not happen" needs what the elder said.
    await escortRow.getByRole('link', { name: /处理/ }).click();
    await waitForText(managerPage.locator('main h1'), '替老人回答：服务做了吗？');
    expect(await managerPage.locator('main').innerText()).toContain('请先当面或打电话问过李桂兰本人');
    await managerPage.getByRole('button', { name: '提交' }).click();
    await waitForText(managerPage.locator('#error-summary'), '请选择');
    await managerPage.getByLabel('没有这回事').check();
    await managerPage.getByRole('button', { name: '提交' }).click();
    await waitForText(managerPage.locator('#error-summary'), '请写下老人是怎么说的');
    expect(await axeViolations(managerPage)).toEqual([]);
    expect((await service(escort)).status).toBe('PENDING_CONFIRMATION');
    await managerPage.getByLabel('老人是怎么说的').fill('老人说那天是女儿陪她去的医院');
    await managerPage.getByRole('button', { name: '提交' }).click();
    await waitForText(managerPage.locator('[role=status]'), '已记下');
    expect(await service(escort)).toMatchObject({ status: 'REJECTED', rejectReason: '老人说那天是女儿陪她去的医院' });
    expect(await managerPage.locator('#waiting-table tbody tr', { hasText: '陪同出行' }).count()).toBe(0);

    // "It happened" banks the time.
    await managerPage.locator('#waiting-table tbody tr', { hasText: '送餐' }).getByRole('link', { name: /处理/ }).click();
    await managerPage.getByLabel('做了，确认并存入时间').check();
    await managerPage.getByRole('button', { name: '提交' }).click();
    await waitForText(managerPage.locator('[role=status]'), '已确认，1小时 存入张志强的账户');
    expect((await service(meal)).status).toBe('CONFIRMED');
    expect(await balance(world.volunteer)).toBe(before + 60);

    // The volunteer's page names who answered for the elder.
    const volunteerPage = await pageAs(world.volunteer);
    await visit(volunteerPage, `/time-bank/services/${escort}`);
    const decided = await waitForText(volunteerPage.locator('#service-decided'), '代老人说明没有这回事');
    expect(decided).toContain(world.centreManager.user.name);
    expect(decided).toContain('老人说那天是女儿陪她去的医院');
    await noIdShown(volunteerPage);

    // Decided, its page says so and asks nothing.
    await visit(managerPage, `/time-bank/waiting/${escort}`);
    await waitForText(managerPage.locator('#waiting-standing'), '已经有了结果');
    expect(await managerPage.getByRole('button', { name: '提交' }).count()).toBe(0);
    await noIdShown(managerPage);
  });
});
