/**
 * Proves the bureau's staff accounts desk: the staff by role, a new account (each problem told at
 * its field, nothing created until the form is right, and the person can sign in), a change of
 * roles and facilities, an administrator kept from taking away their own role, and a removal
 * after which the person cannot sign in. An administrator who changes their own roles goes on,
 * signed in, with the new ones.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { birthDateForAge, createUser, http, type TestStack, type TestUser, uniquePhone, uniqueResidentId, waitFor } from '@app/testing';
import { createCentre } from '../care-centre/care-fixtures';
import { axeViolations, closeInOrder, errorsShown, DESKTOP, openContext, visit, waitForText } from './browser';
import { startAdminAndBrowser } from './web-fixtures';

interface StaffView {
  id: string;
  name: string;
  roles: string[];
  facilityIds: string[];
}

describe('web: staff accounts for the bureau', () => {
  let stack: TestStack;
  let admin: TestUser;
  let counter: TestUser;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let centreId: string;
  const counterPhone = uniquePhone();
  const newPhone = uniquePhone();

  beforeAll(async () => {
    ({ stack, admin, browser } = await startAdminAndBrowser());
    counter = await createUser(stack, ['COUNTER'], { name: '陈晓燕', phone: counterPhone });
    centreId = await createCentre(stack, admin, { name: '湖滨街道居家养老服务照料中心', street: '湖滨街道' });
    context = await openContext(browser, stack, { token: admin.token, viewport: DESKTOP });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => closeInOrder(context, browser, stack));

  async function staff(): Promise<StaffView[]> {
    return (await http(stack).get('/api/v1/users?limit=200').set(admin.auth).expect(200)).body.items;
  }

  async function rows(): Promise<string[]> {
    await page.locator('#staff-count').waitFor();
    return (await page.locator('#staff tbody tr').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  }

  it('lists the staff by role, the administrator marked and never offered their own removal', async () => {
    await visit(page, '/admin');
    await page.getByRole('link', { name: /^工作人员账号/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '工作人员账号');
    await waitForText(page.locator('#staff-count'), '共 2 个账号。');
    expect(await rows()).toEqual([
      expect.stringMatching(/^测试管理员 （您自己） 1\d{2}\*{4}\d{4} 区民政局管理员 .+ 修改角色 ：测试管理员$/),
      expect.stringMatching(/^陈晓燕 1\d{2}\*{4}\d{4} 社区服务窗口 .+ 修改角色 ：陈晓燕 重设密码 ：陈晓燕 停用 ：陈晓燕$/),
    ]);
    expect(await page.locator('main').innerText()).not.toContain(counterPhone);
    await page.getByRole('link', { name: '社区服务窗口', exact: true }).click();
    await waitForText(page.locator('#staff-count'), '共 1 个账号。');
    expect(await page.getByRole('link', { name: '社区服务窗口', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(new URL(page.url()).search).toBe('?role=COUNTER');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('opens an account once its form is right, naming each problem at its field', async () => {
    await visit(page, '/admin/staff');
    await page.getByRole('link', { name: '新建工作人员账号' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '新建工作人员账号');
    await page.getByRole('button', { name: '开通这个账号' }).click();
    expect(await errorsShown(page)).toEqual(['请填写姓名', '请填写手机号码', '请填写初始密码', '请选择角色']);

    // A manager without a facility; a phone that already has an account.
    await page.getByLabel('姓名').fill('周主任');
    await page.getByLabel('手机号码').fill(counterPhone);
    await page.getByLabel('初始密码').fill('zhou-manager-1');
    await page.getByLabel(/^机构负责人/).check();
    await page.getByRole('button', { name: '开通这个账号' }).click();
    expect(await errorsShown(page)).toEqual(['机构负责人要选他负责的机构。']);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/^湖滨街道居家养老服务照料中心/).check();
    await page.getByRole('button', { name: '开通这个账号' }).click();
    await waitForText(page.locator('#error-summary'), '这个手机号码已经有账号了');
    expect(await errorsShown(page)).toEqual(['这个手机号码已经有账号了。']);
    expect(await page.getByLabel('手机号码').getAttribute('aria-invalid')).toBe('true');
    expect(await staff()).toHaveLength(2);

    await page.getByLabel('手机号码').fill(newPhone);
    await page.getByRole('button', { name: '开通这个账号' }).click();
    await waitForText(page.locator('[role=status]'), '已为周主任开通账号。');
    await waitForText(page.locator('#staff-count'), '共 3 个账号。');
    expect(await rows()).toContainEqual(expect.stringMatching(/^周主任 1\d{2}\*{4}\d{4} 机构负责人 湖滨街道居家养老服务照料中心 /));
    expect((await staff()).find((person) => person.name === '周主任')).toMatchObject({ roles: ['MANAGER'], facilityIds: [centreId] });
    // The first password signs in.
    await http(stack).post('/api/v1/auth/login').send({ phone: newPhone, password: 'zhou-manager-1' }).expect(200);
  });

  it('changes roles and facilities, and keeps an administrator from taking away their own role', async () => {
    await visit(page, '/admin/staff');
    await page.getByRole('link', { name: /^修改角色\s*：周主任/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '修改角色：周主任');
    expect(await page.getByLabel(/^湖滨街道居家养老服务照料中心/).isChecked()).toBe(true);
    await page.getByLabel(/^机构负责人/).uncheck();
    await page.getByLabel(/^社区服务窗口/).check();
    await page.getByRole('button', { name: '保存修改' }).click();
    expect(await errorsShown(page)).toEqual(['只有机构负责人才负责机构：请勾选“机构负责人”，或不选机构。']);
    await page.getByLabel(/^湖滨街道居家养老服务照料中心/).uncheck();
    await page.getByRole('button', { name: '保存修改' }).click();
    await waitForText(page.locator('[role=status]'), '已保存周主任的角色。');
    expect((await staff()).find((person) => person.name === '周主任')).toMatchObject({ roles: ['COUNTER'], facilityIds: [] });

    await page.getByRole('link', { name: /^修改角色\s*：测试管理员/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '修改角色：测试管理员');
    await waitForText(page.locator('main'), '这是您自己的账号：保存后，这个页面照常使用');
    await page.getByLabel(/^区民政局管理员/).uncheck();
    await page.getByLabel(/^社区服务窗口/).check();
    await page.getByRole('button', { name: '保存修改' }).click();
    expect(await errorsShown(page)).toEqual(['不能去掉您自己的管理员角色，要请另一位管理员来改。']);
    expect((await staff()).find((person) => person.id === admin.user.id)?.roles).toEqual(['ADMIN']);
  });

  it('makes a one-time code for a staff member who forgot their password, which sets a new one', async () => {
    await visit(page, '/admin/staff');
    await page.getByRole('link', { name: /^重设密码\s*：周主任/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '为周主任重设密码');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '生成一次性验证码' }).click();
    const code = (await page.getByTestId('one-time-code').innerText()).trim();
    expect(code).toMatch(/^\d{8}$/);
    await waitForText(page.locator('[role=status]'), '我有验证码，设新密码');
    await http(stack).post('/api/v1/auth/reset-password').send({ phone: newPhone, oneTimeCode: code, newPassword: 'zhou-again-1' }).expect(200);
    await http(stack).post('/api/v1/auth/login').send({ phone: newPhone, password: 'zhou-again-1' }).expect(200);
    // Never for oneself: one's own row offers no reset.
    await visit(page, '/admin/staff');
    expect(await page.getByRole('link', { name: /^重设密码\s*：测试管理员/ }).count()).toBe(0);
  });

  it('removes an account after asking, and the person can no longer sign in', async () => {
    await visit(page, '/admin/staff');
    await page.getByRole('link', { name: /^停用\s*：陈晓燕/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '停用陈晓燕的账号？');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认停用' }).click();
    await waitForText(page.locator('[role=status]'), '已停用陈晓燕的账号。');
    expect((await rows()).some((row) => row.startsWith('陈晓燕'))).toBe(false);
    expect((await staff()).some((person) => person.id === counter.user.id)).toBe(false);
    await http(stack).post('/api/v1/auth/login').send({ phone: counterPhone, password: counter.password }).expect(401);
    await visit(page, `/admin/staff/${counter.user.id}/remove`);
    await waitForText(page.getByRole('heading', { level: 1 }), '找不到这个账号');
    await visit(page, `/admin/staff/${randomUUID()}`);
    await waitForText(page.getByRole('heading', { level: 1 }), '找不到这个账号');
  });

  it('finds a removed staff account and restores it after asking; the person signs in again', async () => {
    await visit(page, '/admin/staff');
    await page.getByRole('link', { name: '已停用的账号（重新启用）' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '已停用的账号');
    await waitForText(page.locator('#removed-count'), '共 1 个停用的账号，最近停用的在前。');
    expect(await axeViolations(page)).toEqual([]);
    // One character of a name finds nobody, and is told before anything is sent.
    await page.getByLabel('查找停用的账号').fill('陈');
    await page.getByRole('button', { name: '查找' }).click();
    expect(await errorsShown(page)).toEqual([expect.stringContaining('至少')]);
    await page.getByLabel('查找停用的账号').fill('陈晓燕');
    await page.getByRole('button', { name: '查找' }).click();
    await waitForText(page.locator('#removed-count'), '找到 1 个停用的账号。');
    const row = (await page.locator('#removed tbody tr').innerText()).replace(/\s+/g, ' ').trim();
    expect(row).toMatch(/^陈晓燕 社区服务窗口 — 1\d{2}\*{4}\d{4} .+ 测试管理员 重新启用 ：陈晓燕$/);
    expect(await page.locator('main').innerText()).not.toContain(counterPhone);

    await page.getByRole('link', { name: /^重新启用\s*：陈晓燕/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '重新启用陈晓燕的账号？');
    await waitForText(page.locator('main'), '本人用原来的手机号码和密码登录（忘了密码，可以在工作人员账号里为他重设）。原来的角色和负责的机构都照旧');
    expect(await page.getByLabel('新的手机号码').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认重新启用' }).click();
    await waitForText(page.locator('[role=status]'), '已重新启用陈晓燕的账号。');
    expect(new URL(page.url()).pathname).toBe('/admin/staff');
    expect((await rows()).some((line) => line.startsWith('陈晓燕'))).toBe(true);
    await http(stack).post('/api/v1/auth/login').send({ phone: counterPhone, password: counter.password }).expect(200);
    // Going back to the check page says it is no longer removed.
    await visit(page, `/admin/removed/${counter.user.id}`);
    await waitForText(page.getByRole('heading', { level: 1 }), '这个账号没有停用');
  });

  it('restores a senior whose phone is now another’s with a new one, told at the field, and records it for her', async () => {
    const oldPhone = uniquePhone();
    const idCardNumber = uniqueResidentId(birthDateForAge(79));
    const senior = await createUser(stack, ['SENIOR'], { name: '恢复的周奶奶', phone: oldPhone, idCardNumber });
    await http(stack).delete(`/api/v1/users/${senior.user.id}`).set(admin.auth).expect(200);
    const owner = await createUser(stack, ['FAMILY'], { name: '号码的新主人', phone: oldPhone });
    // At the counter her ID number finds nobody living, and the page says her account is removed.
    await visit(page, `/counter?q=${idCardNumber}`);
    await waitForText(page.locator('main [role=status]'), '这个号码的账号已经停用了');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '去重新启用' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '已停用的账号');
    await waitForText(page.locator('#removed-count'), '找到 1 个停用的账号。');
    const row = (await page.locator('#removed tbody tr').innerText()).replace(/\s+/g, ' ').trim();
    expect(row).toContain('（已是别人的账号）');
    await page.getByRole('link', { name: /^重新启用\s*：恢复的周奶奶/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '重新启用恢复的周奶奶的账号？');
    await waitForText(page.locator('main'), '本人用下面填的新号码和原来的密码登录');
    await waitForText(page.locator('main'), '家人绑定都照旧');
    await page.getByRole('button', { name: '确认重新启用' }).click();
    expect(await errorsShown(page)).toEqual(['请填写新的手机号码']);
    await page.getByLabel('新的手机号码').fill(counterPhone);
    await page.getByRole('button', { name: '确认重新启用' }).click();
    await waitForText(page.locator('#error-summary'), '这个手机号码也已经有账号了，请换一个。');
    expect(await axeViolations(page)).toEqual([]);
    const still = await http(stack).get(`/api/v1/users/removed/${senior.user.id}`).set(admin.auth).expect(200);
    expect(still.body.phoneTaken).toBe(true);

    const newPhone = uniquePhone();
    await page.getByLabel('新的手机号码').fill(newPhone);
    await page.getByRole('button', { name: '确认重新启用' }).click();
    await waitForText(page.locator('[role=status]'), '已重新启用恢复的周奶奶的账号。');
    await waitForText(page.getByRole('heading', { level: 1 }), '恢复的周奶奶');
    await http(stack).post('/api/v1/auth/login').send({ phone: newPhone, password: senior.password }).expect(200);
    expect((await http(stack).post('/api/v1/auth/login').send({ phone: oldPhone, password: owner.password }).expect(200)).body.user.id).toBe(owner.user.id);
    // The bureau's record names both acts, and whom they were for.
    await visit(page, '/admin/acted-for');
    const log = await page.locator('main').innerText();
    expect(log).toContain('停用账号');
    expect(log).toContain('重新启用账号');
  });

  it('asks for a new phone when the old one is taken while the check page is open', async () => {
    const oldPhone = uniquePhone();
    const volunteer = await createUser(stack, ['VOLUNTEER', 'FAMILY'], { name: '恢复的吴志愿者', phone: oldPhone });
    await http(stack).delete(`/api/v1/users/${volunteer.user.id}`).set(admin.auth).expect(200);
    await visit(page, `/admin/removed/${volunteer.user.id}`);
    await waitForText(page.getByRole('heading', { level: 1 }), '重新启用恢复的吴志愿者的账号？');
    await createUser(stack, ['FAMILY'], { name: '刚拿到号码的人', phone: oldPhone });
    await page.getByRole('button', { name: '确认重新启用' }).click();
    await waitForText(page.locator('#error-summary'), '原来的手机号码刚刚被别的账号用了');
    await page.getByLabel('新的手机号码').fill(uniquePhone());
    await page.getByRole('button', { name: '确认重新启用' }).click();
    await waitForText(page.locator('[role=status]'), '已重新启用恢复的吴志愿者的账号。');
    expect((await http(stack).get(`/api/v1/users/removed/${volunteer.user.id}`).set(admin.auth)).status).toBe(404);
  });

  it('changes an administrator’s own roles and goes on, signed in, with the new ones', async () => {
    const second = await createUser(stack, ['ADMIN'], { name: '第二位管理员' });
    const own = await openContext(browser, stack, { token: second.token, viewport: DESKTOP });
    const ownPage = await own.newPage();
    await visit(ownPage, '/admin/staff');
    await ownPage.getByRole('link', { name: /^修改角色\s*：第二位管理员/ }).click();
    await waitForText(ownPage.locator('main'), '这是您自己的账号');
    await ownPage.getByLabel(/^社区服务窗口/).check();
    await ownPage.getByRole('button', { name: '保存修改' }).click();
    await waitForText(ownPage.locator('[role=status]'), '已保存第二位管理员的角色。');
    expect(new URL(ownPage.url()).pathname).toBe('/admin/staff');
    // The page holds a fresh token with both roles; the one it started with no longer works.
    const token = await ownPage.evaluate<string>(`localStorage.getItem('eldercare.token')`);
    expect(token).not.toBe(second.token);
    expect((await http(stack).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200)).body.roles).toEqual(['ADMIN', 'COUNTER']);
    await waitFor(async () => (await http(stack).get('/api/v1/me').set(second.auth)).status === 401, { message: 'the earlier token is refused' });
    // Home now offers the counter's desk, still signed in.
    await visit(ownPage, '/');
    await waitForText(ownPage.locator('main'), '窗口工作台');
    await own.close();
  });
});
