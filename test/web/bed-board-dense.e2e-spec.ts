/**
 * Proves the dense staff bed board on the demo data: the 356-bed home fits in 1,800 px at
 * 1280×900 with text ≥ 16 px and tiles ≥ 24 px; filtering to available nursing beds and
 * searching a resident's name or a bed code show exactly the beds the API lists; arrow keys move
 * between tiles and Enter opens the bed's actions; a change made elsewhere replaces exactly one
 * tile live; a resident overdue back from leave is marked, counted and listed; a phone gets a
 * list by floor; axe finds no violation.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { BedInventorySeeder } from '@app/bed-inventory';
import { createTestStack, http, type TestStack } from '@app/testing';
import { axeViolations, closeInOrder, DESKTOP, ensureWebBuild, launchBrowser, openContext, PHONE, visit, waitForText } from './browser';

interface BoardBed {
  id: string;
  code: string;
  status: string;
  careLevel: string;
  floor: number;
  residentName: string | null;
  expectedReturnOn: string | null;
}

const SHOTS = process.env.WEB_SCREENSHOTS ? `${process.cwd()}/docs/screenshots` : undefined;

/** Runs in the page: the ids of the tiles a person can see, in board order. */
const VISIBLE_TILES = `Array.from(document.querySelectorAll('.bed-tile')).filter((el) => el.getBoundingClientRect().height > 0).map((el) => el.dataset.bedId)`;

describe('web: the dense staff bed board on the demo data', () => {
  let stack: TestStack;
  let browser: Browser;
  let facilityId: string;
  let auth: Record<string, string>;
  let token: string;

  beforeAll(async () => {
    ensureWebBuild();
    stack = await createTestStack();
    await stack.app.get(BedInventorySeeder).seed();
    const login = await http(stack).post('/api/v1/auth/login').send({ phone: '13800000101', password: 'demo-manager-2020' }).expect(200);
    token = login.body.accessToken as string;
    auth = { Authorization: `Bearer ${token}` };
    facilityId = (login.body.user.facilityIds as string[])[0];
    browser = await launchBrowser();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => closeInOrder(browser, stack));

  const board = async (): Promise<BoardBed[]> =>
    (await http(stack).get(`/api/v1/facilities/${facilityId}/board`).set(auth).expect(200)).body.items as BoardBed[];

  async function openBoard(viewport: { width: number; height: number }, query = ''): Promise<Page> {
    const context = await openContext(browser, stack, { token, viewport });
    const page = await context.newPage();
    await visit(page, `/facilities/${facilityId}${query}`);
    await page.locator('.bed-tile').nth(355).waitFor({ state: 'attached' });
    return page;
  }

  const visibleTiles = async (page: Page): Promise<string[]> => page.evaluate<string[]>(VISIBLE_TILES);

  it('fits the 356-bed home in 1,800 px at 1280×900, with text ≥ 16 px and tiles ≥ 24 px, and axe finds no violation', async () => {
    const page = await openBoard(DESKTOP);
    expect(await page.locator('.bed-tile').count()).toBe(356);
    expect(await page.locator('.board-floor').count()).toBe(5);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/bed-board-dense-desktop.png`, fullPage: true });
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    expect(height).toBeLessThanOrEqual(1800);
    const sizes = await page.evaluate<{ smallText: string[]; smallTiles: number; names: number }>(`(() => {
      const smallText = [];
      for (const el of document.querySelectorAll('main *')) {
        const text = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent || '').trim() !== '');
        const r = el.getBoundingClientRect();
        if (!text || r.width < 2 || r.height < 2 || el.closest('.visually-hidden')) continue;
        if (parseFloat(getComputedStyle(el).fontSize) < 16) smallText.push(el.tagName + ' ' + (el.textContent || '').trim().slice(0, 20));
      }
      const tiles = Array.from(document.querySelectorAll('.bed-tile'));
      return {
        smallText,
        smallTiles: tiles.filter((el) => { const r = el.getBoundingClientRect(); return r.width < 24 || r.height < 24; }).length,
        names: tiles.filter((el) => (el.querySelector('.bed-tile-who')?.textContent || '').trim() !== '').length,
      };
    })()`);
    expect(sizes).toEqual({ smallText: [], smallTiles: 0, names: 356 });
    // The residents' names are on the board, and no internal id is shown anywhere.
    const beds = await board();
    const named = beds.find((b) => b.status === 'OCCUPIED' && b.residentName);
    await waitForText(page.locator(`.bed-tile[data-bed-id="${named?.id}"]`), named?.residentName ?? '-');
    expect(await page.locator('main').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('filters to available nursing beds and finds a resident by name or a bed by code, exactly as the API lists them', async () => {
    // The demo home keeps its nursing beds full: free two of them through the API first.
    const beds = await board();
    const nursing = beds.filter((b) => b.careLevel === 'NURSING' && b.status === 'OCCUPIED').slice(0, 2);
    for (const bed of nursing) {
      await http(stack).post(`/api/v1/beds/${bed.id}/discharge`).set(auth).send({ reason: '回家休养' }).expect(200);
      await http(stack).post(`/api/v1/beds/${bed.id}/cleaned`).set(auth).expect(200);
    }
    const page = await openBoard(DESKTOP);
    await page.selectOption('#filter-status', 'AVAILABLE');
    await page.selectOption('#filter-care', 'NURSING');
    const expected = (await http(stack).get(`/api/v1/facilities/${facilityId}/beds?status=AVAILABLE&careLevel=NURSING&limit=200`).set(auth).expect(200)).body
      .items as BoardBed[];
    expect(expected.map((b) => b.id).sort()).toEqual(nursing.map((b) => b.id).sort());
    expect((await visibleTiles(page)).sort()).toEqual(expected.map((b) => b.id).sort());
    await waitForText(page.locator('#board-shown'), `显示 ${expected.length} 张`);
    // Available assisted beds: another set, again as the API lists it.
    await page.selectOption('#filter-care', 'ASSISTED');
    const assisted = (await http(stack).get(`/api/v1/facilities/${facilityId}/beds?status=AVAILABLE&careLevel=ASSISTED&limit=200`).set(auth).expect(200)).body
      .items as BoardBed[];
    expect(assisted.length).toBeGreaterThan(0);
    expect((await visibleTiles(page)).sort()).toEqual(assisted.map((b) => b.id).sort());

    // A resident's name, with the other filters cleared: the beds of everyone of that name.
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-care', '');
    const someone = (await board()).find((b) => b.status === 'ON_LEAVE' && b.residentName);
    const name = someone?.residentName ?? '';
    await page.fill('#filter-q', name);
    const withName = (await board()).filter((b) => b.residentName?.includes(name) || b.code.includes(name)).map((b) => b.id);
    expect(withName).toContain(someone?.id);
    expect((await visibleTiles(page)).sort()).toEqual(withName.sort());
    // A bed code, within one floor.
    await page.fill('#filter-q', 'P41');
    await page.selectOption('#filter-floor', '4');
    const byCode = (await board()).filter((b) => b.code.includes('P41') && b.floor === 4).map((b) => b.id);
    expect(byCode.length).toBeGreaterThan(0);
    expect((await visibleTiles(page)).sort()).toEqual(byCode.sort());
    await page.context().close();
  }, 120_000);

  it('moves between tiles with the arrow keys, opens the bed with Enter, and patches exactly one tile when a bed changes elsewhere', async () => {
    const page = await openBoard(DESKTOP);
    // One tab stop for the whole board.
    expect(await page.locator('.bed-tile[tabindex="0"]').count()).toBe(1);
    await page.locator('.bed-tile').first().focus();
    const focused = async (): Promise<string> => page.evaluate<string>('document.activeElement && document.activeElement.dataset.bedId || ""');
    const ids = await visibleTiles(page);
    expect(await focused()).toBe(ids[0]);
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe(ids[1]);
    const top = async (): Promise<number> => page.evaluate<number>('document.activeElement.getBoundingClientRect().top');
    const before = await top();
    await page.keyboard.press('ArrowDown');
    expect(await top()).toBeGreaterThan(before);
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(ids[1]);
    expect(await page.locator('.bed-tile[tabindex="0"]').count()).toBe(1);
    await page.keyboard.press('Enter');
    const code = (await board()).find((b) => b.id === ids[1])?.code ?? '';
    await waitForText(page.locator('#bed-detail h2'), code);
    expect(await page.locator('#bed-detail a.button').count()).toBeGreaterThan(1);
    await page.keyboard.press('Escape');
    expect(await page.locator('#bed-detail').isHidden()).toBe(true);
    expect(await focused()).toBe(ids[1]);

    // Every tile element gets a mark; a tile that is replaced loses it.
    await page.evaluate(`document.querySelectorAll('.bed-tile').forEach((el) => { el.__seen = true; })`);
    const target = (await board()).find((b) => b.status === 'OCCUPIED');
    if (!target) throw new Error('no occupied bed');
    await http(stack)
      .post(`/api/v1/beds/${target.id}/leave`)
      .set(auth)
      .send({ reason: '回家过年', expectedReturnOn: new Date(Date.now() + 7 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10) })
      .expect(200);
    await waitForText(page.locator(`.bed-tile[data-bed-id="${target.id}"]`), '请假中', 10_000);
    const replaced = await page.evaluate<string[]>(
      `Array.from(document.querySelectorAll('.bed-tile')).filter((el) => !el.__seen).map((el) => el.dataset.bedId)`,
    );
    expect(replaced).toEqual([target.id]);
    expect(await page.locator('.bed-tile').count()).toBe(356);
    await waitForText(page.locator(`.bed-tile[data-bed-id="${target.id}"]`), target.residentName ?? '-');
    const counts = (await http(stack).get(`/api/v1/facilities/${facilityId}/occupancy`).set(auth).expect(200)).body as { byStatus: Record<string, number> };
    await waitForText(page.locator('#count-ON_LEAVE'), String(counts.byStatus.ON_LEAVE));
    await page.context().close();
  }, 120_000);

  it('marks the residents overdue back from leave, lists them with the status filter, and drops the mark when one is recorded back', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const late = (await board()).filter((b) => b.status === 'ON_LEAVE' && b.expectedReturnOn !== null && b.expectedReturnOn < today);
    // The demo has such leaves, and leaves still within their expected day.
    expect(late.length).toBeGreaterThan(1);
    expect((await board()).filter((b) => b.status === 'ON_LEAVE').length).toBeGreaterThan(late.length);
    const page = await openBoard(DESKTOP);
    const marked = async (): Promise<string[]> =>
      (await page.evaluate<string[]>(`Array.from(document.querySelectorAll('.bed-tile--overdue')).map((el) => el.dataset.bedId)`)).sort();
    expect(await marked()).toEqual(late.map((b) => b.id).sort());
    await waitForText(page.locator('#count-overdue'), String(late.length));
    // Said in words to a screen reader, not by the dashed edge alone.
    expect(await page.locator(`.bed-tile[data-bed-id="${late[0]?.id}"] .visually-hidden`).innerText()).toContain('请假逾期未归');
    await page.selectOption('#filter-status', 'OVERDUE');
    expect((await visibleTiles(page)).sort()).toEqual(late.map((b) => b.id).sort());
    await page.locator(`.bed-tile[data-bed-id="${late[0]?.id}"]`).click();
    await waitForText(page.locator('#bed-detail'), '已过，还没有登记回院');
    // The residents' page says it by each of them too, and by no one else.
    const residents = await (await openContext(browser, stack, { token, viewport: DESKTOP })).newPage();
    await visit(residents, `/facilities/${facilityId}/residents`);
    await waitForText(residents.locator('main'), late[0]?.code ?? '-');
    expect(await residents.locator('.card', { hasText: '已过，还没有登记回院' }).count()).toBe(late.length);
    await residents.context().close();

    // Recorded back elsewhere: the tile loses its mark live and the count goes down.
    await http(stack).post(`/api/v1/beds/${late[0]?.id}/return`).set(auth).expect(200);
    await waitForText(page.locator('#count-overdue'), String(late.length - 1), 10_000);
    expect(await marked()).toEqual(
      late
        .slice(1)
        .map((b) => b.id)
        .sort(),
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('gives a phone a list by floor with the same filters, and axe finds no violation there', async () => {
    const page = await openBoard(PHONE, '?status=AVAILABLE');
    expect(await page.locator('#filter-status').inputValue()).toBe('AVAILABLE');
    const widths = await page.evaluate<{ tile: number; viewport: number; overflow: number }>(`(() => {
      const tile = Array.from(document.querySelectorAll('.bed-tile')).find((el) => el.getBoundingClientRect().height > 0);
      return { tile: tile ? tile.getBoundingClientRect().width : 0, viewport: document.documentElement.clientWidth, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
    })()`);
    expect(widths.overflow).toBe(0);
    // One bed a row: a tile takes nearly the whole width.
    expect(widths.tile).toBeGreaterThan(widths.viewport * 0.8);
    const available = (await board()).filter((b) => b.status === 'AVAILABLE').map((b) => b.id);
    expect((await visibleTiles(page)).sort()).toEqual(available.sort());
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/bed-board-dense-phone.png`, fullPage: false });
    await page.context().close();
  }, 120_000);
});
