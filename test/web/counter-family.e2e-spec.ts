/**
 * Proves, in the browser, that a counter worker registers a senior who has no phone, prints the
 * card, applies for a course for them and sees the ticket decided; that a daughter linked to her
 * mother applies for her and sees it in "my family", and the mother sees it and ends the link;
 * that the counter and a linked son book a service with a senior's own minutes for her;
 * that a senior in a home, her daughter and the counter read where she lives and that she is on leave;
 * that an administrator closes a senior's account there, her seat going to the next in line, and
 * a relative's from their own page;
 * that these pages pass axe; and that no page of any role shows an internal id.
 */
import type { Browser, Page } from 'playwright-core';
import { birthDateForAge, createUser, http, type TestStack, type TestUser, uniquePhone, uniqueResidentId, waitFor } from '@app/testing';
import { axeViolations, closeInOrder, DESKTOP, openContext, PHONE, redeemTomorrowAtTen, visit, waitForText } from './browser';
import { addResident, nursingHome } from '../bed-inventory/bed-fixtures';
import { apply, createCourse, decided, type Term, ticket } from '../enrolment/helpers';
import { hoursAgo, logService } from '../time-bank/helpers';
import { earnMinutes, startWorld, type World } from './web-fixtures';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

async function mainText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

describe('web: the service counter and the family', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;
  let counter: TestUser;

  beforeAll(async () => {
    ({ stack, world, browser } = await startWorld());
    counter = await createUser(stack, ['COUNTER'], { name: '窗口小陈' });
  }, 120_000);

  afterAll(async () => closeInOrder(browser, stack));

  it('says why a search cannot find anyone before sending it: nothing typed, or one character of a name', async () => {
    const context = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, '/counter');
    expect(await page.locator('#error-summary').count()).toBe(0);
    await page.getByRole('button', { name: '查找' }).click();
    await waitForText(page.locator('#error-summary'), '请填写要查找的号码或姓名');
    expect(await page.evaluate<string>('document.activeElement ? document.activeElement.id : ""')).toBe('error-summary');
    await page.getByLabel('查找老人').fill('李');
    await page.getByRole('button', { name: '查找' }).click();
    await waitForText(page.locator('#error-summary'), '姓名请至少填两个字');
    expect(await axeViolations(page)).toEqual([]);
    // A whole name is searched; a partial number is searched and found nobody, as before.
    await page.getByLabel('查找老人').fill('李桂兰');
    await page.getByRole('button', { name: '查找' }).click();
    await waitForText(page.locator('main'), '找到 1 人');
    expect(await page.locator('#error-summary').count()).toBe(0);
    await page.getByLabel('查找老人').fill('1380');
    await page.getByRole('button', { name: '查找' }).click();
    await waitForText(page.locator('[role=status]'), '没有找到');
    await context.close();
  });

  it('registers a senior with no phone, prints the card, applies for a course for them and sees the ticket decided', async () => {
    const context = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const page = await context.newPage();
    const idCardNumber = uniqueResidentId(birthDateForAge(81));
    await visit(page, '/counter');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '登记新老人' }).click();
    await page.getByLabel('老人的姓名（与身份证一致）').fill('孙玉珍');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByLabel('老人的身份证号码').fill(idCardNumber);
    await page.getByRole('button', { name: '继续' }).click();
    // The phone's step (left empty) must be showing, or the click would land on the last step's button.
    await page.getByLabel('老人的手机号码').waitFor();
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main h1'), '请核对');
    await waitForText(page.locator('main'), '没有手机');
    await page.getByRole('button', { name: '确认登记' }).click();
    await waitForText(page.locator('[role=status]'), '已登记孙玉珍');
    await waitForText(page.locator('main h1'), '孙玉珍');
    const card = (await page.getByTestId('card-number').innerText()).replace(/\s/g, '');
    expect(card).toMatch(/^\d{10}$/);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: '打印服务卡' }).click();
    await waitForText(page.locator('main h1'), '孙玉珍的服务卡');
    const frame = page.frameLocator('#card-frame');
    await waitForText(frame.locator('body'), `${card.slice(0, 4)} ${card.slice(4, 8)} ${card.slice(8)}`);
    expect(await frame.locator('svg').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '孙玉珍' }).click();

    await page.getByRole('link', { name: '代为报名课程' }).click();
    await page.getByLabel('智能手机使用').check();
    await page.getByRole('button', { name: '继续' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认报名' }).click();
    await waitForText(page.locator('[role=status]'), '已为孙玉珍提交报名');
    // The ticket is decided by the worker; the senior's page shows the outcome once it is.
    for (let tries = 0; tries < 30; tries += 1) {
      if ((await page.locator('[data-status=CONFIRMED]').count()) > 0) break;
      await page.waitForTimeout(300);
      await visit(page, new URL(page.url()).pathname);
    }
    // Told as about her, not about the one reading it to her.
    await waitForText(page.locator('[data-status]').first(), '报名成功 — 已获得名额');
    expect(await mainText(page)).not.toMatch(UUID);
    const seniorPath = new URL(page.url()).pathname;
    // Asked again, the counter sees the courses in the order of the week, with the places left,
    // and the one she has applied for marked.
    await page.getByRole('link', { name: '代为报名课程' }).click();
    await waitForText(page.locator('main form'), '智能手机使用');
    const choices = await page.locator('main form .choice-hint').allInnerTexts();
    expect(choices).toHaveLength(3);
    expect(choices[0]).toMatch(/^上城区老年大学 · 每周一 上午9:00–上午11:00 · 还剩 \d+ 个（共 30 个）$/);
    expect(choices[1]).toMatch(/^上城区老年大学 · 每周三 下午2:00–下午3:30 · 还剩 24 个（共 25 个） · 已报名：已获名额$/);
    expect(choices[2]).toMatch(/^上城区老年大学 · 每周五 上午7:30–上午9:00 · 共 40 个，已有 \d+ 人报名$/);
    // She changes her mind at the counter: the place is cancelled for her, after a check.
    await visit(page, seniorPath);
    await page.getByRole('link', { name: /取消这份报名\s*：智能手机使用/ }).click();
    await waitForText(page.locator('main h1'), '确定要取消这份报名吗？');
    const check = await mainText(page);
    expect(check).toContain('孙玉珍的报名');
    expect(check).toContain('孙玉珍已经获得名额');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '是的，取消报名' }).click();
    await waitForText(page.locator('[role=status]'), '已为孙玉珍取消“智能手机使用”的报名。');
    await waitForText(page.locator('[data-status]').first(), '已取消');
    expect(await page.getByRole('link', { name: /取消这份报名/ }).count()).toBe(0);
    const found = await http(stack).get('/api/v1/people').query({ q: card }).set(counter.auth).expect(200);
    expect(found.body.items[0]).toMatchObject({ name: '孙玉珍', phoneMasked: null });
    await context.close();
  });

  it('lets a daughter linked to her mother apply for her and see it in my family', async () => {
    const mother = await createUser(stack, ['SENIOR'], { name: '周秀兰', birthDate: birthDateForAge(76) });
    const daughterPhone = uniquePhone();
    const daughter = await createUser(stack, ['FAMILY'], { name: '张丽', phone: daughterPhone });
    await http(stack).post('/api/v1/family-links').set(mother.auth).send({ relativePhone: daughterPhone, relation: 'CHILD' }).expect(201);

    const context = await openContext(browser, stack, { token: daughter.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/');
    await page.getByRole('link', { name: /我的家人/ }).click();
    await waitForText(page.locator('main h2').first(), '周秀兰');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '为周秀兰报名课程' }).click();
    await page.getByLabel('书法入门').check();
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main'), '周秀兰');
    await page.getByRole('button', { name: '确认报名' }).click();
    await waitForText(page.locator('[role=status]'), '已为周秀兰提交报名');
    await waitForText(page.locator('main'), '书法入门');
    expect(await mainText(page)).not.toMatch(UUID);
    // And cancels it for her, as she asks, after a check.
    await page.getByRole('link', { name: /取消这份报名\s*：书法入门/ }).click();
    await waitForText(page.locator('main .lead'), '周秀兰的报名');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '是的，取消报名' }).click();
    await waitForText(page.locator('[role=status]'), '已为周秀兰取消“书法入门”的报名。');
    await waitForText(page.locator('main h1'), '我的家人');
    expect(await mainText(page)).not.toMatch(UUID);
    await context.close();

    // The mother sees in her own "my family" page that her daughter applied for her.
    const motherContext = await openContext(browser, stack, { token: mother.token, viewport: PHONE });
    const motherPage = await motherContext.newPage();
    await visit(motherPage, '/family');
    await waitForText(motherPage.locator('.history'), '由子女张丽代为报名了课程');
    await waitForText(motherPage.locator('.history'), '由子女张丽代为取消了报名');
    expect(await axeViolations(motherPage)).toEqual([]);
    // She ends the link; her daughter can no longer act for her.
    await motherPage.getByRole('link', { name: /解除绑定/ }).click();
    await waitForText(motherPage.locator('main h1'), '解除与张丽的绑定吗？');
    expect(await axeViolations(motherPage)).toEqual([]);
    await motherPage.getByRole('button', { name: '确认解除' }).click();
    await waitForText(motherPage.locator('[role=status]'), '已解除与张丽的绑定');
    await http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId: mother.user.id }).set(daughter.auth).expect(404);
    await motherContext.close();
  });

  it('lets the counter, then a linked relative, book a service with a senior’s own minutes for them', async () => {
    const senior = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '钱淑芬', birthDate: birthDateForAge(72) });
    await earnMinutes(stack, senior, world.senior, 180);
    const book = async (page: Page, link: string, available: string): Promise<void> => {
      await page.getByRole('link', { name: link }).click();
      await waitForText(page.locator('main h1'), '您想兑换什么服务？');
      await page.getByLabel('打扫卫生').check();
      await page.getByRole('button', { name: '继续' }).click();
      // The minutes step names the senior and what her own account can use now.
      await waitForText(page.locator('main'), `钱淑芬现在最多可以用 ${available}。`);
      await redeemTomorrowAtTen(page, '60');
      const summary = await waitForText(page.locator('.summary-list'), '钱淑芬');
      expect(summary).toContain('打扫卫生');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: '确认兑换' }).click();
      await waitForText(page.locator('[role=status]'), '已为钱淑芬预约');
      expect(await mainText(page)).not.toMatch(UUID);
    };

    const counterContext = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const counterPage = await counterContext.newPage();
    await visit(counterPage, `/counter?q=${encodeURIComponent('钱淑芬')}`);
    await counterPage
      .getByRole('link', { name: /查看.*钱淑芬|钱淑芬/ })
      .first()
      .click();
    await waitForText(counterPage.locator('main h1'), '钱淑芬');
    await book(counterPage, '代为兑换服务', '3小时（180 分钟）');
    await waitForText(counterPage.locator('main h1'), '钱淑芬');
    // Her statement is read for her at the counter, as a workbook to print.
    const [statement] = await Promise.all([
      counterPage.waitForResponse((r) => r.url().includes('/statement?')),
      counterPage.getByRole('button', { name: '下载本月对账单（Excel）' }).click(),
    ]);
    expect(statement.status()).toBe(200);
    expect(new URL(statement.url()).searchParams.get('seniorId')).toBe(senior.user.id);
    expect((await statement.allHeaders())['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await counterContext.close();
    expect((await http(stack).get('/api/v1/time-bank/accounts/me').set(senior.auth).expect(200)).body).toMatchObject({ balanceMinutes: 180, heldMinutes: 60 });

    const sonPhone = uniquePhone();
    const son = await createUser(stack, ['FAMILY'], { name: '钱力', phone: sonPhone });
    await http(stack).post('/api/v1/family-links').set(senior.auth).send({ relativePhone: sonPhone, relation: 'CHILD' }).expect(201);
    const sonContext = await openContext(browser, stack, { token: son.token, viewport: PHONE });
    const sonPage = await sonContext.newPage();
    await visit(sonPage, '/family');
    await book(sonPage, '为钱淑芬兑换服务', '2小时（120 分钟）');
    await sonContext.close();
    expect((await http(stack).get('/api/v1/time-bank/accounts/me').set(senior.auth).expect(200)).body).toMatchObject({ balanceMinutes: 180, heldMinutes: 120 });

    // Both bookings are on record as made by the counter worker and by the son.
    const seniorContext = await openContext(browser, stack, { token: senior.token, viewport: PHONE });
    const seniorPage = await seniorContext.newPage();
    await visit(seniorPage, '/family');
    const history = await waitForText(seniorPage.locator('.history'), '钱力');
    expect(history).toContain('代为预约了服务');
    await seniorContext.close();
  });

  it('shows where a senior in a home lives, and that she is on leave, to her, her daughter and the counter; and another her place on a waiting list', async () => {
    const idCardNumber = uniqueResidentId(birthDateForAge(88));
    const elder = await createUser(stack, ['SENIOR'], { name: '吴凤英', birthDate: birthDateForAge(88), idCardNumber });
    const created = await http(stack)
      .post(`/api/v1/facilities/${world.facilityId}/beds`)
      .set(world.manager.auth)
      .send({ beds: [{ code: '3-301-1', room: '301', floor: 3, careLevel: 'NURSING' }] })
      .expect(201);
    const bedId = (created.body.items as { id: string }[])[0]?.id ?? '';
    const residentId = await addResident(stack, world, { name: '吴凤英', idCardNumber });
    await http(stack).post(`/api/v1/beds/${bedId}/admit`).set(world.manager.auth).send({ residentId }).expect(200);
    const back = new Date(Date.now() + 8 * 3600_000 + 4 * 86_400_000).toISOString().slice(0, 10);
    await http(stack).post(`/api/v1/beds/${bedId}/leave`).set(world.manager.auth).send({ reason: '住院治疗', expectedReturnOn: back }).expect(200);
    const [year, month, day] = back.split('-').map(Number);
    const backText = `${year}年${month}月${day}日`;
    const facilities = (await http(stack).get('/api/v1/facilities').expect(200)).body as { items: { id: string; name: string }[] };
    const home = facilities.items.find((f) => f.id === world.facilityId)?.name ?? '';
    expect(home).not.toBe('');

    const daughterPhone = uniquePhone();
    const daughter = await createUser(stack, ['FAMILY'], { name: '周敏', phone: daughterPhone });
    await http(stack).post('/api/v1/family-links').set(elder.auth).send({ relativePhone: daughterPhone, relation: 'CHILD' }).expect(201);
    const readers: { token: string; path: string; viewport: typeof PHONE }[] = [
      { token: elder.token, path: '/', viewport: PHONE },
      { token: daughter.token, path: '/family', viewport: PHONE },
      { token: counter.token, path: `/counter/seniors/${elder.user.id}`, viewport: DESKTOP },
    ];
    for (const reader of readers) {
      const context = await openContext(browser, stack, { token: reader.token, viewport: reader.viewport });
      const page = await context.newPage();
      await visit(page, reader.path);
      const where = await waitForText(page.getByTestId('residence'), `住在${home} 3-301-1 床（3 楼 301 室）`);
      expect(where).toContain(`现在请假离院，预计${backText}`);
      expect(await page.locator('main').getByRole('heading', { name: '养老院床位' }).count()).toBe(1);
      expect(await mainText(page)).not.toMatch(UUID);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    }
    // Past the day she was expected back (that day is moved to yesterday, as the API accepts no
    // day in the past), with no return recorded: her page says the day has passed and asks her to
    // tell the home.
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    await stack.dataSource.query(`UPDATE beds SET leave_expected_return_on = $2, version = version + 1 WHERE id = $1`, [bedId, yesterday]);
    const [y, m, d] = yesterday.split('-').map(Number);
    const lateContext = await openContext(browser, stack, { token: elder.token, viewport: PHONE });
    const latePage = await lateContext.newPage();
    await visit(latePage, '/');
    const late = await waitForText(latePage.getByTestId('residence'), `原定${y}年${m}月${d}日`);
    expect(late).toContain('回来后请告诉院里登记');
    await lateContext.close();

    // Another senior, on the waiting list of a home with no free bed: her page says her place on
    // it, the one its managers see.
    const full = await nursingHome(stack);
    const waitingId = uniqueResidentId(birthDateForAge(81));
    const waiter = await createUser(stack, ['SENIOR'], { name: '郑玉珍', birthDate: birthDateForAge(81), idCardNumber: waitingId });
    const entryId = await addResident(stack, full, { name: '郑玉珍', idCardNumber: waitingId });
    for (const residentId of [await addResident(stack, full), entryId]) {
      await http(stack)
        .post(`/api/v1/facilities/${full.facilityId}/waitlist`)
        .set(full.manager.auth)
        .send({ residentId, careLevel: 'NURSING', priorityReasons: [] })
        .expect(201);
    }
    const list = await http(stack).get(`/api/v1/facilities/${full.facilityId}/waitlist`).set(full.manager.auth).expect(200);
    const place = (list.body.items as { residentId: string; position: number }[]).find((item) => item.residentId === entryId)?.position;
    expect(place).toBe(2);
    const fullName = (await http(stack).get('/api/v1/facilities').expect(200)).body.items.find((f: { id: string }) => f.id === full.facilityId)?.name as string;
    const waitContext = await openContext(browser, stack, { token: waiter.token, viewport: PHONE });
    const waitPage = await waitContext.newPage();
    await visit(waitPage, '/');
    const waitingText = await waitForText(waitPage.getByTestId('residence'), `在${fullName}的候住名单上`);
    expect(waitingText).toContain('现在排第 2 位');
    await waitContext.close();
    // A senior with no bed and on no list is shown no such section.
    const context = await openContext(browser, stack, { token: world.senior.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/');
    await waitForText(page.locator('main'), '老年大学和时间银行');
    expect(await page.getByTestId('residence').count()).toBe(0);
    await context.close();
  });

  it('lets the counter give a senior’s minutes to her grandson for her, and refuses her son giving them to himself', async () => {
    const senior = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '孙淑英', birthDate: birthDateForAge(70) });
    await earnMinutes(stack, senior, world.senior, 120);
    const grandson = await createUser(stack, ['FAMILY'], { name: '孙小宝' });
    const son = await createUser(stack, ['FAMILY'], { name: '孙建国' });
    await http(stack)
      .post('/api/v1/family-links')
      .set(senior.auth)
      .send({ relativePhone: son.user.phone ?? '', relation: 'CHILD' })
      .expect(201);
    const give = async (page: Page, link: string, to: TestUser, relation: string, minutes: string): Promise<void> => {
      await page.getByRole('link', { name: link }).click();
      await waitForText(page.locator('main h1'), '孙淑英要转赠给谁？');
      await page.getByLabel(/孙淑英要转赠给谁/).fill(to.user.phone ?? '');
      await page.getByRole('button', { name: '继续' }).click();
      await waitForText(page.locator('main h1'), '这位家人是孙淑英的什么人？');
      await page.getByLabel(relation, { exact: true }).check();
      await page.getByRole('button', { name: '继续' }).click();
      await waitForText(page.locator('main'), '孙淑英现在可以用的时间有');
      await page.getByLabel('转赠多少分钟？').fill(minutes);
      await page.getByRole('button', { name: '继续' }).click();
      const summary = await waitForText(page.locator('.summary-list'), '孙淑英');
      expect(summary).toContain(to.user.phone ?? '');
      expect(await page.locator('main').innerText()).toContain('代办的人不能把时间转给自己');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: '确认转赠' }).click();
    };

    const counterContext = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const counterPage = await counterContext.newPage();
    await visit(counterPage, `/counter/seniors/${senior.user.id}`);
    await waitForText(counterPage.locator('main h1'), '孙淑英');
    await give(counterPage, '代为转赠时间', grandson, '孙子女、外孙子女', '30');
    await waitForText(counterPage.locator('[role=status]'), '已为孙淑英转赠 30分钟');
    await waitForText(counterPage.locator('main h1'), '孙淑英');
    await counterContext.close();
    expect((await http(stack).get('/api/v1/time-bank/accounts/me').set(senior.auth).expect(200)).body.balanceMinutes).toBe(90);

    // Her son may act for her, but not as the one who receives: told on the check page, nothing given.
    const sonContext = await openContext(browser, stack, { token: son.token, viewport: PHONE });
    const sonPage = await sonContext.newPage();
    await visit(sonPage, '/family');
    await give(sonPage, '为孙淑英转赠时间', son, '子女', '60');
    await waitForText(sonPage.locator('#error-summary'), '代办的人不能把孙淑英的时间转给自己');
    await sonContext.close();
    expect((await http(stack).get('/api/v1/time-bank/accounts/me').set(senior.auth).expect(200)).body.balanceMinutes).toBe(90);

    // She sees that the counter gave her time.
    const seniorContext = await openContext(browser, stack, { token: senior.token, viewport: PHONE });
    const seniorPage = await seniorContext.newPage();
    await visit(seniorPage, '/family');
    const history = await waitForText(seniorPage.locator('.history'), '代为把您的时间转赠给了家人');
    expect(history).toContain('窗口小陈');
    await seniorContext.close();
  });

  it('lets the counter ask a volunteer to help a senior, and her linked daughter see who is coming and cancel it', async () => {
    const senior = await createUser(stack, ['SENIOR'], { name: '周桂芳', birthDate: birthDateForAge(81) });
    const counterContext = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const counterPage = await counterContext.newPage();
    await visit(counterPage, `/counter?q=${encodeURIComponent('周桂芳')}`);
    await counterPage
      .getByRole('link', { name: /周桂芳/ })
      .first()
      .click();
    await waitForText(counterPage.locator('main h1'), '周桂芳');
    await counterPage.getByRole('link', { name: '代为请志愿者帮忙' }).click();
    await counterPage.getByLabel('送餐').check();
    await counterPage.getByRole('button', { name: '继续' }).click();
    await counterPage.getByLabel('日期').fill(new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10));
    await counterPage.getByLabel('几点').fill('11:30');
    await counterPage.getByRole('button', { name: '继续' }).click();
    await counterPage.getByLabel('1小时', { exact: true }).check();
    await counterPage.getByRole('button', { name: '继续' }).click();
    await counterPage.getByLabel('在哪里？').fill('湖滨街道 东坡路 8 号');
    await counterPage.getByRole('button', { name: '继续' }).click();
    // The note's step (left empty) must be showing, or the click would land on the last step's button.
    await counterPage.getByLabel('还有什么要告诉志愿者的吗？').waitFor();
    await counterPage.getByRole('button', { name: '继续' }).click();
    const summary = await waitForText(counterPage.locator('.summary-list'), '周桂芳');
    expect(summary).toContain('送餐');
    await counterPage.getByRole('button', { name: '确认并发出求助' }).click();
    await waitForText(counterPage.locator('[role=status]'), '已为周桂芳发出求助');
    await waitForText(counterPage.locator('main'), '等志愿者认领');
    expect(await axeViolations(counterPage)).toEqual([]);
    await counterContext.close();

    const [request] = (await http(stack).get('/api/v1/time-bank/requests/mine').set(senior.auth).expect(200)).body.items as { id: string }[];
    if (!request) throw new Error('the counter made no request');
    await http(stack).post(`/api/v1/time-bank/requests/${request.id}/claim`).set(world.volunteer.auth).expect(200);

    const daughterPhone = uniquePhone();
    const daughter = await createUser(stack, ['FAMILY'], { name: '周丽', phone: daughterPhone });
    await http(stack).post('/api/v1/family-links').set(senior.auth).send({ relativePhone: daughterPhone, relation: 'CHILD' }).expect(201);
    const daughterContext = await openContext(browser, stack, { token: daughter.token, viewport: PHONE });
    const page = await daughterContext.newPage();
    await visit(page, '/family');
    const card = page.locator('.card .card', { hasText: '送餐' });
    await waitForText(card, '来帮忙的志愿者：张志强');
    await card.getByRole('link', { name: /取消这个求助/ }).click();
    await waitForText(page.locator('main h1'), '确定要取消这个求助吗？');
    await waitForText(page.locator('main'), '志愿者张志强会收到通知');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认取消' }).click();
    await waitForText(page.locator('[role=status]'), '求助已取消');
    await waitForText(page.locator('.card .card', { hasText: '送餐' }), '已取消');
    expect(await mainText(page)).not.toMatch(UUID);
    await daughterContext.close();

    const cancelled = await http(stack).get(`/api/v1/time-bank/requests/${request.id}`).set(senior.auth).expect(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    const acts = (await http(stack).get('/api/v1/me/acted-for').set(senior.auth).expect(200)).body.items as { action: string; actedBy: { name: string } }[];
    expect(acts.map((act) => [act.action, act.actedBy.name])).toEqual(
      expect.arrayContaining([
        ['POST /time-bank/requests', '窗口小陈'],
        ['POST /time-bank/requests/:id/cancel', '周丽'],
      ]),
    );
  });

  it('lets a linked son confirm a service for his mother, and the counter say of another that it did not happen, both on her record', async () => {
    const mother = await createUser(stack, ['SENIOR'], { name: '吴玉兰', birthDate: birthDateForAge(84) });
    const log = (serviceType: string, hours: number): Promise<string> =>
      logService(stack, world.volunteer, mother, { serviceType, startedAt: hoursAgo(hours) });
    const escort = await log('ESCORT', 30);
    const cleaning = await log('CLEANING', 27);
    const sonPhone = uniquePhone();
    const son = await createUser(stack, ['FAMILY'], { name: '吴建国', phone: sonPhone });
    await http(stack).post('/api/v1/family-links').set(mother.auth).send({ relativePhone: sonPhone, relation: 'CHILD' }).expect(201);
    const status = async (id: string): Promise<{ status: string; rejectReason: string | null }> =>
      (await http(stack).get(`/api/v1/time-bank/services/${id}`).set(mother.auth).expect(200)).body;

    const sonContext = await openContext(browser, stack, { token: son.token, viewport: PHONE });
    const sonPage = await sonContext.newPage();
    await visit(sonPage, '/family');
    const toConfirm = sonPage.locator('section.card', { hasText: '吴玉兰' }).locator('.card', { hasText: '陪同出行' });
    await waitForText(toConfirm, '张志强');
    expect(await axeViolations(sonPage)).toEqual([]);
    await toConfirm.getByRole('link', { name: /去确认/ }).click();
    await waitForText(sonPage.locator('main h1'), '吴玉兰的这次服务做了吗？');
    await waitForText(sonPage.locator('main'), '请先问过吴玉兰本人');
    expect(await axeViolations(sonPage)).toEqual([]);
    await sonPage.getByRole('button', { name: '是的，服务做了' }).click();
    await waitForText(sonPage.locator('[role=status]'), '已为吴玉兰确认');
    await waitForText(sonPage.locator('main h1'), '我的家人');
    expect(await sonPage.locator('section.card', { hasText: '吴玉兰' }).locator('.card', { hasText: '陪同出行' }).count()).toBe(0);
    expect(await mainText(sonPage)).not.toMatch(UUID);
    await sonContext.close();
    expect(await status(escort)).toMatchObject({ status: 'CONFIRMED' });

    const counterContext = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const counterPage = await counterContext.newPage();
    await visit(counterPage, `/counter?q=${encodeURIComponent('吴玉兰')}`);
    await counterPage
      .getByRole('link', { name: /吴玉兰/ })
      .first()
      .click();
    await waitForText(counterPage.locator('main h1'), '吴玉兰');
    const card = counterPage.locator('.card', { hasText: '打扫卫生' }).filter({ hasText: '张志强' });
    await waitForText(card, '1小时');
    expect(await axeViolations(counterPage)).toEqual([]);
    await card.getByRole('link', { name: /去确认/ }).click();
    await waitForText(counterPage.locator('main h1'), '吴玉兰的这次服务做了吗？');
    await counterPage.getByRole('link', { name: '没有这回事' }).click();
    await waitForText(counterPage.locator('main h1'), '吴玉兰说是怎么回事？');
    await counterPage.getByLabel('吴玉兰说是怎么回事？').fill('老人说那天没有人来');
    await counterPage.getByRole('button', { name: '继续' }).click();
    const summary = await waitForText(counterPage.locator('.summary-list'), '吴玉兰');
    expect(summary).toContain('老人说那天没有人来');
    expect(await axeViolations(counterPage)).toEqual([]);
    await counterPage.getByRole('button', { name: '确认，没有这回事' }).click();
    await waitForText(counterPage.locator('[role=status]'), '这次服务不存时间');
    await waitForText(counterPage.locator('main h1'), '吴玉兰');
    expect(await counterPage.getByRole('heading', { name: '等确认的服务' }).count()).toBe(0);
    // Her page at the counter lists what others did for her: the son's act and the counter's own
    // (recorded just after its answer, so the page is read again until it is there).
    for (let tries = 0; tries < 20 && !(await mainText(counterPage)).includes('说明志愿服务没有做'); tries += 1) {
      await counterPage.waitForTimeout(200);
      await visit(counterPage, new URL(counterPage.url()).pathname);
    }
    const acts = await waitForText(counterPage.locator('#senior-acts'), '说明志愿服务没有做');
    expect(acts).toMatch(/吴建国\s+家人（子女）\s+确认志愿服务做了/);
    expect(acts).toMatch(/窗口小陈\s+社区服务窗口\s+说明志愿服务没有做/);
    expect(await axeViolations(counterPage)).toEqual([]);
    expect(await mainText(counterPage)).not.toMatch(UUID);
    await counterContext.close();
    expect(await status(cleaning)).toMatchObject({ status: 'REJECTED', rejectReason: '老人说那天没有人来' });

    // Her own page of what others did for her names both.
    const motherContext = await openContext(browser, stack, { token: mother.token, viewport: PHONE });
    const motherPage = await motherContext.newPage();
    await visit(motherPage, '/family');
    const history = await waitForText(motherPage.locator('.history'), '代为说明了一次服务没有做');
    expect(history).toContain('吴建国代为确认了服务');
    expect(history).toContain('窗口小陈代为说明了一次服务没有做');
    await motherContext.close();
  });

  it('shows a senior with no relatives what the care centre’s staff did for her', async () => {
    const elder = await createUser(stack, ['SENIOR'], { name: '蒋秀英', birthDate: birthDateForAge(88) });
    await http(stack).post(`/api/v1/care-centres/${world.centreId}/check-ins`).set(world.centreManager.auth).send({ seniorId: elder.user.id }).expect(201);
    const service = await logService(stack, world.volunteer, elder, { serviceType: 'CLEANING', startedAt: hoursAgo(26) });
    // The manager asked her on her visit and answers for her on the staff's waiting list.
    await http(stack).post(`/api/v1/time-bank/services/${service}/confirm`).set(world.centreManager.auth).expect(200);

    const context = await openContext(browser, stack, { token: elder.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/');
    await page.getByRole('link', { name: /我的家人/ }).click();
    await waitForText(page.locator('main h1'), '我的家人');
    await waitForText(page.locator('main'), '您还没有绑定家人');
    const history = await waitForText(page.locator('.history'), '代为确认了服务');
    expect(history).toContain('由照料中心工作人员周主任代为确认了服务');
    expect(await axeViolations(page)).toEqual([]);
    expect(await mainText(page)).not.toMatch(UUID);
    // The entry leads to the service's own page, which names who confirmed it.
    await page.getByRole('link', { name: '由照料中心工作人员周主任代为确认了服务' }).click();
    await waitForText(page.locator('#service-decided'), '工作人员周主任代老人确认了这次服务');
    await context.close();

    // The bureau sees it among every act for a senior, newest first, with whom it was for.
    const adminContext = await openContext(browser, stack, { token: world.admin.token, viewport: DESKTOP });
    const adminPage = await adminContext.newPage();
    await visit(adminPage, '/admin');
    await adminPage.getByRole('link', { name: /代办记录/ }).click();
    await waitForText(adminPage.locator('main h1'), '代办记录');
    const newest = await waitForText(adminPage.locator('#acted-log tbody tr').first(), '蒋秀英');
    expect(newest).toContain('周主任');
    expect(newest).toContain('照料中心工作人员');
    expect(newest).toContain('确认志愿服务做了');
    expect(await axeViolations(adminPage)).toEqual([]);
    // The senior's name leads to her page at the counter.
    await adminPage.locator('#acted-log tbody tr').first().getByRole('link', { name: '蒋秀英' }).click();
    await waitForText(adminPage.locator('main h1'), '蒋秀英');
    await adminContext.close();
  });

  it('enrols a senior as a volunteer after a check, her next sign-in shows her the volunteer’s pages, and ends it as she asks', async () => {
    const senior = await createUser(stack, ['SENIOR'], { name: '钱美华', birthDate: birthDateForAge(63) });
    const hers = await openContext(browser, stack, { token: senior.token, viewport: PHONE });
    const herPage = await hers.newPage();
    await visit(herPage, '/');
    await waitForText(herPage.locator('main'), '我的时间银行');
    expect(await herPage.locator('#h-volunteer').count()).toBe(0);

    const context = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, `/counter?q=${senior.user.phone ?? ''}`);
    await page.getByRole('link', { name: /办理\s*：钱美华/ }).click();
    await waitForText(page.locator('main h1'), '钱美华');
    await waitForText(page.locator('#volunteer-fact'), '未登记');
    await page.getByRole('link', { name: '登记为志愿者' }).click();
    await waitForText(page.locator('main h1'), '登记钱美华为志愿者');
    expect(await page.locator('.summary-list').innerText()).toContain('钱美华');
    await waitForText(page.locator('main'), '请先核对身份证原件');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认登记为志愿者' }).click();
    await waitForText(page.locator('[role=status]'), '已登记钱美华为志愿者');
    await waitForText(page.locator('#volunteer-fact'), '已登记为志愿者');
    expect(await page.getByRole('link', { name: '登记为志愿者' }).count()).toBe(0);
    await waitForText(page.locator('#senior-acts'), '登记为志愿者');
    // The address again, as from a second desk: it says so and offers nothing to press.
    await visit(page, `/counter/seniors/${senior.user.id}/volunteer`);
    await waitForText(page.locator('main'), '钱美华已经登记为志愿者了');
    expect(await page.getByRole('button', { name: '确认登记为志愿者' }).count()).toBe(0);

    // Her phone is asked to sign in again; then she is a volunteer.
    await visit(herPage, '/time-bank');
    await waitForText(herPage.getByRole('heading', { level: 1 }), '登录');
    await herPage.getByLabel('手机号码').fill(senior.user.phone ?? '');
    await herPage.getByLabel('密码').fill(senior.password);
    await herPage.getByRole('button', { name: '登录' }).click();
    await waitForText(herPage.locator('[role=status]'), '您已登录');
    await visit(herPage, '/');
    await waitForText(herPage.locator('#h-volunteer'), '志愿服务');
    await herPage.getByRole('link', { name: /查看求助/ }).click();
    await waitForText(herPage.locator('main h1'), '老人的求助');
    await hers.close();

    // Later she asks to stop: the counter ends it after a check, and the button is to enrol again.
    await visit(page, `/counter/seniors/${senior.user.id}`);
    await page.getByRole('link', { name: '不再做志愿者' }).click();
    await waitForText(page.locator('main h1'), '为钱美华办理不再做志愿者');
    await waitForText(page.locator('main'), '接下还没做的求助会交还');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认不再做志愿者' }).click();
    await waitForText(page.locator('[role=status]'), '钱美华已不再是志愿者');
    await waitForText(page.locator('#volunteer-fact'), '未登记');
    await waitForText(page.locator('#senior-acts'), '不再做志愿者');
    expect((await http(stack).get(`/api/v1/seniors/${senior.user.id}`).set(counter.auth).expect(200)).body.roles).toEqual(['SENIOR']);
    await visit(page, `/counter/seniors/${senior.user.id}/volunteer/end`);
    await waitForText(page.locator('main'), '钱美华现在不是志愿者');
    expect(await page.getByRole('button', { name: '确认不再做志愿者' }).count()).toBe(0);

    // A senior without a phone cannot sign in to volunteer: the page says why and offers nothing to press.
    const noPhone = await http(stack)
      .post('/api/v1/seniors')
      .set(counter.auth)
      .send({ name: '周阿婆', idCardNumber: uniqueResidentId(birthDateForAge(70)) })
      .expect(201);
    await visit(page, `/counter/seniors/${noPhone.body.user.id as string}/volunteer`);
    await waitForText(page.locator('main'), '周阿婆没有登记手机号码');
    expect(await page.getByRole('button', { name: '确认登记为志愿者' }).count()).toBe(0);
    await context.close();
  });

  it('enrols a relative found at the counter as a volunteer, her ID number read from the card, and ends it as she asks; a volunteer-only account keeps its role', async () => {
    const relative = await createUser(stack, ['FAMILY'], { name: '韩晓燕' });
    const context = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const page = await context.newPage();
    // Staff accounts are not the counter's; a relative is served on her own page.
    await visit(page, `/counter?q=${counter.user.phone ?? ''}`);
    await waitForText(page.locator('main table'), '工作人员账号，请找管理员');
    expect(await page.locator('main table a').count()).toBe(0);
    expect(await page.locator('main tbody tr').first().innerText()).toContain('工作人员');
    await visit(page, `/counter?q=${relative.user.phone ?? ''}`);
    await waitForText(page.locator('main tbody tr').first(), '家人（为老人代办）');
    await page.getByRole('link', { name: /办理\s*：韩晓燕/ }).click();
    await waitForText(page.locator('main h1'), '韩晓燕');
    await waitForText(page.locator('#kind-fact'), '家人（为老人代办）');
    await waitForText(page.locator('main'), '没有登记');
    await waitForText(page.locator('#volunteer-fact'), '未登记');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: '登记为志愿者' }).click();
    await waitForText(page.locator('main h1'), '登记韩晓燕为志愿者');
    const idField = page.getByLabel('韩晓燕的身份证号码');
    // A minor's number is refused at the field, and nothing changes.
    await idField.fill(uniqueResidentId(birthDateForAge(16)));
    await page.getByRole('button', { name: '确认登记为志愿者' }).click();
    await waitForText(page.locator('#error-summary'), '志愿者要年满 18 周岁');
    expect(await axeViolations(page)).toEqual([]);
    expect((await http(stack).get(`/api/v1/people/${relative.user.id}`).set(counter.auth).expect(200)).body).toMatchObject({
      roles: ['FAMILY'],
      idCardNumberMasked: null,
    });
    const idCardNumber = uniqueResidentId(birthDateForAge(45));
    await page.getByLabel('韩晓燕的身份证号码').fill(idCardNumber);
    await page.getByRole('button', { name: '确认登记为志愿者' }).click();
    await waitForText(page.locator('[role=status]'), '已登记韩晓燕为志愿者');
    await waitForText(page.locator('#volunteer-fact'), '已登记为志愿者');
    await waitForText(page.locator('#kind-fact'), '家人（为老人代办）、志愿者');
    await waitForText(page.locator('main'), `${idCardNumber.slice(0, 6)}********${idCardNumber.slice(14)}`);
    expect(await page.locator('main').innerText()).not.toContain(idCardNumber);

    // She asks to stop: the same check as for a senior.
    await page.getByRole('link', { name: '不再做志愿者' }).click();
    await waitForText(page.locator('main h1'), '为韩晓燕办理不再做志愿者');
    await page.getByRole('button', { name: '确认不再做志愿者' }).click();
    await waitForText(page.locator('[role=status]'), '韩晓燕已不再是志愿者');
    await waitForText(page.locator('#volunteer-fact'), '未登记');

    const logged = (await http(stack).get('/api/v1/people/acted-for').set(world.admin.auth).expect(200)).body.items as {
      action: string;
      senior: { name: string };
    }[];
    expect(logged.filter((act) => act.senior.name === '韩晓燕').map((act) => act.action)).toEqual([
      'DELETE /people/:id/volunteer',
      'POST /people/:id/volunteer',
    ]);
    // An account that is only a volunteer's: the page says who closes it and offers nothing to press.
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '卫志强' });
    await visit(page, `/counter/people/${volunteer.user.id}`);
    await page.getByRole('link', { name: '不再做志愿者' }).click();
    await waitForText(page.locator('main'), '卫志强的账号只有志愿者这一个身份');
    expect(await page.getByRole('button', { name: '确认不再做志愿者' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    // A senior's address under /people opens her whole page.
    await visit(page, `/counter/people/${world.senior.user.id}`);
    await waitForText(page.locator('main h1'), world.senior.user.name);
    await waitForText(page.getByRole('link', { name: '代为报名课程' }), '代为报名课程');
    expect(new URL(page.url()).pathname).toBe(`/counter/seniors/${world.senior.user.id}`);
    await context.close();
  });

  it('shows the counter who acts for a senior and whom a relative acts for, and ends a link as the senior asks', async () => {
    const mother = await createUser(stack, ['SENIOR'], { name: '邹桂芳' });
    const son = await createUser(stack, ['FAMILY'], { name: '邹建国' });
    await http(stack)
      .post('/api/v1/family-links')
      .set(counter.auth)
      .send({ seniorId: mother.user.id, relativePhone: son.user.phone, relation: 'CHILD' })
      .expect(201);
    // She acts for her husband too: he is not among her relatives, but among those she acts for.
    const husband = await createUser(stack, ['SENIOR'], { name: '钟德明' });
    await http(stack)
      .post('/api/v1/family-links')
      .set(counter.auth)
      .send({ seniorId: husband.user.id, relativePhone: mother.user.phone, relation: 'SPOUSE' })
      .expect(201);
    const context = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const page = await context.newPage();
    // The son's page lists his mother, leading to her page.
    await visit(page, `/counter/people/${son.user.id}`);
    await waitForText(page.locator('main'), '为这些老人代办（1）');
    const row = await waitForText(page.locator('#person-seniors tbody tr').first(), '邹桂芳');
    expect(row).toContain('子女');
    await page.locator('#person-seniors').getByRole('link', { name: '邹桂芳' }).click();
    await waitForText(page.locator('main h1'), '邹桂芳');
    await waitForText(page.locator('main'), '可以为老人代办的家人（1）');
    const relative = await waitForText(page.locator('#senior-relatives tbody tr').first(), '邹建国');
    expect(relative).toContain('子女');
    expect(relative).toContain(`${(son.user.phone ?? '').slice(0, 3)}****`);
    expect(await page.locator('#senior-relatives tbody tr').count()).toBe(1);
    await waitForText(page.locator('main'), '为这些老人代办（1）');
    const actsFor = await waitForText(page.locator('#person-seniors tbody tr').first(), '钟德明');
    expect(actsFor).toContain('配偶');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: /解除绑定\s*：邹建国/ }).click();
    await waitForText(page.locator('main h1'), '解除邹建国为邹桂芳代办的绑定吗？');
    await waitForText(page.locator('main'), '请先核对老人的身份证原件');
    expect(await axeViolations(page)).toEqual([]);
    // "不解除" changes nothing.
    await page.getByRole('link', { name: '不解除' }).click();
    await waitForText(page.locator('main'), '可以为老人代办的家人（1）');
    await page.getByRole('link', { name: /解除绑定\s*：邹建国/ }).click();
    await page.getByRole('button', { name: '确认解除' }).click();
    await waitForText(page.locator('[role=status]'), '已解除邹建国与邹桂芳的绑定');
    await waitForText(page.locator('main'), '可以为老人代办的家人（0）');
    await waitForText(page.locator('main'), '还没有绑定的家人');
    // The son can no longer act for her; the page of the ended link says it is gone.
    await http(stack).get('/api/v1/time-bank/accounts/me').query({ seniorId: mother.user.id }).set(son.auth).expect(404);
    await page.goBack();
    await waitForText(page.locator('main h1'), '这个绑定已经解除了');
    await visit(page, `/counter/people/${son.user.id}`);
    await waitForText(page.locator('main'), '还没有和老人绑定');
    await context.close();
  });

  it('lets an administrator correct a senior’s ID number with a reason, which the senior then sees; the counter is not offered it', async () => {
    const mistyped = uniqueResidentId(birthDateForAge(74));
    const senior = await createUser(stack, ['SENIOR'], { name: '苗秀兰', idCardNumber: mistyped });
    const desk = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const deskPage = await desk.newPage();
    await visit(deskPage, `/counter/seniors/${senior.user.id}`);
    await waitForText(deskPage.locator('main h1'), '苗秀兰');
    expect(await deskPage.getByRole('link', { name: '更正身份证号码' }).count()).toBe(0);
    await desk.close();

    const context = await openContext(browser, stack, { token: world.admin.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, `/counter/seniors/${senior.user.id}`);
    await page.getByRole('link', { name: '更正身份证号码' }).click();
    await waitForText(page.locator('main h1'), '更正苗秀兰的身份证号码');
    await waitForText(page.locator('main'), '苗秀兰也会在“别人为我办理的事”里看到这次更正');
    // No reason, then another person's number: each told at its field, nothing changed.
    await page.getByLabel('正确的身份证号码').fill(uniqueResidentId(birthDateForAge(70)));
    await page.getByRole('button', { name: '确认更正' }).click();
    await waitForText(page.locator('#error-summary'), '原因');
    expect(await axeViolations(page)).toEqual([]);
    const theirs = uniqueResidentId(birthDateForAge(71));
    await createUser(stack, ['SENIOR'], { name: '号码主人', idCardNumber: theirs });
    await page.getByLabel('正确的身份证号码').fill(theirs);
    await page.getByLabel('更正的原因').fill('录错了');
    await page.getByRole('button', { name: '确认更正' }).click();
    await waitForText(page.locator('#error-summary'), '这个身份证号码已经登记在另一个账号上');
    expect((await http(stack).get(`/api/v1/people/${senior.user.id}`).set(counter.auth).expect(200)).body.idCardNumberMasked).toBe(
      `${mistyped.slice(0, 6)}********${mistyped.slice(14)}`,
    );
    const right = uniqueResidentId(birthDateForAge(72));
    await page.getByLabel('正确的身份证号码').fill(right);
    await page.getByLabel('更正的原因').fill('窗口登记时出生日期录错，已核对身份证原件');
    await page.getByRole('button', { name: '确认更正' }).click();
    await waitForText(page.locator('[role=status]'), '已更正苗秀兰的身份证号码');
    await waitForText(page.locator('main'), `${right.slice(0, 6)}********${right.slice(14)}`);
    const record = await waitForText(page.locator('#id-corrections tbody tr').first(), '窗口登记时出生日期录错');
    expect(record).toContain(`${mistyped.slice(0, 6)}********${mistyped.slice(14)}`);
    expect(record).not.toContain(mistyped);
    expect(await axeViolations(page)).toEqual([]);
    // The bureau's record names the act, and the person leads to her page.
    await visit(page, '/admin/acted-for');
    const logged = await waitForText(page.locator('#acted-log tbody tr').first(), '苗秀兰');
    expect(logged).toContain('更正身份证号码');
    await page.locator('#acted-log tbody tr').first().getByRole('link', { name: '苗秀兰' }).click();
    await waitForText(page.locator('main h1'), '苗秀兰');
    await context.close();

    // She sees who corrected it.
    const hers = await openContext(browser, stack, { token: senior.token, viewport: PHONE });
    const herPage = await hers.newPage();
    await visit(herPage, '/family');
    await waitForText(herPage.locator('main'), '为您更正了身份证号码');
    await hers.close();
  });

  it('lets an administrator close a senior’s account at the counter after a check: her seat goes to the next in line; the counter is not offered it', async () => {
    const termId = (await http(stack).get('/api/v1/enrolment/terms').expect(200)).body.items[0]?.id as string;
    const course = await createCourse(stack, world.admin, { id: termId } as Term, { capacity: 1, title: '剪纸', weekday: 5 });
    const [leaving, next] = [await createUser(stack, ['SENIOR'], { name: '褚离开' }), await createUser(stack, ['SENIOR'], { name: '褚候补' })];
    const seat = await apply(stack, leaving, course);
    expect((await decided(stack, leaving, seat.ticketId)).status).toBe('CONFIRMED');
    const waiting = await apply(stack, next, course);
    expect((await decided(stack, next, waiting.ticketId)).status).toBe('WAITLISTED');

    const desk = await openContext(browser, stack, { token: counter.token, viewport: DESKTOP });
    const deskPage = await desk.newPage();
    await visit(deskPage, `/counter/seniors/${leaving.user.id}`);
    await waitForText(deskPage.locator('main h1'), '褚离开');
    expect(await deskPage.getByRole('link', { name: '注销账号' }).count()).toBe(0);
    await desk.close();

    const context = await openContext(browser, stack, { token: world.admin.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, `/counter/seniors/${leaving.user.id}`);
    await page.getByRole('link', { name: '注销账号' }).click();
    await waitForText(page.locator('main h1'), '为褚离开注销账号');
    const ends = await waitForText(page.locator('#close-ends'), '报名的 1 门课程都会放弃');
    expect(ends).toContain('褚离开不能再登录');
    expect(ends).not.toContain('个服务会取消');
    expect(await axeViolations(page)).toEqual([]);
    // Not now: back to her page, nothing changed.
    await page.getByRole('link', { name: '不注销' }).click();
    await waitForText(page.locator('main h1'), '褚离开');
    await http(stack).get('/api/v1/me').set(leaving.auth).expect(200);

    await page.getByRole('link', { name: '注销账号' }).click();
    await page.getByRole('button', { name: '确认注销账号' }).click();
    await waitForText(page.locator('[role=status]'), '已注销褚离开的账号');
    await waitForText(page.locator('main h1'), '服务窗口');
    expect((await ticket(stack, next, waiting.ticketId)).status).toBe('CONFIRMED');
    expect((await ticket(stack, world.admin, seat.ticketId)).status).toBe('CANCELLED');
    await waitFor(async () => (await http(stack).get('/api/v1/me').set(leaving.auth)).status === 401, { message: 'her tokens refused' });
    // The bureau's list of removed accounts has her, to restore should she come back.
    await visit(page, `/admin/removed?q=${encodeURIComponent('褚离开')}`);
    await waitForText(page.locator('#removed tbody tr'), '褚离开');

    // A relative who volunteers, closed from their own page at the counter: the page says what stops.
    const relative = await createUser(stack, ['FAMILY', 'VOLUNTEER'], { name: '褚家人' });
    await visit(page, `/counter/people/${relative.user.id}`);
    await page.getByRole('link', { name: '注销账号' }).click();
    await waitForText(page.locator('main h1'), '为褚家人注销账号');
    const theirs = await waitForText(page.locator('#close-ends'), '褚家人和老人的绑定会停止');
    expect(theirs).toContain('褚家人作为志愿者接下、还没做的求助会交还');
    expect(theirs).not.toContain('门课程');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认注销账号' }).click();
    await waitForText(page.locator('[role=status]'), '已注销褚家人的账号');
    await waitFor(async () => (await http(stack).get('/api/v1/me').set(relative.auth)).status === 401, { message: 'the relative’s tokens refused' });
    await context.close();
  });

  it('shows no internal id on any page, for any role', async () => {
    // A check-in withdrawn, so the records of withdrawals have a row to show.
    const arrival = await http(stack)
      .post(`/api/v1/care-centres/${world.centreId}/check-ins`)
      .set(world.centreManager.auth)
      .send({ seniorId: world.senior.user.id })
      .expect(201);
    await http(stack).post(`/api/v1/care-centres/${world.centreId}/check-ins/${arrival.body.id}/withdraw`).set(world.centreManager.auth).expect(200);
    const termId = (await http(stack).get('/api/v1/enrolment/terms').expect(200)).body.items[0]?.id as string;
    const relative = await createUser(stack, ['FAMILY'], { name: '柏家人' });
    const linkedSenior = await createUser(stack, ['SENIOR'], { name: '柏奶奶' });
    const link = await http(stack)
      .post('/api/v1/family-links')
      .set(counter.auth)
      .send({ seniorId: linkedSenior.user.id, relativePhone: relative.user.phone, relation: 'GRANDCHILD' })
      .expect(201);
    // Removed, with its phone taken since: its restore page asks for a new one.
    const gonePhone = uniquePhone();
    const gone = await createUser(stack, ['VOLUNTEER', 'FAMILY'], { name: '柏离开', phone: gonePhone });
    await http(stack).delete(`/api/v1/users/${gone.user.id}`).set(world.admin.auth).expect(200);
    await createUser(stack, ['FAMILY'], { name: '柏新号主', phone: gonePhone });
    const pages: [TestUser, string[]][] = [
      [
        world.senior,
        [
          '/',
          '/courses',
          '/applications',
          `/applications/${world.ticketId}`,
          '/time-bank',
          '/time-bank/give/recipient',
          '/time-bank/my-requests',
          `/time-bank/my-requests/${world.requestId}/cancel`,
          '/family',
          '/notifications',
        ],
      ],
      [
        world.volunteer,
        [
          '/',
          '/time-bank',
          '/time-bank/requests',
          '/time-bank/skills',
          '/time-bank/my-claims',
          '/time-bank/log/recipient',
          '/account/volunteering',
          '/account/password',
          '/account/close',
        ],
      ],
      [
        world.centreManager,
        ['/', `/care-centres/${world.centreId}`, `/care-centres/${world.centreId}?form=service`, `/care-centres/${world.centreId}/withdrawals`],
      ],
      [
        world.admin,
        [
          '/',
          '/admin',
          '/admin/report',
          '/admin/acted-for',
          '/admin/withdrawals',
          '/admin/terms',
          `/admin/terms/${termId}`,
          '/admin/care-centres',
          '/admin/care-centres/new',
          '/time-bank/bookings',
          `/admin/care-centres/${world.centreId}/edit`,
          `/care-centres/${world.centreId}`,
          '/admin/staff',
          '/admin/staff/new',
          `/admin/staff/${world.centreManager.user.id}`,
          `/admin/staff/${world.centreManager.user.id}/reset`,
          `/admin/staff/${world.centreManager.user.id}/remove`,
          '/admin/removed',
          `/admin/removed?q=${encodeURIComponent('柏离开')}`,
          `/admin/removed/${gone.user.id}`,
          `/admin/terms/${termId}/courses/new`,
          `/admin/terms/${termId}/edit`,
          `/admin/terms/${termId}/courses/${world.courseId}/edit`,
          '/counter',
          `/counter/seniors/${world.senior.user.id}/id-card`,
          `/counter/seniors/${world.senior.user.id}/close`,
          `/counter/people/${relative.user.id}`,
          `/counter/people/${relative.user.id}/id-card`,
          `/counter/people/${relative.user.id}/close`,
          '/notifications',
        ],
      ],
      [
        counter,
        [
          '/',
          '/counter',
          `/counter?q=${encodeURIComponent('李桂兰')}`,
          `/counter/seniors/${world.senior.user.id}`,
          `/counter/seniors/${world.senior.user.id}/reset`,
          `/counter/seniors/${world.senior.user.id}/link`,
          `/counter/seniors/${world.senior.user.id}/volunteer`,
          `/counter/seniors/${world.senior.user.id}/volunteer/end`,
          `/counter/seniors/${world.senior.user.id}/give/recipient`,
          `/counter/people/${relative.user.id}`,
          `/counter/people/${relative.user.id}/volunteer`,
          `/counter/people/${relative.user.id}/reset`,
          `/counter/people/${world.volunteer.user.id}/volunteer/end`,
          `/counter/seniors/${linkedSenior.user.id}`,
          `/counter/seniors/${linkedSenior.user.id}/links/${link.body.id as string}/end`,
        ],
      ],
    ];
    const shown: string[] = [];
    for (const [user, paths] of pages) {
      const context = await openContext(browser, stack, { token: user.token, viewport: DESKTOP });
      const page = await context.newPage();
      for (const path of paths) {
        await visit(page, path);
        const text = await mainText(page);
        if (UUID.test(text)) shown.push(`${path} as ${user.user.roles.join(',')}: ${UUID.exec(text)?.[0] ?? ''}`);
        const inputs = await page.locator('input').evaluateAll((elements) => elements.map((element) => (element as unknown as { value: string }).value));
        if (inputs.some((value) => UUID.test(value))) shown.push(`${path}: an input holds an internal id`);
      }
      await context.close();
    }
    expect(shown).toEqual([]);
  });
});
