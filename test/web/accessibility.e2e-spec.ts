/** Proves every page passes axe (WCAG 2.0–2.2 A/AA) and meets the age-friendly sizes of docs/quality.md: text, headings, targets and no sideways scrolling at 320 px. */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { createUser, http, type TestStack, uniquePhone } from '@app/testing';
import { axeViolations, closeInOrder, DESKTOP, openContext, PHONE, visit } from './browser';
import { earnMinutes, pastClaim, startWorld, type World } from './web-fixtures';
import { hoursAgo, logService } from '../time-bank/helpers';

interface PageCase {
  name: string;
  path: string;
  as: 'anonymous' | 'senior' | 'volunteer' | 'manager' | 'centreManager' | 'admin';
  /** Brings the page into the state to check (e.g. a submitted form with errors). */
  prepare?: (page: Page) => Promise<void>;
  screenshot?: boolean;
  /** A staff desk page (docs/quality.md): dense, so text ≥ 16 px and targets ≥ 24 px instead of the seniors' sizes. */
  staff?: boolean;
}

/** The sizes a page is held to: seniors' pages, or staff desk pages. */
interface Rules {
  text: number;
  heading: number;
  lineHeight: number;
  target: number;
  primary: number;
  gap: number;
}
const SENIOR_RULES: Rules = { text: 18, heading: 24, lineHeight: 1.5, target: 43.5, primary: 59.5, gap: 7.5 };
// WCAG 2.2 AA 2.5.8: a 24 px target needs no spacing; tiles sit 2 px apart within a room.
const STAFF_RULES: Rules = { text: 16, heading: 18, lineHeight: 1.1, target: 23.5, primary: 23.5, gap: 1.5 };

/** What the browser measures on a page, against docs/quality.md. */
interface Measurements {
  overflow: number;
  smallText: string[];
  smallHeadings: string[];
  tightLines: string[];
  smallTargets: string[];
  smallPrimary: string[];
  crowdedTargets: string[];
}

/**
 * Runs in the page (plain JavaScript: the server tsconfig has no DOM types). Lists text under
 * 18 px, headings under 24 px, line height under 1.5, targets under 44 px (primary under 60 px),
 * targets closer than 8 px, and how far the page scrolls sideways.
 */
const MEASURE = (rules: Rules): string => `(() => {
  const rules = ${JSON.stringify(rules)};
  const visible = (el) => {
    const rect = el.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.visually-hidden,.skip-link');
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const result = {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    smallText: [], smallHeadings: [], tightLines: [], smallTargets: [], smallPrimary: [], crowdedTargets: [],
  };
  for (const el of document.body.querySelectorAll('*')) {
    const hasText = Array.from(el.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent || '').trim() !== '');
    if (!hasText || !visible(el) || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION'].includes(el.tagName)) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    if (size < rules.text) result.smallText.push(describe(el) + ' ' + size + 'px');
    // Buttons centre a short label in their box; it is running text that must have room between lines.
    if (!el.closest('button,.button,h1,h2,h3,.tag') && parseFloat(style.lineHeight) / size < rules.lineHeight) result.tightLines.push(describe(el) + ' ' + style.lineHeight);
  }
  for (const el of document.querySelectorAll('main h1, main h2, main h3')) {
    if (visible(el) && parseFloat(getComputedStyle(el).fontSize) < rules.heading) result.smallHeadings.push(describe(el));
  }
  const targets = Array.from(document.querySelectorAll('a[href], button, input, select, textarea')).filter(visible);
  const rects = targets.map((el) => el.getBoundingClientRect());
  const size = (r) => Math.round(r.width) + 'x' + Math.round(r.height);
  targets.forEach((el, i) => {
    const r = rects[i];
    if (r.width < rules.target || r.height < rules.target) result.smallTargets.push(describe(el) + ' ' + size(r));
    if (el.classList.contains('button--primary') && (r.width < rules.primary || r.height < rules.primary)) result.smallPrimary.push(describe(el) + ' ' + size(r));
    for (let j = i + 1; j < targets.length; j += 1) {
      const o = rects[j];
      if (el.contains(targets[j]) || targets[j].contains(el)) continue;
      const dx = Math.max(0, Math.max(r.left, o.left) - Math.min(r.right, o.right));
      const dy = Math.max(0, Math.max(r.top, o.top) - Math.min(r.bottom, o.bottom));
      const gap = dx === 0 ? dy : dy === 0 ? dx : Math.hypot(dx, dy);
      if (gap < rules.gap) result.crowdedTargets.push(describe(el) + ' <-> ' + describe(targets[j]) + ' ' + gap.toFixed(1) + 'px');
    }
  });
  return result;
})()`;

async function measure(page: Page, rules: Rules): Promise<Measurements> {
  return page.evaluate<Measurements>(MEASURE(rules));
}

describe('web: accessibility of every page', () => {
  let stack: TestStack;
  let browser: Browser;
  let world: World;
  let pages: PageCase[];

  beforeAll(async () => {
    ({ stack, world, browser } = await startWorld());
    await earnMinutes(stack, world.volunteer, world.senior, 180);
    // A request the volunteer took, due now: the pages that follow a claim have something to show.
    const due = await http(stack)
      .post('/api/v1/time-bank/requests')
      .set(world.senior.auth)
      .send({ serviceType: 'CLEANING', wantedAt: new Date(Date.now() + 5 * 60 * 1000).toISOString(), durationMinutes: 60, street: '湖滨街道' })
      .expect(201);
    const claimedId = due.body.id as string;
    await http(stack).post(`/api/v1/time-bank/requests/${claimedId}/claim`).set(world.volunteer.auth).expect(200);
    // Two claims whose time is over: one for the senior's "did the volunteer not come?" page, and
    // one the senior has closed, for the volunteer's page that logs it all the same.
    const pastClaimId = await pastClaim(stack, world, 'SHOPPING');
    const closedClaimId = await pastClaim(stack, world, 'MEAL_DELIVERY');
    await http(stack).post(`/api/v1/time-bank/requests/${closedClaimId}/cancel`).set(world.senior.auth).expect(200);
    // A service the volunteer logged, waiting for the senior to say whether it happened.
    const pendingServiceId = await logService(stack, world.volunteer, world.senior, { serviceType: 'ESCORT', startedAt: hoursAgo(5) });
    // One the administrator confirmed for the senior: her record of what others did for her, and
    // the administrators' record of acts for seniors, each have a row.
    const confirmedForHer = await logService(stack, world.volunteer, world.senior, { serviceType: 'COMPANIONSHIP', startedAt: hoursAgo(14) });
    await http(stack).post(`/api/v1/time-bank/services/${confirmedForHer}/confirm`).set(world.admin.auth).expect(200);
    // Two the senior turned down: one the volunteer may still take to staff, one they did.
    const turnedDown = async (hours: number): Promise<string> => {
      const id = await logService(stack, world.volunteer, world.senior, { serviceType: 'CLEANING', startedAt: hoursAgo(hours) });
      await http(stack).post(`/api/v1/time-bank/services/${id}/reject`).set(world.senior.auth).send({ reason: '那天没有人来' }).expect(200);
      return id;
    };
    const rejectedServiceId = await turnedDown(8);
    const reviewedServiceId = await turnedDown(11);
    await http(stack)
      .post(`/api/v1/time-bank/services/${reviewedServiceId}/review-request`)
      .set(world.volunteer.auth)
      .send({ reason: '那天上午打扫了厨房，老人的邻居看见了' })
      .expect(200);
    // A meal entered for the senior by mistake and withdrawn: the centre's and the district's records of withdrawals each have a row.
    const meal = await http(stack)
      .post(`/api/v1/care-centres/${world.centreId}/service-records`)
      .set(world.centreManager.auth)
      .send({ seniorId: world.senior.user.id, serviceType: 'MEAL', occurredAt: hoursAgo(1) })
      .expect(201);
    await http(stack).post(`/api/v1/care-centres/${world.centreId}/service-records/${meal.body.id}/withdraw`).set(world.centreManager.auth).expect(200);
    // A service the volunteer booked with half an hour of their minutes, still to be given.
    const booking = await http(stack)
      .post('/api/v1/time-bank/redemptions')
      .set(world.volunteer.auth)
      .send({ serviceType: 'CLEANING', minutes: 30, scheduledFor: new Date(Date.now() + 26 * 3_600_000).toISOString() })
      .expect(201);
    const bookingId = booking.body.id as string;
    // An account removed whose phone has been taken since: restoring it asks for a new one.
    const takenPhone = uniquePhone();
    const removed = await createUser(stack, ['VOLUNTEER', 'FAMILY'], { name: '离开的志愿者', phone: takenPhone });
    await http(stack).delete(`/api/v1/users/${removed.user.id}`).set(world.admin.auth).expect(200);
    await createUser(stack, ['FAMILY'], { name: '号码的新主人', phone: takenPhone });
    const fillAndSubmitEmpty = async (page: Page): Promise<void> => {
      await page.locator('main form button[type=submit]').first().click();
      await page.locator('#error-summary').waitFor();
    };
    const bedAvailable = world.beds[1]?.id ?? '';
    const termId = ((await http(stack).get('/api/v1/enrolment/terms').expect(200)).body.items[0]?.id as string | undefined) ?? '';
    pages = [
      { name: 'welcome', path: '/', as: 'anonymous', screenshot: true },
      { name: 'sign-in', path: '/login', as: 'anonymous', screenshot: true },
      { name: 'sign-in-errors', path: '/login', as: 'anonymous', prepare: fillAndSubmitEmpty },
      { name: 'register-name', path: '/register/name', as: 'anonymous' },
      { name: 'reset-with-code', path: '/login/reset/code', as: 'anonymous' },
      { name: 'register-id-errors', path: '/register/id-number', as: 'anonymous', prepare: fillAndSubmitEmpty, screenshot: true },
      { name: 'courses-anonymous', path: '/courses', as: 'anonymous' },
      { name: 'senior-home', path: '/', as: 'senior', screenshot: true },
      { name: 'courses', path: '/courses', as: 'senior', screenshot: true },
      { name: 'courses-by-day', path: '/courses?day=3', as: 'senior' },
      { name: 'apply-check', path: `/courses/${world.courseId}/apply`, as: 'senior', screenshot: true },
      { name: 'ticket', path: `/applications/${world.ticketId}`, as: 'senior', screenshot: true },
      { name: 'ticket-cancel', path: `/applications/${world.ticketId}/cancel`, as: 'senior' },
      { name: 'my-applications', path: '/applications', as: 'senior' },
      { name: 'senior-time-bank', path: '/time-bank', as: 'senior' },
      { name: 'notifications', path: '/notifications', as: 'senior', screenshot: true },
      { name: 'request-type', path: '/time-bank/request/service-type', as: 'senior', screenshot: true },
      { name: 'request-when', path: '/time-bank/request/when', as: 'senior' },
      { name: 'my-requests', path: '/time-bank/my-requests', as: 'senior', screenshot: true },
      { name: 'cancel-request', path: `/time-bank/my-requests/${world.requestId}/cancel`, as: 'senior' },
      { name: 'close-request', path: `/time-bank/my-requests/${pastClaimId}/cancel`, as: 'senior' },
      { name: 'confirm-service', path: `/time-bank/services/${pendingServiceId}`, as: 'senior' },
      { name: 'reject-service', path: `/time-bank/services/${pendingServiceId}/reject/reason`, as: 'senior' },
      { name: 'service-under-review', path: `/time-bank/services/${reviewedServiceId}`, as: 'senior' },
      { name: 'volunteer-home', path: '/', as: 'volunteer' },
      { name: 'volunteer-time-bank', path: '/time-bank', as: 'volunteer', screenshot: true },
      { name: 'open-requests', path: '/time-bank/requests', as: 'volunteer', screenshot: true },
      { name: 'skills', path: '/time-bank/skills', as: 'volunteer' },
      { name: 'claim', path: `/time-bank/requests/${world.requestId}/claim`, as: 'volunteer' },
      { name: 'my-claims', path: '/time-bank/my-claims', as: 'volunteer', screenshot: true },
      { name: 'claim-done', path: `/time-bank/my-claims/${claimedId}/done/duration`, as: 'volunteer' },
      { name: 'claim-release', path: `/time-bank/my-claims/${claimedId}/release`, as: 'volunteer' },
      { name: 'closed-claim-log', path: `/time-bank/my-claims/${closedClaimId}/done/duration`, as: 'volunteer' },
      { name: 'log-service', path: '/time-bank/log/recipient', as: 'volunteer' },
      { name: 'logged-services', path: '/time-bank/logged', as: 'volunteer' },
      { name: 'account-history', path: '/time-bank/history', as: 'senior' },
      { name: 'rejected-service', path: `/time-bank/services/${rejectedServiceId}`, as: 'volunteer' },
      { name: 'review-request', path: `/time-bank/services/${rejectedServiceId}/review/reason`, as: 'volunteer' },
      { name: 'review-request-errors', path: `/time-bank/services/${rejectedServiceId}/review/reason`, as: 'volunteer', prepare: fillAndSubmitEmpty },
      { name: 'volunteer-service-under-review', path: `/time-bank/services/${reviewedServiceId}`, as: 'volunteer' },
      { name: 'redeem-minutes', path: '/time-bank/redeem/minutes', as: 'volunteer' },
      { name: 'booking-cancel', path: `/time-bank/bookings/${bookingId}/cancel`, as: 'volunteer' },
      { name: 'give', path: '/time-bank/give/relationship', as: 'volunteer' },
      { name: 'facilities', path: '/facilities', as: 'manager' },
      { name: 'bed-board', path: `/facilities/${world.facilityId}`, as: 'manager', screenshot: true, staff: true },
      { name: 'bed', path: `/beds/${world.beds[0]?.id}`, as: 'manager', screenshot: true },
      { name: 'bed-admit', path: `/beds/${bedAvailable}/admit/resident`, as: 'manager' },
      {
        name: 'bed-maintenance-check',
        path: `/beds/${bedAvailable}/maintenance/reason`,
        as: 'manager',
        prepare: async (page) => {
          await page.getByLabel('需要维修什么？').fill('床栏松动');
          await page.getByRole('button', { name: '继续' }).click();
          await page.getByRole('button', { name: '确认停用' }).waitFor();
        },
        screenshot: true,
      },
      { name: 'residents', path: `/facilities/${world.facilityId}/residents`, as: 'manager' },
      { name: 'new-resident-errors', path: `/facilities/${world.facilityId}/residents/new`, as: 'manager', prepare: fillAndSubmitEmpty },
      { name: 'waitlist', path: `/facilities/${world.facilityId}/waitlist`, as: 'manager' },
      { name: 'waitlist-add', path: `/facilities/${world.facilityId}/waitlist/new?residentId=${world.residentId}`, as: 'manager' },
      { name: 'bed-leave', path: `/beds/${world.beds[0]?.id}/leave/reason`, as: 'manager' },
      { name: 'care-centre', path: `/care-centres/${world.centreId}`, as: 'centreManager', screenshot: true },
      { name: 'care-centre-service', path: `/care-centres/${world.centreId}?form=service`, as: 'centreManager' },
      { name: 'admin-overview', path: '/admin', as: 'admin', screenshot: true },
      { name: 'acted-log', path: '/admin/acted-for', as: 'admin', staff: true },
      { name: 'centre-withdrawals', path: `/care-centres/${world.centreId}/withdrawals`, as: 'centreManager', staff: true },
      { name: 'district-withdrawals', path: '/admin/withdrawals', as: 'admin', staff: true },
      { name: 'admin-terms', path: '/admin/terms', as: 'admin', staff: true },
      { name: 'admin-term', path: `/admin/terms/${termId}`, as: 'admin', staff: true },
      { name: 'admin-new-term-errors', path: '/admin/terms/new', as: 'admin', prepare: fillAndSubmitEmpty },
      { name: 'admin-new-course', path: `/admin/terms/${termId}/courses/new`, as: 'admin' },
      { name: 'admin-change-term', path: `/admin/terms/${termId}/edit`, as: 'admin' },
      { name: 'admin-change-course', path: `/admin/terms/${termId}/courses/${world.courseId}/edit`, as: 'admin' },
      { name: 'admin-centres', path: '/admin/care-centres', as: 'admin', staff: true },
      { name: 'admin-new-centre-errors', path: '/admin/care-centres/new', as: 'admin', prepare: fillAndSubmitEmpty },
      { name: 'admin-change-centre', path: `/admin/care-centres/${world.centreId}/edit`, as: 'admin' },
      { name: 'admin-centre-day', path: `/care-centres/${world.centreId}`, as: 'admin' },
      { name: 'admin-staff', path: '/admin/staff', as: 'admin', staff: true },
      { name: 'admin-new-staff-errors', path: '/admin/staff/new', as: 'admin', prepare: fillAndSubmitEmpty },
      { name: 'admin-change-staff', path: `/admin/staff/${world.centreManager.user.id}`, as: 'admin' },
      { name: 'admin-reset-staff', path: `/admin/staff/${world.centreManager.user.id}/reset`, as: 'admin' },
      { name: 'admin-remove-staff', path: `/admin/staff/${world.centreManager.user.id}/remove`, as: 'admin' },
      { name: 'admin-removed', path: '/admin/removed', as: 'admin', staff: true },
      { name: 'admin-restore-errors', path: `/admin/removed/${removed.user.id}`, as: 'admin', prepare: fillAndSubmitEmpty },
      { name: 'change-password-errors', path: '/account/password', as: 'senior', prepare: fillAndSubmitEmpty },
      { name: 'stop-volunteering', path: '/account/volunteering', as: 'volunteer' },
      { name: 'close-account-errors', path: '/account/close', as: 'volunteer', prepare: fillAndSubmitEmpty },
      { name: 'close-account-senior', path: '/account/close', as: 'senior' },
      { name: 'senior-family', path: '/family', as: 'senior' },
      { name: 'admin-home', path: '/', as: 'admin' },
      { name: 'manager-home', path: '/', as: 'manager' },
      { name: 'service-reviews', path: '/time-bank/reviews', as: 'admin', screenshot: true, staff: true },
      { name: 'service-review-decide', path: `/time-bank/reviews/${reviewedServiceId}`, as: 'admin', screenshot: true, staff: true },
      { name: 'service-review-decide-errors', path: `/time-bank/reviews/${reviewedServiceId}`, as: 'admin', prepare: fillAndSubmitEmpty, staff: true },
      { name: 'services-waiting', path: '/time-bank/waiting', as: 'admin', staff: true },
      { name: 'bookings-desk', path: '/time-bank/bookings', as: 'admin', staff: true },
      { name: 'booking-settle', path: `/time-bank/bookings/${bookingId}`, as: 'admin', staff: true },
      { name: 'booking-settle-errors', path: `/time-bank/bookings/${bookingId}`, as: 'admin', prepare: fillAndSubmitEmpty, staff: true },
      { name: 'service-waiting-answer', path: `/time-bank/waiting/${pendingServiceId}`, as: 'admin', staff: true },
      { name: 'service-waiting-answer-errors', path: `/time-bank/waiting/${pendingServiceId}`, as: 'admin', prepare: fillAndSubmitEmpty, staff: true },
      { name: 'not-found', path: '/no-such-page', as: 'anonymous' },
    ];
  }, 180_000);

  afterAll(async () => closeInOrder(browser, stack));

  function tokenOf(as: PageCase['as']): string | undefined {
    return as === 'anonymous' ? undefined : world[as].token;
  }

  /**
   * Runs `check` on every item, two at a time, each lane numbered: one page's checks keep one core
   * busy, and the machine the tests are held to has two. The walks only read (a `prepare` at most
   * shows a form's errors or its check step), so their pages may overlap; each finding is kept
   * under its page's name, whatever the order.
   */
  async function twoAtATime<T>(items: readonly T[], check: (item: T, lane: number) => Promise<void>): Promise<void> {
    const queue = [...items];
    const lane = async (number: number): Promise<void> => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await check(item, number);
    };
    await Promise.all([lane(0), lane(1)]);
  }

  /**
   * One browser context per role in a viewport, and in it one tab per lane, which opens each of
   * the lane's pages of that role in turn: a tab's first page costs a new renderer process, about
   * as much again as opening the page. Each opening loads the whole document afresh. `close`
   * closes them all.
   */
  function tabsIn(viewport: { width: number; height: number }) {
    const contexts = new Map<PageCase['as'], Promise<BrowserContext>>();
    const tabs = new Map<string, Promise<Page>>();
    const contextOf = (as: PageCase['as']): Promise<BrowserContext> => {
      let context = contexts.get(as);
      if (!context) {
        context = openContext(browser, stack, { token: tokenOf(as), viewport });
        contexts.set(as, context);
      }
      return context;
    };
    return {
      async tab(as: PageCase['as'], lane: number): Promise<Page> {
        const key = `${as} ${lane}`;
        let tab = tabs.get(key);
        if (!tab) {
          tab = contextOf(as).then((context) => context.newPage());
          tabs.set(key, tab);
        }
        const page = await tab;
        // The phone walk narrows its tab to 320 px after each check.
        await page.setViewportSize(viewport);
        return page;
      },
      async close(): Promise<void> {
        for (const context of contexts.values()) await (await context).close();
      },
    };
  }

  /**
   * One walk checks both: each page is opened once on a phone, checked by axe, then narrowed to
   * 320 px and measured (a page's second opening cost as much again as its checks). The main pages
   * are also opened on a desktop for axe.
   */
  it('axe finds no WCAG 2.2 A/AA violation on any page on a phone, nor on the main pages on a desktop, no page logs an error, and at 320 px text ≥ 18 px, headings ≥ 24 px, targets ≥ 44 px (primary ≥ 60 px) 8 px apart with no sideways scrolling', async () => {
    const found: Record<string, unknown> = {};
    const problems: Record<string, Partial<Measurements>> = {};
    const shots = process.env.WEB_SCREENSHOTS ? `${process.cwd()}/docs/screenshots` : undefined;
    if (shots) mkdirSync(shots, { recursive: true });
    const phone = tabsIn(PHONE);
    const desktop = tabsIn(DESKTOP);
    const visits = [
      ...pages.map((pageCase) => ({ viewportName: 'phone', tabs: phone, pageCase })),
      ...pages.filter((p) => p.screenshot).map((pageCase) => ({ viewportName: 'desktop', tabs: desktop, pageCase })),
    ];
    await twoAtATime(visits, async ({ viewportName, tabs, pageCase }, lane) => {
      const page = await tabs.tab(pageCase.as, lane);
      // A script error, or a file of the page that is missing (an API refusal a page shows is not
      // one), while this page is open.
      const errors: string[] = [];
      const onPageError = (error: Error): void => {
        errors.push(error.message);
      };
      const onConsole = (message: ConsoleMessage): void => {
        if (message.type() === 'error' && !message.location().url.includes('/api/v1/')) errors.push(`${message.text()} ${message.location().url}`);
      };
      page.on('pageerror', onPageError);
      page.on('console', onConsole);
      await visit(page, pageCase.path);
      await pageCase.prepare?.(page);
      const violations = await axeViolations(page);
      if (violations.length > 0) found[`${viewportName} ${pageCase.name}`] = violations;
      if (shots && pageCase.screenshot)
        await page.screenshot({ path: `${shots}/${pageCase.name}-${viewportName}.png`, fullPage: viewportName === 'phone' ? false : true });
      if (viewportName === 'phone') {
        await page.setViewportSize({ width: 320, height: 640 });
        const m = await measure(page, pageCase.staff ? STAFF_RULES : SENIOR_RULES);
        const bad: Partial<Measurements> = {};
        if (m.overflow > 0) bad.overflow = m.overflow;
        for (const key of ['smallText', 'smallHeadings', 'tightLines', 'smallTargets', 'smallPrimary', 'crowdedTargets'] as const)
          if (m[key].length > 0) bad[key] = m[key];
        if (Object.keys(bad).length > 0) problems[pageCase.name] = bad;
      }
      page.off('pageerror', onPageError);
      page.off('console', onConsole);
      if (errors.length > 0) found[`${viewportName} ${pageCase.name}: errors`] = errors;
    });
    await phone.close();
    await desktop.close();
    expect(found).toEqual({});
    expect(problems).toEqual({});
  }, 600_000);

  it('has a large-text mode of 24 px body text and an English switch, both kept after a reload', async () => {
    const context = await openContext(browser, stack, { token: world.senior.token, viewport: PHONE });
    const page = await context.newPage();
    await visit(page, '/time-bank');
    const bodySize = async (): Promise<number> => page.evaluate<number>('parseFloat(getComputedStyle(document.body).fontSize)');
    expect(await bodySize()).toBe(18);
    await page.getByRole('button', { name: '大字模式' }).click();
    expect(await bodySize()).toBe(24);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My time bank' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My time bank' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await bodySize()).toBe(24);
    const m = await measure(page, SENIOR_RULES);
    expect({ overflow: m.overflow, smallText: m.smallText, smallTargets: m.smallTargets }).toEqual({ overflow: 0, smallText: [], smallTargets: [] });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '我的时间银行' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await context.close();
  }, 60_000);
});
