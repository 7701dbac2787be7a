import { api, ApiError, newIdempotencyKey, openStream } from '../api';
import { byId, html, setContent, type SafeHtml } from '../dom';
import { actionFor, button, confirmForm, errorSummary, summaryList } from '../forms';
import { formatDateTime, formatTimeOfDay, formatWeekday } from '../format';
import { t, type TextKey } from '../i18n';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { currentUser } from '../session';

export interface Term {
  id: string;
  name: string;
  opensAt: string;
  closesAt: string;
  maxCoursesPerSenior?: number;
  minAge?: number;
}

export interface Course {
  id: string;
  title: string;
  campus: string;
  capacity: number;
  confirmedCount: number;
  waitlistCount: number;
  pendingDrawCount: number;
  mode: 'FIRST_COME' | 'LOTTERY';
  weekday: number;
  startTime: string;
  endTime: string;
  /** Set when the course was cancelled (停开), with why. */
  cancelledAt?: string | null;
  cancelReason?: string | null;
}

/** A course that still runs: the only ones anyone is offered. */
export function isRunning(course: Course): boolean {
  return !course.cancelledAt;
}

export interface Ticket {
  ticketId: string;
  sequence: number;
  termId?: string;
  courseId: string;
  status: 'QUEUED' | 'CONFIRMED' | 'WAITLISTED' | 'REJECTED' | 'PENDING_DRAW' | 'CANCELLED';
  reason?: string | null;
  /** Why a ticket was closed when the contract's reasons do not say (set by the API). */
  note?: string | null;
  waitlistPosition?: number | null;
  position?: number | null;
  decidedAt?: string | null;
}

/** Courses of a given term (a ticket names its term), or of the current term when it does not. */
export async function coursesFor(termId: string | undefined, signal?: AbortSignal): Promise<Course[]> {
  if (!termId) return (await termCourses(signal)).courses;
  const list = await api<{ items: Course[] } | Course[]>(`/enrolment/courses?termId=${encodeURIComponent(termId)}&limit=200`, { signal });
  return Array.isArray(list) ? list : list.items;
}

/** Every term, newest first. */
export async function allTerms(signal?: AbortSignal): Promise<Term[]> {
  const list = await api<{ items: Term[] } | Term[]>('/enrolment/terms', { signal });
  return Array.isArray(list) ? list : list.items;
}

/** The term seniors can apply to now: open now, else the next to open, else the latest. */
export async function findTerm(signal?: AbortSignal): Promise<Term | null> {
  try {
    const terms = await allTerms(signal);
    const now = Date.now();
    const open = terms.find((term) => Date.parse(term.opensAt) <= now && now < Date.parse(term.closesAt));
    const upcoming = terms.filter((term) => Date.parse(term.opensAt) > now).sort((a, b) => Date.parse(a.opensAt) - Date.parse(b.opensAt))[0];
    const latest = [...terms].sort((a, b) => Date.parse(b.opensAt) - Date.parse(a.opensAt))[0];
    return open ?? upcoming ?? latest ?? null;
  } catch (error) {
    if (error instanceof ApiError) return null;
    throw error;
  }
}

/** Courses of the term found above; when the API lists no terms, the course list tells the term. */
export async function termCourses(signal?: AbortSignal): Promise<{ term: Term | null; courses: Course[] }> {
  const term = await findTerm(signal);
  const path = term ? `/enrolment/courses?termId=${encodeURIComponent(term.id)}&limit=200` : '/enrolment/courses?limit=200';
  try {
    const list = await api<{ items: Course[] } | Course[]>(path, { signal });
    return { term, courses: Array.isArray(list) ? list : list.items };
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) return { term, courses: [] };
    throw error;
  }
}

/** The places courses meet at, each once, in the order of their names. */
export function campusesOf(courses: Course[]): string[] {
  return [...new Set(courses.map((course) => course.campus))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

/** Courses in the order of the week: by weekday, then by starting time. */
export function byWeekAndTime(courses: Course[]): Course[] {
  return [...courses].sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime));
}

export function courseTime(course: Course): string {
  return `${formatWeekday(course.weekday)} ${formatTimeOfDay(course.startTime)}–${formatTimeOfDay(course.endTime)}`;
}

/** When and where a course meets, as rows of a facts list: what "come at the class time" needs; and why it stopped, if it did. */
function courseFacts(course: Course): SafeHtml {
  return html`<div>
      <dt>${t('courses.when')}</dt>
      <dd>${courseTime(course)}</dd>
    </div>
    <div>
      <dt>${t('courses.campus')}</dt>
      <dd>${course.campus}</dd>
    </div>
    ${
      course.cancelledAt
        ? html`<div>
            <dt>${t('courses.cancelled')}</dt>
            <dd>${course.cancelReason ?? ''}</dd>
          </div>`
        : ''
    }`;
}

/** Places taken of the capacity, the waiting list, and (a lottery before its draw) the applicants in the draw: for staff. */
export function placesLine(course: Course): string {
  const counts = { confirmed: course.confirmedCount, capacity: course.capacity, waiting: course.waitlistCount };
  return course.pendingDrawCount > 0 ? t('admin.courseLineDraw', { ...counts, inDraw: course.pendingDrawCount }) : t('admin.courseLine', counts);
}

export function seatsText(course: Course): string {
  const left = Math.max(0, course.capacity - course.confirmedCount);
  if (course.mode === 'LOTTERY')
    return t('courses.lotterySeats', { capacity: course.capacity, applied: course.confirmedCount + course.waitlistCount + course.pendingDrawCount });
  return left > 0 ? t('courses.seatsLeft', { left, capacity: course.capacity }) : t('courses.full', { waiting: course.waitlistCount });
}

/** A ticket that still holds or waits for a place: the one a repeat application would return, and one that can be cancelled. */
export function isActive(ticket: Ticket): boolean {
  return ticket.status !== 'CANCELLED' && ticket.status !== 'REJECTED';
}

/**
 * A senior's active tickets by course: the signed-in senior's, or those of `seniorId` for one who
 * acts for her (the counter, a relative).
 */
export async function activeTickets(signal: AbortSignal, seniorId?: string): Promise<Map<string, Ticket>> {
  const byCourse = new Map<string, Ticket>();
  try {
    const of = seniorId ? `&seniorId=${encodeURIComponent(seniorId)}` : '';
    const list = await api<{ items: Ticket[] } | Ticket[]>(`/enrolment/applications?mine=true&limit=200${of}`, { signal });
    for (const ticket of Array.isArray(list) ? list : list.items) if (isActive(ticket)) byCourse.set(ticket.courseId, ticket);
  } catch (error) {
    // The list of courses matters more than the marks on it: without her tickets, the cards offer
    // to apply, and applying again returns the ticket she has.
    if (!(error instanceof ApiError)) throw error;
  }
  return byCourse;
}

/** The course list's filters as the address gives them: a weekday (1–7) and a campus, each optional. */
interface CourseFilter {
  day?: number;
  campus?: string;
}

function courseFilterOf(query: URLSearchParams): CourseFilter {
  const day = Number(query.get('day'));
  const campus = query.get('campus')?.trim();
  return { day: Number.isInteger(day) && day >= 1 && day <= 7 ? day : undefined, campus: campus || undefined };
}

function coursesHref(filter: CourseFilter): string {
  const query = new URLSearchParams();
  if (filter.day) query.set('day', String(filter.day));
  if (filter.campus) query.set('campus', filter.campus);
  const search = query.toString();
  return search ? `/courses?${search}` : '/courses';
}

/** One row of filter links, the chosen one marked as the current page. */
function filterLinks(label: string, links: { text: string; href: string; current: boolean }[]): SafeHtml {
  return html`<nav class="course-filter" aria-label="${label}">
    <h2 class="course-filter-title">${label}</h2>
    <ul class="course-filter-links">
      ${links.map(
        (link) => html`<li><a class="button button--secondary" href="${link.href}" ${link.current ? html`aria-current="page"` : ''}>${link.text}</a></li>`,
      )}
    </ul>
  </nav>`;
}

/**
 * The day and place filters: every weekday and campus that has a course, with how many courses it
 * has among those the other filter leaves, so a choice never leads to an empty list. A term with
 * one campus gets no place filter.
 */
function courseFilters(courses: Course[], filter: CourseFilter): SafeHtml {
  const onCampus = courses.filter((c) => !filter.campus || c.campus === filter.campus);
  const days = [...new Set(onCampus.map((c) => c.weekday))].sort((a, b) => a - b);
  const campuses = campusesOf(courses);
  return html`${filterLinks(t('courses.byDay'), [
    { text: t('courses.allDays'), href: coursesHref({ campus: filter.campus }), current: !filter.day },
    ...days.map((day) => ({
      text: t('courses.dayChoice', { day: formatWeekday(day), n: onCampus.filter((c) => c.weekday === day).length }),
      href: coursesHref({ ...filter, day }),
      current: filter.day === day,
    })),
  ])}
  ${
    campuses.length > 1
      ? filterLinks(t('courses.byCampus'), [
          { text: t('courses.allCampuses'), href: coursesHref({ day: filter.day }), current: !filter.campus },
          ...campuses.map((campus) => ({ text: campus, href: coursesHref({ campus }), current: filter.campus === campus })),
        ])
      : ''
  }`;
}

function courseCard(course: Course, ticket: Ticket | undefined): SafeHtml {
  return html`<li class="card">
    <h2 class="card-title">${course.title}</h2>
    <dl class="facts">
      ${courseFacts(course)}
      <div>
        <dt>${t('courses.seats')}</dt>
        <dd>${seatsText(course)}</dd>
      </div>
      <div>
        <dt>${t('courses.mode')}</dt>
        <dd>${t(course.mode === 'LOTTERY' ? 'courses.modeLottery' : 'courses.modeFirstCome')}</dd>
      </div>
      ${
        ticket
          ? html`<div class="course-yours" data-status="${ticket.status}">
              <dt>${t('courses.yours')}</dt>
              <dd><span class="status-icon" aria-hidden="true">${STATUS_ICON[ticket.status]}</span> ${ticketHeadline(ticket)}</dd>
            </div>`
          : ''
      }
    </dl>
    <p class="card-action">
      ${
        ticket
          ? html`<a class="button button--secondary" href="/applications/${ticket.ticketId}">${actionFor(t('courses.seeYours'), course.title)}</a>`
          : html`<a class="button button--secondary" href="/courses/${course.id}/apply">${actionFor(t('courses.choose'), course.title)}</a>`
      }
    </p>
  </li>`;
}

/**
 * The term's courses by weekday and time, narrowed by `?day=` and `?campus=`. A senior's card of a
 * course she has applied for says how her application stands and leads to it, instead of offering
 * to apply again.
 */
async function coursesPage(ctx: PageContext): Promise<void> {
  const senior = currentUser()?.roles.includes('SENIOR') === true;
  const [{ term, courses }, mine] = await Promise.all([termCourses(ctx.signal), senior ? activeTickets(ctx.signal) : new Map<string, Ticket>()]);
  const filter = courseFilterOf(ctx.query);
  // A cancelled course is offered to nobody; one who had applied is told, and her ticket says why.
  const sorted = byWeekAndTime(courses.filter(isRunning));
  const shown = sorted.filter((c) => (!filter.day || c.weekday === filter.day) && (!filter.campus || c.campus === filter.campus));
  const filtered = shown.length !== sorted.length;
  renderPage(
    ctx,
    t('courses.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('courses.title')}</h1>
      ${
        term
          ? html`<p class="lead">${term.name}</p>
              <p>${t('courses.window', { opens: formatDateTime(term.opensAt), closes: formatDateTime(term.closesAt) })}</p>`
          : ''
      }
      ${
        sorted.length === 0
          ? html`<p>${t('courses.none')}</p>`
          : html`<p>${t('courses.intro')}</p>
              ${courseFilters(sorted, filter)}`
      }
      ${
        sorted.length === 0
          ? ''
          : shown.length === 0
            ? html`<p class="course-count">${t('courses.noneMatch')}</p>
                <p><a href="/courses">${t('courses.backToList')}</a></p>`
            : html`<p class="course-count">
                ${filtered ? t('courses.shownOf', { n: shown.length, total: sorted.length }) : t('courses.shown', { n: shown.length })}
              </p>`
      }
      <ul class="cards">
        ${shown.map((course) => courseCard(course, mine.get(course.id)))}
      </ul>`,
  );
}

function applicationKey(courseId: string): string {
  const storageKey = `eldercare.apply.${courseId}`;
  const existing = sessionStorage.getItem(storageKey);
  if (existing) return existing;
  const key = newIdempotencyKey();
  sessionStorage.setItem(storageKey, key);
  return key;
}

async function applyPage(ctx: PageContext, errors: string[] = []): Promise<void> {
  const { courses } = await termCourses(ctx.signal);
  const course = courses.find((c) => c.id === ctx.params.id);
  if (!course || !isRunning(course)) {
    renderPage(
      ctx,
      t(course ? 'courses.cancelledTitle' : 'courses.notFound'),
      html`<h1>${t(course ? 'courses.cancelledTitle' : 'courses.notFound')}</h1>
        ${course ? html`<p>${t('courses.cancelledWhy', { title: course.title, reason: course.cancelReason ?? '' })}</p>` : ''}
        <p><a href="/courses">${t('courses.backToList')}</a></p>`,
    );
    return;
  }
  const user = currentUser();
  renderPage(
    ctx,
    `${t('wizard.checkHeading')} - ${t('apply.title')}`,
    html`<p><a class="back-link" href="/courses">${t('nav.back')}</a></p>
      ${errorSummary(errors)}
      <p class="caption">${t('apply.title')}</p>
      <h1>${t('wizard.checkHeading')}</h1>
      <p>${t('apply.intro')}</p>
      ${summaryList(
        [
          // The course is changed by choosing another one from the list.
          { label: t('apply.course'), value: course.title, step: 'course' },
          { label: t('courses.when'), value: courseTime(course) },
          { label: t('courses.campus'), value: course.campus },
          { label: t('courses.mode'), value: t(course.mode === 'LOTTERY' ? 'courses.modeLotteryLong' : 'courses.modeFirstComeLong') },
          { label: t('apply.applicant'), value: user?.name ?? '' },
        ],
        () => '/courses',
      )}
      <form id="apply-form" novalidate><div class="button-group">${button(t('apply.submit'), { primary: true })}</div></form>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'apply-form',
    errors,
    action: async () => {
      const ticket = await api<Ticket>('/enrolment/applications', {
        method: 'POST',
        body: { courseId: course.id },
        headers: { 'Idempotency-Key': applicationKey(course.id) },
      });
      sessionStorage.removeItem(`eldercare.apply.${course.id}`);
      navigate(`/applications/${ticket.ticketId}`);
    },
    again: (found) => applyPage(ctx, found),
  });
}

/** Text symbols, not emoji: an emoji needs an emoji font, and without one shows as an empty box. */
const STATUS_ICON: Record<Ticket['status'], string> = {
  QUEUED: '◷',
  CONFIRMED: '✓',
  WAITLISTED: '…',
  REJECTED: '✕',
  PENDING_DRAW: '◷',
  CANCELLED: '—',
};

/**
 * Who reads a ticket: the senior herself, told "您…", or someone acting for her (a relative, the
 * counter), told the same without it.
 */
export type TicketReader = 'senior' | 'other';

const FOR_OTHERS: Partial<Record<TextKey, TextKey>> = {
  'ticket.queued': 'ticket.queuedOther',
  'ticket.confirmed': 'ticket.confirmedOther',
  'ticket.waitlisted': 'ticket.waitlistedOther',
  'ticket.waitlistedDetail': 'ticket.waitlistedDetailOther',
  'ticket.outsideWindowDetail': 'ticket.outsideWindowDetailOther',
  'ticket.duplicateDetail': 'ticket.duplicateDetailOther',
  'reason.NOT_ELIGIBLE': 'reason.NOT_ELIGIBLE.other',
  'reason.TERM_LIMIT_REACHED': 'reason.TERM_LIMIT_REACHED.other',
  'reason.SCHEDULE_CLASH': 'reason.SCHEDULE_CLASH.other',
};

function say(reader: TicketReader, key: TextKey, vars?: Record<string, string | number>): string {
  return t((reader === 'other' && FOR_OTHERS[key]) || key, vars);
}

export function ticketHeadline(ticket: Ticket, reader: TicketReader = 'senior'): string {
  switch (ticket.status) {
    case 'QUEUED':
      return say(reader, 'ticket.queued', { n: ticket.sequence });
    case 'CONFIRMED':
      return say(reader, 'ticket.confirmed');
    case 'WAITLISTED':
      return say(reader, 'ticket.waitlisted', { n: ticket.waitlistPosition ?? '?' });
    case 'REJECTED':
      return t('ticket.rejected');
    case 'PENDING_DRAW':
      return t('ticket.pendingDraw');
    case 'CANCELLED':
      return t('ticket.cancelled');
  }
}

/** The API's notes on a cancellation its owner did not ask for, as its owner is told them. */
const CANCELLED_NOTES: Record<string, TextKey> = {
  'accepted outside the enrolment window': 'ticket.outsideWindowDetail',
  'duplicate of an active ticket for this course': 'ticket.duplicateDetail',
  'cancelled as the account was removed': 'ticket.accountRemovedDetail',
  'cancelled by an administrator': 'ticket.staffCancelledDetail',
  'cancelled as the course was cancelled': 'ticket.courseCancelledDetail',
};

function ticketDetail(ticket: Ticket, reader: TicketReader): string {
  switch (ticket.status) {
    case 'QUEUED':
      return t('ticket.queuedDetail');
    case 'CONFIRMED':
      return t('ticket.confirmedDetail');
    case 'WAITLISTED':
      return say(reader, 'ticket.waitlistedDetail');
    case 'REJECTED':
      return ticket.reason === 'NOT_ELIGIBLE' || ticket.reason === 'TERM_LIMIT_REACHED' || ticket.reason === 'SCHEDULE_CLASH'
        ? say(reader, `reason.${ticket.reason}`)
        : t('reason.OTHER');
    case 'PENDING_DRAW':
      return t('ticket.pendingDrawDetail');
    case 'CANCELLED':
      return say(reader, (ticket.note && CANCELLED_NOTES[ticket.note]) || 'ticket.cancelledDetail');
  }
}

/**
 * What the time of a ticket's last change is called in each state: a draw not yet made or a
 * waiting place is not a decision. A queued ticket shows none.
 */
const STATUS_SINCE: Partial<Record<Ticket['status'], TextKey>> = {
  CONFIRMED: 'ticket.decidedAt',
  REJECTED: 'ticket.decidedAt',
  WAITLISTED: 'ticket.waitlistedAt',
  PENDING_DRAW: 'ticket.enteredDrawAt',
  CANCELLED: 'ticket.cancelledAt',
};

export function statusPanel(ticket: Ticket, reader: TicketReader = 'senior'): SafeHtml {
  const since = STATUS_SINCE[ticket.status];
  return html`<div class="status-panel status-panel--${ticket.status}" data-status="${ticket.status}">
    <p class="status-headline"><span class="status-icon" aria-hidden="true">${STATUS_ICON[ticket.status]}</span> ${ticketHeadline(ticket, reader)}</p>
    <p>${ticketDetail(ticket, reader)}</p>
    ${ticket.decidedAt && since ? html`<p class="meta">${t(since, { at: formatDateTime(ticket.decidedAt) })}</p>` : ''}
  </div>`;
}

async function ticketPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.ticketId ?? '';
  let ticket = await api<Ticket>(`/enrolment/applications/${encodeURIComponent(id)}`, { signal: ctx.signal });
  const courses = await coursesFor(ticket.termId, ctx.signal).catch(() => [] as Course[]);
  const course = courses.find((c) => c.id === ticket.courseId);
  renderPage(
    ctx,
    t('ticket.title'),
    html`<p><a class="back-link" href="/applications">${t('ticket.allApplications')}</a></p>
      <h1>${t('ticket.title')}</h1>
      ${course ? html`<p class="lead">${course.title}</p>` : ''}
      <div id="ticket-live" aria-live="polite" aria-atomic="true">${statusPanel(ticket)}</div>
      <p class="meta" id="live-state">${t('ticket.liveOn')}</p>
      <dl class="facts">
        ${course ? courseFacts(course) : ''}
        <div>
          <dt>${t('ticket.number')}</dt>
          <dd>${ticket.sequence}</dd>
        </div>
      </dl>
      <div id="ticket-actions"></div>`,
  );
  const renderActions = (): void => {
    const actions = byId('ticket-actions');
    if (!actions) return;
    setContent(
      actions,
      html`<div class="button-group">
        ${ticket.status === 'CONFIRMED' || ticket.status === 'WAITLISTED' || ticket.status === 'REJECTED' || ticket.status === 'CANCELLED' ? html`<a class="button button--primary" href="/courses">${t('ticket.moreCourses')}</a>` : ''}
        ${isActive(ticket) ? html`<a class="button button--secondary" href="/applications/${ticket.ticketId}/cancel">${t('ticket.cancel')}</a>` : ''}
      </div>`,
    );
  };
  renderActions();
  const apply = (next: Partial<Ticket>): void => {
    const changed = next.status !== undefined && (next.status !== ticket.status || next.waitlistPosition !== ticket.waitlistPosition);
    ticket = { ...ticket, ...next, ticketId: ticket.ticketId };
    const live = byId('ticket-live');
    if (live && changed) setContent(live, statusPanel(ticket));
    if (changed) renderActions();
  };
  openStream(
    `/enrolment/applications/${encodeURIComponent(id)}/events`,
    {
      onEvent: (event) => {
        try {
          const data = JSON.parse(event.data) as Partial<Ticket> & { id?: string };
          apply(data);
        } catch {
          // A keep-alive or a message of another shape: nothing to show.
        }
      },
      onState: (connected) => {
        const state = byId('live-state');
        if (state) state.textContent = connected ? t('ticket.liveOn') : t('ticket.liveOff');
      },
    },
    ctx.signal,
  );
}

/** The senior a relative or the counter acts for, and where their pages for her are. */
export interface TicketHolder {
  seniorId: string;
  name: string;
  backHref: string;
}

/**
 * "Cancel this application?" for the senior's own ticket, or for a senior's by the counter or a
 * linked relative (`holder`: read and cancelled for her, recorded as done for her, at her
 * asking). A ticket that can no longer be cancelled (decided against her, or cancelled
 * meanwhile) is said to be so, with nothing to press.
 */
export async function cancelApplicationPage(ctx: PageContext, holder?: TicketHolder, errors: string[] = []): Promise<void> {
  const id = ctx.params.ticketId ?? '';
  const forSenior = holder ? `?seniorId=${encodeURIComponent(holder.seniorId)}` : '';
  const path = `/enrolment/applications/${encodeURIComponent(id)}`;
  const ticket = await api<Ticket>(`${path}${forSenior}`, { signal: ctx.signal });
  const courses = await coursesFor(ticket.termId, ctx.signal).catch(() => [] as Course[]);
  const course = courses.find((c) => c.id === ticket.courseId);
  const back = holder?.backHref ?? `/applications/${id}`;
  const open = isActive(ticket);
  const warning =
    ticket.status === 'CONFIRMED' ? (holder ? t('cancel.confirmedWarningFor', { name: holder.name }) : t('cancel.confirmedWarning')) : t('cancel.warning');
  const heading = open ? t('cancel.title') : t('cancel.closedTitle');
  renderPage(
    ctx,
    heading,
    html`<p><a class="back-link" href="${back}">${t('nav.back')}</a></p>
      ${errorSummary(errors)}
      <h1>${heading}</h1>
      ${holder ? html`<p class="lead">${t('cancel.of', { name: holder.name })}</p>` : ''}
      ${summaryList([
        { label: t('apply.course'), value: course?.title ?? '' },
        { label: t('ticket.now'), value: ticketHeadline(ticket, holder ? 'other' : 'senior') },
      ])}
      ${
        open
          ? html`<p>${warning}</p>
              <form id="cancel-form" novalidate>
                <div class="button-group">
                  ${button(t('cancel.submit'), { primary: true, warning: true })}<a class="button button--secondary" href="${back}">${t('cancel.keep')}</a>
                </div>
              </form>`
          : html`<p><a class="button button--primary" href="${back}">${t('nav.back')}</a></p>`
      }`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'cancel-form',
    errors,
    action: async () => {
      await api(`${path}${forSenior}`, { method: 'DELETE' });
      flash(holder ? t('cancel.doneFor', { name: holder.name, course: course?.title ?? '' }) : t('cancel.done'));
      navigate(back);
    },
    again: (found) => cancelApplicationPage(ctx, holder, found),
  });
}

async function myApplicationsPage(ctx: PageContext): Promise<void> {
  const list = await api<{ items: Ticket[] } | Ticket[]>('/enrolment/applications?mine=true&limit=200', { signal: ctx.signal });
  const tickets = Array.isArray(list) ? list : list.items;
  const { courses } = await termCourses(ctx.signal).catch(() => ({ courses: [] as Course[] }));
  const card = (ticket: Ticket): SafeHtml => {
    const course = courses.find((c) => c.id === ticket.courseId);
    const title = course?.title ?? t('apply.course');
    return html`<li class="card">
      <h2 class="card-title">${title}</h2>
      ${course ? html`<dl class="facts">${courseFacts(course)}</dl>` : ''} ${statusPanel(ticket)}
      <p class="card-action">
        <a class="button button--secondary" href="/applications/${ticket.ticketId}">${actionFor(t('applications.open'), title)}</a>
      </p>
    </li>`;
  };
  renderPage(
    ctx,
    t('applications.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('applications.title')}</h1>
      ${tickets.length === 0 ? html`<p>${t('applications.none')}</p>` : ''}
      <ul class="cards">
        ${tickets.map(card)}
      </ul>
      <div class="button-group"><a class="button button--primary" href="/courses">${t('home.courses')}</a></div>`,
  );
}

export const enrolmentRoutes: Route[] = [
  { pattern: '/courses', page: coursesPage },
  { pattern: '/courses/:id/apply', page: (ctx) => applyPage(ctx), roles: ['SENIOR'] },
  { pattern: '/applications', page: myApplicationsPage, roles: ['SENIOR'] },
  { pattern: '/applications/:ticketId', page: ticketPage, signedIn: true },
  { pattern: '/applications/:ticketId/cancel', page: (ctx) => cancelApplicationPage(ctx), signedIn: true },
];
