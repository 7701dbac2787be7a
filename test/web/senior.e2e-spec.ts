/** Proves a senior can register, apply for a course and watch the ticket move to its outcome live, then cancel, all in the browser. */
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  birthDateForAge,
  createStackWithAdmin,
  createUser,
  http,
  startExtraWorker,
  type TestStack,
  type TestUser,
  uniquePhone,
  uniqueResidentId,
  waitFor,
} from '@app/testing';
import { closeInOrder, ensureWebBuild, launchBrowser, openContext, settled, waitForText } from './browser';

describe('web: a senior applies for a course', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let worker: INestApplicationContext | undefined;
  let admin: TestUser;

  beforeAll(async () => {
    ensureWebBuild();
    // No worker yet: the ticket stays QUEUED until the test starts one, so "received" is seen first.
    ({ stack, admin } = await createStackWithAdmin());
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => closeInOrder(context, browser, worker, stack));

  it('serves the front door to any client, and keeps other addresses that do not ask for a page a problem+json 404', async () => {
    const door = await http(stack).get('/').set('Accept', '*/*').expect(200);
    expect(door.headers['content-type']).toContain('text/html');
    expect(door.text).toContain('<html');
    const page = await http(stack).get('/time-bank').set('Accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const other = await http(stack).get('/time-bank').set('Accept', 'application/json').expect(404);
    expect(other.headers['content-type']).toContain('application/problem+json');
  });

  it('answers HEAD for a page as it answers GET, without the body', async () => {
    const door = await http(stack).get('/').expect(200);
    for (const [path, accept] of [
      ['/', '*/*'],
      ['/time-bank', 'text/html'],
    ]) {
      const head = await http(stack).head(path).set('Accept', accept).expect(200);
      expect(head.headers['content-type']).toContain('text/html');
      expect(head.headers['content-length']).toBe(door.headers['content-length']);
      expect(head.text ?? '').toBe('');
    }
    await http(stack).head('/time-bank').set('Accept', 'application/json').expect(404);
  });

  async function createCourse(title: string, mode: 'FIRST_COME' | 'LOTTERY' = 'FIRST_COME'): Promise<{ id: string }> {
    const now = Date.now();
    const term = await http(stack)
      .post('/api/v1/enrolment/terms')
      .set(admin.auth)
      .send({
        name: '2026年秋季学期',
        opensAt: new Date(now - 3_600_000).toISOString(),
        closesAt: new Date(now + 86_400_000).toISOString(),
        maxCoursesPerSenior: 3,
        minAge: 55,
      })
      .expect(201);
    const course = await http(stack)
      .post('/api/v1/enrolment/courses')
      .set(admin.auth)
      .send({ termId: term.body.id, title, campus: '上城区老年大学', capacity: 1, weekday: 4, startTime: '09:00', endTime: '10:30', mode })
      .expect(201);
    return course.body as { id: string };
  }

  async function continueWith(page: Page, fill: () => Promise<void>): Promise<void> {
    await fill();
    await page.getByRole('button', { name: '继续' }).click();
    await settled(page);
  }

  it('registers, applies, sees "received", then waitlisted, then confirmed without a reload, and cancels', async () => {
    const course = await createCourse('太极拳入门');
    // Another senior takes the only seat first, so ours is waitlisted and later promoted.
    const first = await createUser(stack, ['SENIOR']);
    const firstTicket = await http(stack).post('/api/v1/enrolment/applications').set(first.auth).send({ courseId: course.id }).expect(202);

    context = await openContext(browser, stack);
    const page = await context.newPage();
    await page.goto('/');
    await settled(page);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByRole('link', { name: '注册新账号' }).first().click();
    await settled(page);

    // One question per page; a wrong answer is refused with a linked summary and kept in the box.
    await continueWith(page, () => page.getByLabel('您叫什么名字？').fill('王秀英'));
    await continueWith(page, () => page.getByLabel('您的手机号码是多少？').fill('12345'));
    await waitForText(page.locator('#error-summary a'), '请填写 11 位手机号码，例如 13812345678');
    expect(await page.getByLabel('您的手机号码是多少？').inputValue()).toBe('12345');
    expect(await page.title()).toMatch(/^错误：/);
    const phone = uniquePhone();
    await continueWith(page, () => page.getByLabel('您的手机号码是多少？').fill(phone));
    const birth = birthDateForAge(72);
    await continueWith(page, () => page.getByLabel('您的身份证号码是多少？').fill(uniqueResidentId(birth)));
    await continueWith(page, () => page.getByLabel('请设置一个密码').fill('my-secret-2026'));

    // Check your answers: the birth date is read from the ID number, never asked.
    await waitForText(page.getByRole('heading', { level: 1 }), '请核对您填写的内容');
    const [year, month, day] = birth.split('-').map(Number);
    await waitForText(page.locator('.summary-list'), `${year}年${month}月${day}日`);
    await page.getByRole('button', { name: '确认并注册' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '王秀英，您好');

    await page
      .getByRole('link', { name: /报名课程/ })
      .first()
      .click();
    await settled(page);
    await page.getByRole('heading', { name: '太极拳入门' }).waitFor();
    await waitForText(page.locator('.card').first(), '每周四 上午9:00–上午10:30');
    await page
      .getByRole('link', { name: /报名这门课/ })
      .first()
      .click();
    await settled(page);
    await waitForText(page.getByRole('heading', { level: 1 }), '请核对您填写的内容');
    await page.getByRole('button', { name: '确认报名' }).click();

    // The seat is not allocated yet: the ticket says it was received, with its number.
    const live = page.locator('#ticket-live');
    await waitForText(live, '已收到 — 您是第 2 位');
    expect(await live.innerText()).not.toContain('时间：');
    await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));

    worker = await startExtraWorker(stack);
    await waitForText(live, '候补中 — 您排在第 1 位', 20_000);
    // The time beside each state names what happened then: a waiting place is not a result.
    await waitForText(live, '进入候补时间：');

    await http(stack).delete(`/api/v1/enrolment/applications/${firstTicket.body.ticketId}`).set(first.auth).expect(200);
    await waitForText(live, '报名成功 — 您已获得名额', 20_000);
    await waitForText(live, '结果时间：');
    // Every change arrived over the stream: the page was never reloaded.
    expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);

    await page.getByRole('link', { name: '取消这份报名' }).click();
    await settled(page);
    await waitForText(page.getByRole('heading', { level: 1 }), '确定要取消这份报名吗？');
    await page.getByRole('button', { name: '是的，取消报名' }).click();
    await waitForText(page.locator('[role=status]'), '报名已取消');
    await waitForText(live, '已取消');
    await waitForText(live, '取消时间：');

    // The registration really happened through the API: the new account can sign in.
    await http(stack).post('/api/v1/auth/login').send({ phone, password: 'my-secret-2026' }).expect(200);
  });

  it('calls a ticket in a draw not yet made "entered", not "decided"', async () => {
    const course = await createCourse('诗词鉴赏', 'LOTTERY');
    const senior = await createUser(stack, ['SENIOR'], { name: '周桂芳', birthDate: birthDateForAge(68) });
    const ticket = await http(stack).post('/api/v1/enrolment/applications').set(senior.auth).send({ courseId: course.id }).expect(202);
    worker ??= await startExtraWorker(stack);
    const seniorContext = await openContext(browser, stack, { token: senior.token });
    const page = await seniorContext.newPage();
    await page.goto(`/applications/${ticket.body.ticketId}`);
    const live = page.locator('#ticket-live');
    await waitForText(live, '等待抽签', 20_000);
    await waitForText(live, '登记抽签时间：');
    expect(await live.innerText()).not.toContain('结果时间');
    await seniorContext.close();
  });

  it('tells a senior why a ticket she did not cancel was cancelled', async () => {
    const [course, other] = [await createCourse('太极拳', 'FIRST_COME'), await createCourse('书法', 'FIRST_COME')];
    const senior = await createUser(stack, ['SENIOR'], { name: '钱淑珍', birthDate: birthDateForAge(71) });
    const confirmed = async (courseId: string): Promise<string> => {
      const ticket = await http(stack).post('/api/v1/enrolment/applications').set(senior.auth).send({ courseId }).expect(202);
      const id = (ticket.body as { ticketId: string }).ticketId;
      worker ??= await startExtraWorker(stack);
      await waitFor(async () => (await http(stack).get(`/api/v1/enrolment/applications/${id}`).set(senior.auth)).body.status === 'CONFIRMED' || undefined, {
        timeoutMs: 20_000,
        message: 'ticket decided',
      });
      return id;
    };
    const ticketId = await confirmed(course.id);
    const byStaff = await confirmed(other.id);
    await http(stack).delete(`/api/v1/enrolment/applications/${byStaff}`).set(admin.auth).expect(200);
    // As the allocator closes a ticket another process accepted from an older copy of the term.
    await stack.dataSource.query(`UPDATE enrolment_applications SET status = 'CANCELLED', note = 'accepted outside the enrolment window' WHERE id = $1`, [
      ticketId,
    ]);
    const seniorContext = await openContext(browser, stack, { token: senior.token });
    const page = await seniorContext.newPage();
    await page.goto(`/applications/${ticketId}`);
    const live = page.locator('#ticket-live');
    await waitForText(live, '已取消');
    expect(await live.innerText()).toContain('您提交的时候已经不在报名时间内，这份报名没有生效。');
    await page.goto(`/applications/${byStaff}`);
    await waitForText(live, '工作人员取消了这份报名');
    await seniorContext.close();
  });
});
