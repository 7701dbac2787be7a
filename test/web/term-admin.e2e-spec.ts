/**
 * Proves the bureau's senior-university desk: an administrator creates a term and adds its
 * courses in the browser, each form telling at its field what is wrong and creating nothing
 * until it is right, and the term's page lists its courses with their places and rosters. A
 * course's title, campus and places change there too, never below the seats taken, the added
 * places going to the waiting list at once. A course is cancelled (停开) there after a page that
 * says whom it reaches; its senior is then not offered it and reads on her application why it ended.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { birthDateForAge, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { apply, createCourse, createTerm, decided, ticket } from '../enrolment/helpers';
import { plusDays, shanghaiDay } from '../care-centre/care-fixtures';
import { axeViolations, closeInOrder, errorsShown, DESKTOP, openContext, settled, waitForText } from './browser';
import { startAdminAndBrowser } from './web-fixtures';

describe('web: terms and courses for the bureau', () => {
  let stack: TestStack;
  let admin: TestUser;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    // A worker decides the applications of the course whose places change below.
    ({ stack, admin, browser } = await startAdminAndBrowser({ worker: true }));
  }, 120_000);

  afterAll(async () => closeInOrder(context, browser, stack));

  async function terms(): Promise<{ id: string; name: string; opensAt: string; closesAt: string; maxCoursesPerSenior: number; minAge: number }[]> {
    return (await http(stack).get('/api/v1/enrolment/terms').expect(200)).body.items;
  }

  it('creates a term, then a course of it, refusing what is wrong at its field', async () => {
    context = await openContext(browser, stack, { token: admin.token, viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto('/admin');
    await settled(page);
    await page.getByRole('link', { name: /老年大学的学期和课程/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '老年大学的学期和课程');
    await waitForText(page.locator('main'), '还没有学期。');
    await page.getByRole('link', { name: '新建学期' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '新建学期');

    // Nothing typed: each empty answer is named; applications closing before they open: told at the closing day.
    await page.getByRole('button', { name: '创建学期' }).click();
    expect(await errorsShown(page)).toEqual(['请填写学期名称', '请填写报名开始日期', '请填写报名截止日期']);
    const opens = plusDays(shanghaiDay(), 30);
    await page.getByLabel('学期名称').fill('2027 年春季学期');
    await page.getByLabel('报名开始日期').fill(opens);
    await page.getByLabel('报名截止日期').fill(plusDays(shanghaiDay(), 20));
    await page.getByLabel('最低年龄（岁）').fill('130');
    await page.getByRole('button', { name: '创建学期' }).click();
    expect(await errorsShown(page)).toEqual(['请填 0 到 120 之间的数']);
    await page.getByLabel('最低年龄（岁）').fill('60');
    await page.getByRole('button', { name: '创建学期' }).click();
    expect(await errorsShown(page)).toEqual(['报名截止要晚于报名开始。']);
    expect(await page.getByLabel('报名截止日期').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('学期名称').inputValue()).toBe('2027 年春季学期');
    expect(await axeViolations(page)).toEqual([]);
    expect(await terms()).toEqual([]);

    const closes = plusDays(shanghaiDay(), 44);
    await page.getByLabel('报名截止日期').fill(closes);
    await page.getByRole('button', { name: '创建学期' }).click();
    await waitForText(page.locator('[role=status]'), '已创建学期“2027 年春季学期”');
    await waitForText(page.getByRole('heading', { level: 1 }), '2027 年春季学期');
    await waitForText(page.locator('main .facts'), '未开始报名');
    const [term] = await terms();
    // The times typed are Beijing time: 09:00 and 17:00 (the form's defaults) on the days typed.
    expect(term).toMatchObject({ name: '2027 年春季学期', maxCoursesPerSenior: 3, minAge: 60 });
    expect(new Date(term?.opensAt ?? '').toISOString()).toBe(new Date(`${opens}T09:00:00+08:00`).toISOString());
    expect(new Date(term?.closesAt ?? '').toISOString()).toBe(new Date(`${closes}T17:00:00+08:00`).toISOString());
    expect(new URL(page.url()).pathname).toBe(`/admin/terms/${term?.id}`);
    await waitForText(page.locator('main'), '这个学期还没有课程。');

    // A course: the class ending before it starts is told at the ending time; a missing place is named.
    await page.getByRole('link', { name: '添加课程' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '添加课程');
    await page.getByLabel('课程名称').fill('国画（山水）');
    await page.getByLabel('名额', { exact: true }).fill('30');
    await page.getByLabel('星期几上课').selectOption({ label: '每周二' });
    await page.getByLabel('上课开始时间').fill('09:00');
    await page.getByLabel('下课时间').fill('08:30');
    await page.getByRole('button', { name: '添加这门课程' }).click();
    expect(await errorsShown(page)).toEqual(['请填写上课地点']);
    await page.getByLabel('上课地点').fill('杭州市上城区老年大学');
    await page.getByRole('button', { name: '添加这门课程' }).click();
    expect(await errorsShown(page)).toEqual(['下课时间要晚于上课开始时间。']);
    expect(await axeViolations(page)).toEqual([]);
    expect((await http(stack).get(`/api/v1/enrolment/courses?termId=${term?.id}`).expect(200)).body.items).toEqual([]);
    await page.getByLabel('下课时间').fill('10:30');
    await page.getByLabel(/^抽签/).check();
    await page.getByRole('button', { name: '添加这门课程' }).click();
    await waitForText(page.locator('[role=status]'), '已添加课程“国画（山水）”');
    const row = page.locator('#term-courses tbody tr');
    await waitForText(row, /国画（山水）\s+每周二 上午9:00–上午10:30\s+杭州市上城区老年大学\s+抽签\s+0\/30，候补 0/);
    expect(await row.getByRole('button', { name: '下载“国画（山水）”的名单（Excel）' }).count()).toBe(1);
    const courses = (await http(stack).get(`/api/v1/enrolment/courses?termId=${term?.id}`).expect(200)).body.items;
    expect(courses).toEqual([
      expect.objectContaining({
        title: '国画（山水）',
        campus: '杭州市上城区老年大学',
        capacity: 30,
        weekday: 2,
        startTime: '09:00',
        endTime: '10:30',
        mode: 'LOTTERY',
      }),
    ]);

    // The next course's form offers the place this term already uses.
    await page.getByRole('link', { name: '添加课程' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '添加课程');
    expect(await page.getByLabel('上课地点').inputValue()).toBe('杭州市上城区老年大学');
    await waitForText(page.locator('#f-campus-hint'), '本学期已有的地点：杭州市上城区老年大学');

    // The list of terms shows it, and an address of no term says so without asking the API for it.
    await page.goto('/admin/terms');
    await settled(page);
    await waitForText(page.locator('#terms tbody tr'), /2027 年春季学期\s+未开始报名/);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto('/admin/terms/no-such-term');
    await waitForText(page.getByRole('heading', { level: 1 }), '找不到这个学期');
  });

  it('changes a course’s title, campus and places, never below the seats taken; added places go to the waiting list', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 2, title: '太极拳', weekday: 3, startTime: '14:00', endTime: '15:00' });
    const tickets: { senior: TestUser; ticketId: string; status: string }[] = [];
    for (const age of [70, 71, 72]) {
      const senior = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(age) });
      const { ticketId } = await apply(stack, senior, course);
      tickets.push({ senior, ticketId, status: (await decided(stack, senior, ticketId)).status });
    }
    expect(tickets.map((t) => t.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED']);

    const page = await context.newPage();
    await page.goto(`/admin/terms/${term.id}`);
    await settled(page);
    await page.getByRole('link', { name: /^修改\s*：太极拳/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '修改课程“太极拳”');
    await waitForText(page.locator('main'), '名额不能少于已录取的 2 人');
    // Moving it tells those it reaches, and the page says how many that is before anything is sent.
    await waitForText(page.locator('main'), '改了上课地点，已报名（录取、候补和等待抽签）的 3 位老人和他们的家人都会收到通知。');
    expect(await page.getByLabel('课程名称').inputValue()).toBe('太极拳');
    expect(await page.getByLabel('名额', { exact: true }).inputValue()).toBe('2');
    expect(await page.getByLabel('星期几上课').count()).toBe(0);
    // Fewer places than seats taken: told at the field, nothing sent.
    await page.getByLabel('名额', { exact: true }).fill('1');
    await page.getByRole('button', { name: '保存修改' }).click();
    expect(await errorsShown(page)).toEqual(['名额不能少于已录取的 2 人。']);
    expect(await axeViolations(page)).toEqual([]);
    expect((await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}`).expect(200)).body.items[0]).toMatchObject({ title: '太极拳', capacity: 2 });

    await page.getByLabel('课程名称').fill('太极拳（二十四式）');
    await page.getByLabel('上课地点').fill('笕桥分校');
    await page.getByLabel('名额', { exact: true }).fill('3');
    await page.getByRole('button', { name: '保存修改' }).click();
    await waitForText(page.locator('[role=status]'), '已修改课程“太极拳（二十四式）”');
    await waitForText(page.locator('#term-courses tbody tr'), /太极拳（二十四式）\s+每周三 下午2:00–下午3:00\s+笕桥分校\s+先报先得\s+3\/3，候补 0/);
    const promoted = tickets[2];
    expect(await ticket(stack, promoted?.senior ?? admin, promoted?.ticketId ?? '')).toMatchObject({ status: 'CONFIRMED' });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('changes a term: everything before it opens, only its name and closing once open', async () => {
    const page = await context.newPage();
    const [coming] = await terms();
    await page.goto(`/admin/terms/${coming?.id}`);
    await settled(page);
    await page.getByRole('link', { name: '修改学期' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '修改学期“2027 年春季学期”');
    await waitForText(page.locator('main'), '还没开始报名');
    expect(await page.getByLabel('报名开始时间').inputValue()).toBe('09:00');
    await page.getByLabel('学期名称').fill('2027 年春季学期（第一批）');
    await page.getByLabel('最低年龄（岁）').fill('58');
    await page.getByLabel('报名截止日期').fill(plusDays(shanghaiDay(), 10));
    await page.getByRole('button', { name: '保存修改' }).click();
    expect(await errorsShown(page)).toEqual(['报名截止要晚于报名开始。']);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('报名截止日期').fill(plusDays(shanghaiDay(), 50));
    await page.getByRole('button', { name: '保存修改' }).click();
    await waitForText(page.locator('[role=status]'), '已修改学期“2027 年春季学期（第一批）”');
    const [changed] = await terms();
    expect(changed).toMatchObject({ name: '2027 年春季学期（第一批）', minAge: 58, opensAt: coming?.opensAt });
    expect(new Date(changed?.closesAt ?? '').toISOString()).toBe(new Date(`${plusDays(shanghaiDay(), 50)}T17:00:00+08:00`).toISOString());

    // Open: the name and the closing only; its opening and rules are shown, not asked.
    const open = await createTerm(stack, admin);
    await page.goto(`/admin/terms/${open.id}/edit`);
    await settled(page);
    await waitForText(page.locator('main'), '已经开始报名');
    expect(await page.getByLabel('最低年龄（岁）').count()).toBe(0);
    expect(await page.getByLabel('报名开始日期').count()).toBe(0);
    await page.getByLabel('报名截止日期').fill(plusDays(shanghaiDay(), -1));
    await page.getByRole('button', { name: '保存修改' }).click();
    expect(await errorsShown(page)).toEqual(['截止时间要晚于现在。']);
    await page.getByLabel('报名截止日期').fill(plusDays(shanghaiDay(), 5));
    await page.getByLabel('报名截止时间').fill('17:00');
    await page.getByRole('button', { name: '保存修改' }).click();
    await waitForText(page.locator('[role=status]'), '已修改学期');
    const extended = (await terms()).find((term) => term.id === open.id);
    expect(new Date(extended?.closesAt ?? '').toISOString()).toBe(new Date(`${plusDays(shanghaiDay(), 5)}T17:00:00+08:00`).toISOString());
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('cancels a course after a page that says whom it reaches; its senior reads why, and it is offered to nobody', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 5, title: '摄影入门', weekday: 5, startTime: '09:00', endTime: '10:00' });
    await createCourse(stack, admin, term, { title: '书法（行书）', weekday: 1 });
    const senior = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(69) });
    const { ticketId } = await apply(stack, senior, course);
    expect((await decided(stack, senior, ticketId)).status).toBe('CONFIRMED');
    const running = async (): Promise<unknown> =>
      ((await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}`).expect(200)).body.items as { id: string; cancelledAt: unknown }[]).find(
        (item) => item.id === course.id,
      )?.cancelledAt;

    const page = await context.newPage();
    await page.goto(`/admin/terms/${term.id}`);
    await settled(page);
    await page.getByRole('link', { name: /^停开\s*：摄影入门/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '停开课程“摄影入门”');
    await waitForText(page.locator('main'), '这门课的 1 份报名');
    // No reason: told at the field, nothing sent.
    await page.getByRole('button', { name: '确认停开' }).click();
    expect(await errorsShown(page)).toHaveLength(1);
    expect(await running()).toBeNull();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('停开原因').fill('报名人数不足，本学期停开');
    await page.getByRole('button', { name: '确认停开' }).click();
    await waitForText(page.locator('[role=status]'), '已停开课程“摄影入门”');
    await waitForText(page.locator('#term-courses tbody'), /摄影入门.*已停开：报名人数不足，本学期停开/);
    expect(await page.getByRole('link', { name: /^停开\s*：摄影入门/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^修改\s*：摄影入门/ }).count()).toBe(0);
    expect(await running()).not.toBeNull();
    expect(await ticket(stack, senior, ticketId)).toMatchObject({ status: 'CANCELLED', note: 'cancelled as the course was cancelled' });
    // Its change page, reached by its address, says so instead of offering a form the API refuses.
    await page.goto(`/admin/terms/${term.id}/courses/${course.id}/edit`);
    await waitForText(page.getByRole('heading', { level: 1 }), '这门课已经停开了。');
    expect(await page.getByLabel('课程名称').count()).toBe(0);
    await page.close();

    // The senior: the course is not offered, and her application says why it ended.
    const seniorContext = await openContext(browser, stack, { token: senior.token });
    const own = await seniorContext.newPage();
    await own.goto('/courses');
    await settled(own);
    await waitForText(own.locator('main .cards'), '书法（行书）');
    expect(await own.locator('main').innerText()).not.toContain('摄影入门');
    await own.goto(`/courses/${course.id}/apply`);
    await waitForText(own.getByRole('heading', { level: 1 }), '这门课已停开');
    await waitForText(own.locator('main'), '报名人数不足，本学期停开');
    await own.goto(`/applications/${ticketId}`);
    await waitForText(own.locator('#ticket-live'), '这门课已停开，这份报名随之取消。');
    await waitForText(own.locator('main .facts'), '报名人数不足，本学期停开');
    await seniorContext.close();
  });
});
