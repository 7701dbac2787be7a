/**
 * Proves that anyone signed in changes their own password from the home page: the current one is
 * checked, the new one typed twice, and afterwards this page stays signed in while a phone still
 * holding the old session is asked to sign in again. A request the page sent with the old session
 * just before, refused once the new one took its place, goes again with the new one. A senior who
 * volunteers stops volunteering on her phone, after a check, and stays signed in.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminOf, createUser, http, type TestStack, type TestUser, uniquePhone, waitFor } from '@app/testing';
import { axeViolations, closeInOrder, errorsShown, openContext, PHONE, settled, visit, waitForText } from './browser';
import { startAdminAndBrowser } from './web-fixtures';
import { claimedRequest } from '../time-bank/helpers';

describe('web: changing one’s own password', () => {
  let stack: TestStack;
  let senior: TestUser;
  let browser: Browser;
  let context: BrowserContext;
  let otherPhone: BrowserContext;
  let page: Page;
  const phone = uniquePhone();

  beforeAll(async () => {
    ({ stack, browser } = await startAdminAndBrowser());
    senior = await createUser(stack, ['SENIOR'], { name: '王秀英', phone });
    context = await openContext(browser, stack, { token: senior.token });
    otherPhone = await openContext(browser, stack, { token: senior.token });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => closeInOrder(context, otherPhone, browser, stack));

  it('checks the current password and the new one typed twice, then changes it', async () => {
    await visit(page, '/');
    await page.getByRole('link', { name: /^修改密码/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '修改密码');
    await page.getByRole('button', { name: '改好密码' }).click();
    expect(await errorsShown(page)).toEqual(['请填写现在的密码', '请填写新密码', '请填写新密码（再填一次）']);

    await page.getByLabel('现在的密码').fill('not-my-password');
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('新密码（再填一次）').fill('short');
    await page.getByRole('button', { name: '改好密码' }).click();
    expect(await errorsShown(page)).toEqual(['密码至少要 8 个字符']);
    await page.getByLabel('新密码', { exact: true }).fill('my-new-password-1');
    await page.getByLabel('新密码（再填一次）').fill('my-new-password-2');
    await page.getByRole('button', { name: '改好密码' }).click();
    expect(await errorsShown(page)).toEqual(['两次填的新密码不一样，请再填一次。']);
    await page.getByLabel('新密码（再填一次）').fill('my-new-password-1');
    await page.getByRole('button', { name: '改好密码' }).click();
    // The API's answer replaces the summary of the form's own checks.
    await waitForText(page.locator('#error-summary'), '现在的密码不对');
    expect(await errorsShown(page)).toEqual(['现在的密码不对。如果忘记了，请带身份证到社区服务窗口领取一次性验证码。']);
    expect(await page.getByLabel('现在的密码').getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await http(stack).post('/api/v1/auth/login').send({ phone, password: senior.password }).expect(200);

    await page.getByLabel('现在的密码').fill(senior.password);
    await page.getByRole('button', { name: '改好密码' }).click();
    await waitForText(page.locator('[role=status]'), '密码已经改好了。');
    await waitForText(page.getByRole('heading', { level: 1 }), '王秀英，您好');
    await http(stack).post('/api/v1/auth/login').send({ phone, password: senior.password }).expect(401);
    await http(stack).post('/api/v1/auth/login').send({ phone, password: 'my-new-password-1' }).expect(200);
  });

  it('keeps this page signed in, and asks the other phone to sign in again', async () => {
    await visit(page, '/time-bank');
    await waitForText(page.getByRole('heading', { level: 1 }), '我的时间银行');
    const other = await otherPhone.newPage();
    await other.goto('/time-bank');
    await settled(other);
    await waitForText(other.getByRole('heading', { level: 1 }), '登录');
    expect(new URL(other.url()).pathname).toBe('/login');
  });

  it('sends again with the new session a request the old one had sent, refused once the password changed', async () => {
    const TOKEN = `localStorage.getItem('eldercare.token')`;
    await visit(page, '/');
    await waitForText(page.getByRole('heading', { level: 1 }), '王秀英，您好');
    const before = await page.evaluate<string>(TOKEN);
    // Her time bank asks for the balance: the first request leaves with the token in use, and is held on its way.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (reached = resolve));
    const sentWith: string[] = [];
    await page.route('**/api/v1/time-bank/accounts/me', async (route) => {
      sentWith.push(route.request().headers().authorization ?? '');
      if (sentWith.length === 1) {
        reached();
        await held;
      }
      await route.continue();
    });
    await page
      .getByRole('link', { name: /时间银行/ })
      .first()
      .click();
    await first;
    // Meanwhile the password is changed (on another tab of the same phone): a new token takes its place.
    const changed = await http(stack)
      .post('/api/v1/me/password')
      .set('Authorization', `Bearer ${before}`)
      .send({ currentPassword: 'my-new-password-1', newPassword: 'my-new-password-3' })
      .expect(200);
    const fresh = changed.body.accessToken as string;
    await page.evaluate(`localStorage.setItem('eldercare.token', ${JSON.stringify(fresh)})`);
    await waitFor(async () => (await http(stack).get('/api/v1/me').set('Authorization', `Bearer ${before}`)).status === 401, {
      message: 'the earlier token is refused',
    });

    // The held request goes on with the old token and is refused; it goes again with the new one,
    // and her time bank shows, still signed in.
    const refused = page.waitForResponse((response) => response.url().endsWith('/api/v1/time-bank/accounts/me') && response.status() === 401);
    release();
    await refused;
    await waitForText(page.getByRole('heading', { level: 1 }), '我的时间银行');
    expect(sentWith).toEqual([`Bearer ${before}`, `Bearer ${fresh}`]);
    expect(await page.evaluate(TOKEN)).toBe(fresh);
    expect(new URL(page.url()).pathname).toBe('/time-bank');
    await page.unroute('**/api/v1/time-bank/accounts/me');
  });

  it('lets a senior who volunteers stop on her phone after a check: her request goes back, she stays signed in as a senior', async () => {
    const volunteer = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { name: '赵志芳' });
    const asker = await createUser(stack, ['SENIOR'], { name: '钱大爷' });
    const wantedAt = new Date(Date.now() + 30 * 3_600_000).toISOString();
    const request = (
      await http(stack)
        .post('/api/v1/time-bank/requests')
        .set(asker.auth)
        .send({ serviceType: 'SHOPPING', wantedAt, durationMinutes: 60, street: '彭埠街道' })
        .expect(201)
    ).body as { id: string };
    await http(stack).post(`/api/v1/time-bank/requests/${request.id}/claim`).set(volunteer.auth).expect(200);
    const mine = await openContext(browser, stack, { token: volunteer.token, viewport: PHONE });
    const phonePage = await mine.newPage();
    await visit(phonePage, '/');
    await phonePage.getByRole('link', { name: /^不再做志愿者/ }).click();
    await waitForText(phonePage.getByRole('heading', { level: 1 }), '确定不再做志愿者吗？');
    await waitForText(phonePage.locator('main'), '您接下还没做的 1 个求助会交还');
    await waitForText(phonePage.locator('main'), '您存下的时间不变');
    expect(await axeViolations(phonePage)).toEqual([]);
    // "Not now" changes nothing.
    await phonePage.getByRole('link', { name: '不了，继续做志愿者' }).click();
    await waitForText(phonePage.getByRole('heading', { level: 1 }), '赵志芳，您好');
    expect((await http(stack).get('/api/v1/me').set(volunteer.auth).expect(200)).body.roles).toEqual(['SENIOR', 'VOLUNTEER']);

    await visit(phonePage, '/account/volunteering');
    await phonePage.getByRole('button', { name: '确认不再做志愿者' }).click();
    await waitForText(phonePage.locator('[role=status]'), '您已不再做志愿者');
    await waitForText(phonePage.getByRole('heading', { level: 1 }), '赵志芳，您好');
    expect(await phonePage.getByRole('link', { name: /^不再做志愿者/ }).count()).toBe(0);
    expect((await http(stack).get(`/api/v1/time-bank/requests/${request.id}`).set(asker.auth).expect(200)).body).toMatchObject({
      status: 'OPEN',
      claimedBy: null,
    });
    // Still signed in, as a senior: her time bank opens; the address again says she is not a volunteer.
    await visit(phonePage, '/time-bank');
    await waitForText(phonePage.getByRole('heading', { level: 1 }), '我的时间银行');
    await visit(phonePage, '/account/volunteering');
    await waitForText(phonePage.locator('main [role=status]'), '您现在不是志愿者');
    await mine.close();

    // An account that is only a volunteer's cannot stop here, with nothing to press: it is sent to closing the account.
    const onlyVolunteer = await createUser(stack, ['VOLUNTEER']);
    const theirs = await openContext(browser, stack, { token: onlyVolunteer.token, viewport: PHONE });
    const theirPage = await theirs.newPage();
    await visit(theirPage, '/account/volunteering');
    await waitForText(theirPage.locator('main'), '不想再用这个账号，可以注销账号');
    expect(await theirPage.getByRole('button', { name: '确认不再做志愿者' }).count()).toBe(0);
    await theirPage.getByRole('link', { name: '注销账号' }).click();
    await waitForText(theirPage.getByRole('heading', { level: 1 }), '确定要注销账号吗？');
    await theirs.close();
  });

  it('lets a volunteer close their own account after a check and their password; a senior is sent to the counter', async () => {
    const admin = await adminOf(stack);
    const volunteerPhone = uniquePhone();
    const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '注销的志愿者', phone: volunteerPhone });
    const elder = await createUser(stack, ['SENIOR']);
    const requestId = await claimedRequest(stack, elder, volunteer);
    const theirs = await openContext(browser, stack, { token: volunteer.token, viewport: PHONE });
    const theirPage = await theirs.newPage();
    await visit(theirPage, '/');
    await theirPage.getByRole('link', { name: /^注销账号/ }).click();
    await waitForText(theirPage.getByRole('heading', { level: 1 }), '确定要注销账号吗？');
    await waitForText(theirPage.locator('main'), '您接下还没做的 1 个求助会交还');
    await waitForText(theirPage.locator('main'), '由管理员为您重新启用');
    expect(await axeViolations(theirPage)).toEqual([]);
    await theirPage.getByRole('button', { name: '确认注销账号' }).click();
    expect(await errorsShown(theirPage)).toEqual(['请填写您的登录密码']);
    await theirPage.getByLabel('您的登录密码').fill('not-my-password');
    await theirPage.getByRole('button', { name: '确认注销账号' }).click();
    await waitForText(theirPage.locator('#error-summary'), '现在的密码不对');
    expect(await axeViolations(theirPage)).toEqual([]);
    await http(stack).get('/api/v1/me').set(volunteer.auth).expect(200);

    await theirPage.getByLabel('您的登录密码').fill(volunteer.password);
    await theirPage.getByRole('button', { name: '确认注销账号' }).click();
    await waitForText(theirPage.locator('[role=status]'), '您的账号已经注销');
    expect(await theirPage.evaluate<string | null>(`localStorage.getItem('eldercare.token')`)).toBeNull();
    await waitForText(theirPage.locator('header'), '登录');
    await http(stack).get('/api/v1/me').set(volunteer.auth).expect(401);
    await http(stack).post('/api/v1/auth/login').send({ phone: volunteerPhone, password: volunteer.password }).expect(401);
    const back = await http(stack).get(`/api/v1/time-bank/requests/${requestId}`).set(elder.auth).expect(200);
    expect(back.body.status).toBe('OPEN');
    const removed = await http(stack).get(`/api/v1/users/removed/${volunteer.user.id}`).set(admin.auth).expect(200);
    expect(removed.body.closedByThemself).toBe(true);
    await theirs.close();
    // The bureau's list says the person closed it.
    const desk = await openContext(browser, stack, { token: admin.token });
    const deskPage = await desk.newPage();
    await visit(deskPage, `/admin/removed?q=${encodeURIComponent('注销的志愿者')}`);
    await waitForText(deskPage.locator('#removed tbody tr'), '本人注销');
    await desk.close();

    // A senior's page says where her account is closed, with nothing to fill in.
    await visit(page, '/account/close');
    await waitForText(page.locator('main .notice'), '老人的账号请带身份证到社区服务窗口注销');
    expect(await page.locator('main input').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('sets a new password from the sign-in page with the code the counter gave, a question at a time', async () => {
    const admin = await adminOf(stack);
    const fresh = await browser.newContext({ baseURL: stack.baseUrl, viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const door = await fresh.newPage();
    const answer = async (label: string, value: string): Promise<void> => {
      await door.getByLabel(label).fill(value);
      await door.getByRole('button', { name: '继续' }).click();
    };
    try {
      await visit(door, '/login');
      await door.getByRole('link', { name: '我有验证码，设新密码' }).click();
      await waitForText(door.getByRole('heading', { level: 1 }), '您登录用的手机号码是多少？');
      await answer('您登录用的手机号码是多少？', phone);
      await answer('窗口给您的验证码是多少？', '1234');
      await waitForText(door.locator('#error-summary'), '验证码是 8 位数字');
      // A code that is not hers: told on the check step, nothing changed.
      await answer('窗口给您的验证码是多少？', '00000000');
      await answer('请设置一个新密码', 'from-the-counter-1');
      await door.getByRole('button', { name: '确认并设好新密码' }).click();
      await waitForText(door.locator('#error-summary'), '验证码不对或已过期，请到服务窗口重新领取。');
      expect(await axeViolations(door)).toEqual([]);

      const issued = await http(stack).post(`/api/v1/seniors/${senior.user.id}/password-reset`).set(admin.auth).expect(200);
      await door.getByRole('link', { name: /^更改\s*验证码/ }).click();
      await answer('窗口给您的验证码是多少？', String(issued.body.oneTimeCode));
      await door.getByRole('button', { name: '确认并设好新密码' }).click();
      await waitForText(door.locator('[role=status]'), '新密码已设好，您已登录。');
      await waitForText(door.getByRole('heading', { level: 1 }), '王秀英，您好');
      await http(stack).post('/api/v1/auth/login').send({ phone, password: 'from-the-counter-1' }).expect(200);
    } finally {
      await fresh.close();
    }
  });
});
