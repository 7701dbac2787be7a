/**
 * Proves the bureau's care-centre desk: every centre with its operator and contract, the
 * contracts to renew first, a form that opens a centre and one that changes it (each telling at
 * its field what is wrong and changing nothing until it is right), and a centre's day seen by the
 * bureau without the managers' forms.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { http, type TestStack, type TestUser } from '@app/testing';
import { createCentre, plusDays, shanghaiDay } from '../care-centre/care-fixtures';
import { axeViolations, closeInOrder, errorsShown, DESKTOP, openContext, settled, visit, waitForText } from './browser';
import { startAdminAndBrowser } from './web-fixtures';

interface CentreView {
  id: string;
  name: string;
  street: string;
  operatorKind: string;
  operatorName: string | null;
  contractEndsOn: string | null;
  status: string;
  dayCapacity: number;
  sunshineKitchen: boolean;
}

describe('web: care centres for the bureau', () => {
  let stack: TestStack;
  let admin: TestUser;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const today = shanghaiDay();
  let endingId: string;
  let expiredId: string;

  beforeAll(async () => {
    ({ stack, admin, browser } = await startAdminAndBrowser());
    endingId = await createCentre(stack, admin, {
      name: '清波街道居家养老服务照料中心',
      street: '清波街道',
      operatorKind: 'SOCIAL_OPERATOR',
      operatorName: '杭州颐乐养老服务有限公司',
      contractEndsOn: plusDays(today, 20),
    });
    expiredId = await createCentre(stack, admin, {
      name: '采荷街道居家养老服务照料中心',
      street: '采荷街道',
      operatorKind: 'SOCIAL_OPERATOR',
      operatorName: '杭州银龄汇养老服务有限公司',
      contractEndsOn: plusDays(today, -3),
      sunshineKitchen: false,
    });
    await createCentre(stack, admin, { name: '东坡路社区照料中心', street: '湖滨街道', status: 'RENOVATING', dayCapacity: 20 });
    context = await openContext(browser, stack, { token: admin.token, viewport: DESKTOP });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => closeInOrder(context, browser, stack));

  async function centres(): Promise<CentreView[]> {
    return (await http(stack).get('/api/v1/care-centres?limit=200').expect(200)).body.items;
  }

  it('lists every centre by street, the contracts to renew first, and says so on the overview', async () => {
    await visit(page, '/admin');
    await waitForText(page.locator('#contracts-line'), '社会化运营合同：1 家 60 天内到期，1 家已到期');
    await page.getByRole('link', { name: /^照料中心（运营方和合同/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '照料中心');

    const renewals = page.locator('#renewals li');
    await waitForText(page.locator('#renewals h2'), '需要续签的合同（2 家）');
    // The one that has ended comes first, then the one ending in 20 days.
    expect((await renewals.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^采荷街道居家养老服务照料中心（杭州银龄汇养老服务有限公司）：合同已于 .+ 到期 修改/),
      expect.stringMatching(/^清波街道居家养老服务照料中心（杭州颐乐养老服务有限公司）：合同 .+ 到期，还有 20 天 修改/),
    ]);
    await waitForText(page.locator('#centres-count'), '共 3 家，运营中 2 家。');
    // By street as a Chinese reader orders them: 采荷 (cǎi), 湖滨 (hú), 清波 (qīng).
    const rows = (await page.locator('#centres tbody tr').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual([
      expect.stringMatching(/^采荷街道居家养老服务照料中心 采荷街道 运营中 社会化运营：杭州银龄汇养老服务有限公司 .+ 已到期 30 人 没有 修改/),
      expect.stringMatching(/^东坡路社区照料中心 湖滨街道 装修中 公办 不适用 20 人 有 修改/),
      expect.stringMatching(/^清波街道居家养老服务照料中心 清波街道 运营中 社会化运营：杭州颐乐养老服务有限公司 .+ 即将到期 30 人 有 修改/),
    ]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('opens a centre once its form is right, naming each problem at its field', async () => {
    await visit(page, '/admin/care-centres');
    await page.getByRole('link', { name: '新建照料中心' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '新建照料中心');
    await waitForText(page.locator('#f-street-hint'), '已有的街道：采荷街道、湖滨街道、清波街道');

    await page.getByRole('button', { name: '新建这个中心' }).click();
    expect(await errorsShown(page)).toEqual(['请填写中心名称', '请填写所在街道', '请填写每天最多接待几位老人']);
    // A social operator without its name and contract; a name another centre has.
    await page.getByLabel('中心名称').fill('东坡路社区照料中心');
    await page.getByLabel('所在街道').fill('湖滨街道');
    await page.getByLabel('每天最多接待几位老人').fill('25');
    await page.getByLabel(/^社会化运营/).check();
    await page.getByRole('button', { name: '新建这个中心' }).click();
    expect(await errorsShown(page)).toEqual(['社会化运营要填写运营单位。', '社会化运营要填写合同到期日。']);
    expect(await page.getByLabel('合同到期日', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('运营单位', { exact: true }).fill('杭州福寿康养老服务有限公司');
    await page.getByLabel('合同到期日', { exact: true }).fill(plusDays(today, 400));
    await page.getByRole('button', { name: '新建这个中心' }).click();
    // The API's refusal replaces the summary of the form's own checks.
    await waitForText(page.locator('#error-summary'), '已经有叫这个名字的照料中心');
    expect(await errorsShown(page)).toEqual(['已经有叫这个名字的照料中心，请换一个名称。']);
    expect(await page.getByLabel('中心名称').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('运营单位', { exact: true }).inputValue()).toBe('杭州福寿康养老服务有限公司');
    expect(await centres()).toHaveLength(3);

    await page.getByLabel('中心名称').fill('湖滨街道居家养老服务照料中心');
    await page.getByLabel(/^有$/).check();
    await page.getByRole('button', { name: '新建这个中心' }).click();
    await waitForText(page.locator('[role=status]'), '已新建照料中心“湖滨街道居家养老服务照料中心”。');
    await waitForText(page.locator('#centres-count'), '共 4 家，运营中 3 家。');
    expect((await centres()).find((centre) => centre.name === '湖滨街道居家养老服务照料中心')).toMatchObject({
      street: '湖滨街道',
      status: 'OPERATING',
      operatorKind: 'SOCIAL_OPERATOR',
      operatorName: '杭州福寿康养老服务有限公司',
      contractEndsOn: plusDays(today, 400),
      dayCapacity: 25,
      sunshineKitchen: true,
    });
  });

  it('renews a contract and hands a centre back to the government, each from its change form', async () => {
    await visit(page, '/admin/care-centres');
    await page
      .locator('#renewals')
      .getByRole('link', { name: /^修改\s*：清波街道/ })
      .click();
    await waitForText(page.getByRole('heading', { level: 1 }), '修改：清波街道居家养老服务照料中心');
    expect(await page.getByLabel('合同到期日', { exact: true }).inputValue()).toBe(plusDays(today, 20));
    await page.getByLabel('合同到期日', { exact: true }).fill('');
    await page.getByRole('button', { name: '保存修改' }).click();
    expect(await errorsShown(page)).toEqual(['社会化运营要填写合同到期日。']);
    expect((await centres()).find((centre) => centre.id === endingId)?.contractEndsOn).toBe(plusDays(today, 20));
    await page.getByLabel('合同到期日', { exact: true }).fill(plusDays(today, 730));
    await page.getByRole('button', { name: '保存修改' }).click();
    await waitForText(page.locator('[role=status]'), '已保存“清波街道居家养老服务照料中心”的修改。');
    await waitForText(page.locator('#renewals h2'), '需要续签的合同（1 家）');
    expect((await centres()).find((centre) => centre.id === endingId)).toMatchObject({
      contractEndsOn: plusDays(today, 730),
      operatorName: '杭州颐乐养老服务有限公司',
    });

    // The expired one goes back to the street office: its operator and contract are cleared, and nothing is left to renew.
    await page
      .getByRole('link', { name: /^修改\s*：采荷街道/ })
      .first()
      .click();
    await waitForText(page.getByRole('heading', { level: 1 }), '修改：采荷街道居家养老服务照料中心');
    await page.getByLabel(/^公办/).check();
    await page.getByLabel('每天最多接待几位老人').fill('45');
    await page.getByRole('button', { name: '保存修改' }).click();
    await waitForText(page.locator('[role=status]'), '已保存“采荷街道居家养老服务照料中心”的修改。');
    await page.locator('#centres-count').waitFor();
    expect(await page.locator('#renewals').count()).toBe(0);
    expect((await centres()).find((centre) => centre.id === expiredId)).toMatchObject({
      operatorKind: 'GOVERNMENT',
      operatorName: null,
      contractEndsOn: null,
      dayCapacity: 45,
    });
  });

  it("shows the bureau a centre's day and how it is run, without the managers' forms", async () => {
    await visit(page, '/admin/care-centres');
    await page.getByRole('link', { name: '清波街道居家养老服务照料中心', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '清波街道居家养老服务照料中心');
    await waitForText(page.locator('#centre-facts'), '社会化运营：杭州颐乐养老服务有限公司');
    await waitForText(page.locator('main'), '今天还没有老人签到。');
    await waitForText(page.locator('main'), '今天还没有登记服务。');
    expect(await page.locator('main form').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '修改这个中心的信息' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), '修改：清波街道居家养老服务照料中心');
    await page.goto('/admin/care-centres/no-such-centre/edit');
    await waitForText(page.getByRole('heading', { level: 1 }), '找不到这个照料中心');
    await settled(page);
  });
});
