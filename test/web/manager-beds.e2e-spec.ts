/**
 * Proves a manager admits a new resident to a bed through the board, with a check step, and a
 * second open board shows the change live without a reload; and that a care centre's page is
 * named for the centre and its desk sees whom each scanned card checked in or served.
 */
import type { Browser, Route } from 'playwright-core';
import { birthDateForAge, createUser, http, type TestStack, uniqueResidentId } from '@app/testing';
import { axeViolations, closeInOrder, DESKTOP, heading, openContext, PHONE, visit, waitForText } from './browser';
import { startWorld, type World } from './web-fixtures';

describe('web: the bed board', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;

  beforeAll(async () => {
    ({ stack, world, browser } = await startWorld());
  }, 120_000);

  afterAll(async () => closeInOrder(browser, stack));

  it('admits a resident on one board and the other board sees the bed change live', async () => {
    const bed = world.beds.find((b) => b.code === '1-101-B');
    if (!bed) throw new Error('fixture bed missing');
    const watcherContext = await openContext(browser, stack, { token: world.manager.token, viewport: DESKTOP });
    const watcher = await watcherContext.newPage();
    await visit(watcher, `/facilities/${world.facilityId}`);
    const watchedCard = watcher.locator(`.bed-tile[data-bed-id="${bed.id}"]`);
    // Status is written out, not only coloured.
    await waitForText(watchedCard, '空床');
    await waitForText(watcher.locator('#occupancy-rate'), '8.3%');
    await watcher.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));

    const context = await openContext(browser, stack, { token: world.manager.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, `/facilities/${world.facilityId}`);
    // Selecting a tile opens the bed's panel with its actions.
    await page.locator(`.bed-tile[data-bed-id="${bed.id}"]`).click();
    await waitForText(page.locator('#bed-detail h2'), '床位 1-101-B');
    await page.locator('#bed-detail').getByRole('link', { name: '办理入住' }).click();
    await waitForText(page.locator('main h1'), '哪位住户入住？');
    await page.getByRole('link', { name: '登记一位新住户' }).click();
    await waitForText(page.locator('main h1'), '登记新住户');
    await page.getByLabel('姓名', { exact: true }).fill('孙玉芬');
    await page.getByLabel('身份证号码').fill(uniqueResidentId(birthDateForAge(86)));
    await page.getByLabel('护理型').check();
    await page.getByLabel('紧急联系人姓名').fill('孙建国');
    await page.getByLabel('紧急联系人和住户的关系').fill('儿子');
    await page.getByLabel('紧急联系人电话').fill('13987654321');
    await page.getByRole('button', { name: '登记住户' }).click();

    // Back on the admission question, with the new resident chosen.
    await waitForText(page.locator('main h1'), '哪位住户入住？');
    expect(await page.getByLabel(/孙玉芬/).isChecked()).toBe(true);
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main h1'), '请核对您填写的内容');
    const summary = await waitForText(page.locator('.summary-list'), '孙玉芬');
    expect(summary).toContain('1-101-B');
    expect(summary).toContain('空床');
    expect(summary).toContain('已入住');
    // Nothing has changed before the confirmation.
    expect((await http(stack).get(`/api/v1/beds/${bed.id}`).set(world.manager.auth).expect(200)).body.status).toBe('AVAILABLE');
    await page.getByRole('button', { name: '确认入住' }).click();
    await waitForText(page.locator('[role=status]'), '床位 1-101-B 现在是“已入住”');

    await waitForText(watchedCard, '已入住', 10_000);
    await waitForText(watcher.locator('#occupancy-rate'), '16.7%');
    expect(await watcher.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
    const stored = await http(stack).get(`/api/v1/beds/${bed.id}`).set(world.manager.auth).expect(200);
    expect(stored.body).toMatchObject({ status: 'OCCUPIED', residentId: expect.any(String) });
    await watcherContext.close();
    await context.close();
  });

  it('records a leave and the return through the board panel, each with a check step', async () => {
    const bed = world.beds.find((b) => b.code === '1-101-A');
    if (!bed) throw new Error('fixture bed missing');
    const context = await openContext(browser, stack, { token: world.manager.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, `/facilities/${world.facilityId}`);
    await page.locator(`.bed-tile[data-bed-id="${bed.id}"]`).click();
    await page.locator('#bed-detail').getByRole('link', { name: '登记请假 / 住院留床' }).click();
    await waitForText(page.locator('main h1'), '请假或住院的原因');
    await page.getByLabel('请假或住院的原因').fill('住院治疗');
    await page.getByRole('button', { name: '继续' }).click();
    await waitForText(page.locator('main h1'), '预计哪天回来？');
    const back = new Date(Date.now() + 5 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel('预计哪天回来？').fill(back);
    await page.getByRole('button', { name: '继续' }).click();
    const summary = await waitForText(page.locator('.summary-list'), '请假中');
    expect(summary).toContain('住院治疗');
    expect(summary).toContain(`${Number(back.slice(5, 7))}月${Number(back.slice(8, 10))}日`);
    expect((await http(stack).get(`/api/v1/beds/${bed.id}`).set(world.manager.auth).expect(200)).body.status).toBe('OCCUPIED');
    await page.getByRole('button', { name: '确认请假' }).click();
    await waitForText(page.locator('[role=status]'), '床位 1-101-A 现在是“请假中”');
    expect((await http(stack).get(`/api/v1/beds/${bed.id}`).set(world.manager.auth).expect(200)).body).toMatchObject({
      status: 'ON_LEAVE',
      expectedReturnOn: back,
    });

    await visit(page, `/facilities/${world.facilityId}`);
    await waitForText(page.locator(`.bed-tile[data-bed-id="${bed.id}"]`), '请假中');
    await page.locator(`.bed-tile[data-bed-id="${bed.id}"]`).click();
    await page.locator('#bed-detail').getByRole('link', { name: '销假，已回院' }).click();
    await page.getByRole('button', { name: '确认已回院' }).click();
    await waitForText(page.locator('[role=status]'), '床位 1-101-A 现在是“已入住”');
    expect((await http(stack).get(`/api/v1/beds/${bed.id}`).set(world.manager.auth).expect(200)).body).toMatchObject({
      status: 'OCCUPIED',
      expectedReturnOn: null,
    });
    await context.close();
  });

  it('says which residents offered for a hold are not of the bed’s care level', async () => {
    const bed = world.beds.find((b) => b.code === '1-103-A');
    if (!bed) throw new Error('fixture bed missing');
    const register = async (name: string, careLevel: string): Promise<string> =>
      (
        await http(stack)
          .post('/api/v1/residents')
          .set(world.manager.auth)
          .send({
            name,
            idCardNumber: uniqueResidentId(birthDateForAge(82)),
            careLevel,
            facilityId: world.facilityId,
            emergencyContacts: [{ name: '吴强', relation: '儿子', phone: '13912345671' }],
          })
          .expect(201)
      ).body.id as string;
    // The home has no assisted-living bed, so her entry waits and is never offered one.
    const waiting = await register('吴桂珍', 'ASSISTED');
    await http(stack)
      .post(`/api/v1/facilities/${world.facilityId}/waitlist`)
      .set(world.manager.auth)
      .send({ residentId: waiting, careLevel: 'ASSISTED', priorityReasons: ['LIVING_ALONE'] })
      .expect(201);
    // One just registered for this nursing bed, as the board's "register a new resident" returns.
    const registered = await register('吴秀兰', 'NURSING');

    const context = await openContext(browser, stack, { token: world.manager.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, `/beds/${bed.id}/hold/resident?residentId=${registered}`);
    await waitForText(page.locator('main h1'), '为哪位住户预留？');
    const text = await waitForText(page.locator('main'), '吴桂珍');
    expect(text.indexOf('吴秀兰')).toBeGreaterThan(-1);
    expect(text.indexOf('吴秀兰')).toBeLessThan(text.indexOf('吴桂珍'));
    expect(text).toContain('半失能（与这张床的照护等级不同）');
    expect(text).not.toContain('护理型（与这张床的照护等级不同）');
    await context.close();
  });

  it('writes English punctuation on the English pages, in what is read aloud too', async () => {
    const context = await openContext(browser, stack, { token: world.manager.token, viewport: DESKTOP, lang: 'en' });
    const page = await context.newPage();
    for (const path of ['/facilities', `/facilities/${world.facilityId}`, `/facilities/${world.facilityId}/waitlist`]) {
      await visit(page, path);
      await page.locator('main h1').waitFor();
      // textContent includes the visually hidden words that complete a link's name.
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toMatch(/[A-Za-z]/);
      expect({ path, punctuation: text.match(/[，：（）、]/g) ?? [] }).toEqual({ path, punctuation: [] });
    }
    await context.close();
  });

  it('withdraws a waiting-list entry with a reason, naming the resident and never an id', async () => {
    const resident = await http(stack)
      .post('/api/v1/residents')
      .set(world.manager.auth)
      .send({
        name: '钱淑珍',
        idCardNumber: uniqueResidentId(birthDateForAge(79)),
        careLevel: 'ASSISTED',
        facilityId: world.facilityId,
        emergencyContacts: [{ name: '钱伟', relation: '儿子', phone: '13912345670' }],
      })
      .expect(201);
    const entry = await http(stack)
      .post(`/api/v1/facilities/${world.facilityId}/waitlist`)
      .set(world.manager.auth)
      .send({ residentId: resident.body.id, careLevel: 'ASSISTED', priorityReasons: [] })
      .expect(201);
    const context = await openContext(browser, stack, { token: world.manager.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, `/facilities/${world.facilityId}/waitlist`);
    await page.getByRole('link', { name: /撤销登记.*钱淑珍/ }).click();
    await waitForText(page.locator('main h1'), '撤销候住登记');
    const intro = await waitForText(page.locator('main'), '钱淑珍');
    expect(intro).not.toContain(entry.body.id as string);
    await page.getByLabel('为什么撤销？').fill('家属已安排居家照护');
    await page.getByRole('button', { name: '确认撤销' }).click();
    await waitForText(page.locator('[role=status]'), '已撤销 钱淑珍 的候住登记');
    const list = await http(stack).get(`/api/v1/facilities/${world.facilityId}/waitlist`).set(world.manager.auth).expect(200);
    expect((list.body.items as { id: string }[]).map((e) => e.id)).not.toContain(entry.body.id);
    const stored: { status: string; withdrawn_reason: string }[] = await stack.dataSource.query(
      `SELECT status, withdrawn_reason FROM waitlist_entries WHERE id = $1`,
      [entry.body.id],
    );
    expect(stored).toEqual([{ status: 'WITHDRAWN', withdrawn_reason: '家属已安排居家照护' }]);
    await context.close();
  });

  it('never shows a resident’s internal id when their details cannot be read', async () => {
    const context = await openContext(browser, stack, { token: world.manager.token, viewport: DESKTOP });
    const page = await context.newPage();
    // Every read of residents fails, as when the API is briefly unreachable.
    const unavailable = (route: Route) => route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{}' });
    await page.route('**/api/v1/residents/*', unavailable);
    await page.route('**/api/v1/facilities/*/residents?*', unavailable);
    await visit(page, `/facilities/${world.facilityId}/residents`);
    const text = await waitForText(page.locator('main'), '住户资料暂时读不到');
    expect(text).not.toContain(world.residentId);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await context.close();
  });

  it('tells the manager in plain words when someone else changed the bed first', async () => {
    const bed = world.beds.find((b) => b.code === '2-202-A');
    if (!bed) throw new Error('fixture bed missing');
    const context = await openContext(browser, stack, { token: world.manager.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, `/beds/${bed.id}/maintenance/reason`);
    await page.getByLabel('需要维修什么？').fill('呼叫器失灵');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByRole('button', { name: '确认停用' }).waitFor();
    // Meanwhile a colleague takes the bed out of service first.
    await http(stack).post(`/api/v1/beds/${bed.id}/maintenance`).set(world.manager.auth).send({ reason: '墙面渗水' }).expect(200);
    await page.getByRole('button', { name: '确认停用' }).click();
    const message = await waitForText(page.locator('#error-summary'), '请回到床位页面');
    expect(message).not.toMatch(/VERSION_MISMATCH|ILLEGAL_TRANSITION|412|409/);
    await context.close();
  });

  it('names the care centre on its page and the senior each card checked in or served, lists today’s arrivals and services, withdraws mistaken ones and keeps them on its record of withdrawals', async () => {
    const idCardNumber = uniqueResidentId(birthDateForAge(79));
    const name = (await createUser(stack, ['SENIOR'], { name: '钱秀英', idCardNumber })).user.name;
    const context = await openContext(browser, stack, { token: world.centreManager.token, viewport: DESKTOP });
    const page = await context.newPage();
    await visit(page, `/care-centres/${world.centreId}`);
    expect(await heading(page)).toBe('湖滨街道照料中心');
    expect(await page.title()).toBe('老人签到 - 湖滨街道照料中心 - 颐养服务平台');
    await waitForText(page.locator('main'), '今天还没有老人签到。');

    await page.getByLabel('老人的服务卡号或身份证号码').fill(idCardNumber);
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await waitForText(page.locator('.notice--success'), `${name} 签到成功。`);
    expect(await page.locator('#check-in-count').innerText()).toBe('1');
    expect(await waitForText(page.locator('#arrivals tbody tr'), name)).toMatch(/^(上午|下午)\d{1,2}:\d{2} /);
    expect(await axeViolations(page)).toEqual([]);

    // The wrong card was scanned: the check-in is withdrawn after a check, and the count drops.
    await page.getByRole('link', { name: new RegExp(`撤销.*${name}`) }).click();
    await waitForText(page.locator('main h1'), '撤销这次签到？');
    expect(await page.locator('.summary-list').innerText()).toContain(name);
    expect(await axeViolations(page)).toEqual([]);
    const withdrawPath = new URL(page.url()).pathname;
    await page.getByRole('button', { name: '确认撤销' }).click();
    await waitForText(page.locator('.notice--success'), `已撤销${name}的签到。`);
    expect(await page.locator('#check-in-count').innerText()).toBe('0');
    await waitForText(page.locator('main'), '今天还没有老人签到。');
    // Its page, opened again (from another tab, say), says it is gone and offers nothing to confirm.
    await visit(page, withdrawPath);
    await waitForText(page.locator('main h1'), '找不到这次签到');
    expect(await page.getByRole('button', { name: '确认撤销' }).count()).toBe(0);
    await page.getByRole('link', { name: '湖滨街道照料中心' }).first().click();
    await waitForText(page.locator('main h1'), '湖滨街道照料中心');
    await page.getByLabel('老人的服务卡号或身份证号码').fill(idCardNumber);
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await waitForText(page.locator('.notice--success'), `${name} 签到成功。`);

    await page.getByRole('link', { name: '登记服务' }).click();
    await waitForText(page.locator('main h2').first(), '登记服务');
    await page.getByLabel('老人的服务卡号或身份证号码').fill(idCardNumber);
    await page.getByLabel('助餐').check();
    await page.getByRole('button', { name: '登记服务' }).click();
    await waitForText(page.locator('.notice--success'), `已为${name}登记：助餐。`);
    expect(await waitForText(page.locator('#services-today tbody tr'), name)).toMatch(/^(上午|下午)\d{1,2}:\d{2} 钱秀英 助餐 1/);
    expect(await axeViolations(page)).toEqual([]);

    // Entered for the wrong person: withdrawn after a check, and the list empties.
    await page.getByRole('link', { name: new RegExp(`撤销.*${name} 助餐`) }).click();
    await waitForText(page.locator('main h1'), '撤销这条服务登记？');
    expect(await page.locator('.summary-list').innerText()).toMatch(/钱秀英[\s\S]*助餐/);
    await page.getByRole('button', { name: '确认撤销' }).click();
    await waitForText(page.locator('.notice--success'), `已撤销${name}的助餐登记。`);
    await waitForText(page.locator('main'), '今天还没有登记服务。');

    // Both corrections are on the centre's record of withdrawals, the latest first, with who entered and withdrew each.
    await page.getByRole('link', { name: '撤销记录' }).click();
    await waitForText(page.locator('main h1'), '湖滨街道照料中心的撤销记录');
    await waitForText(page.locator('#withdrawals-count'), '共撤销 2 条');
    const rows = await page.locator('#withdrawals tbody tr').allInnerTexts();
    const manager = world.centreManager.user.name;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(new RegExp(`${manager}\\s+助餐 × 1\\s+${name}[\\s\\S]*${manager}`));
    expect(rows[1]).toMatch(new RegExp(`${manager}\\s+签到\\s+${name}[\\s\\S]*${manager}`));
    expect(await axeViolations(page)).toEqual([]);
    // This month's as a workbook, fetched with the token and saved under the name the server gives.
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/api/v1/care-centres/${world.centreId}/withdrawals?format=xlsx`)),
      page.getByRole('button', { name: '下载本月撤销记录（Excel）' }).click(),
    ]);
    expect(response.status()).toBe(200);
    const disposition = (await response.allHeaders())['content-disposition'] ?? '';
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toMatch(/^撤销记录_湖滨街道照料中心_\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.xlsx$/);
    await page.waitForFunction(`!document.querySelector('[data-download]').disabled`);
    expect(await page.locator('#withdrawals-download-status').innerText()).toBe('');
    await context.close();
  });
});
