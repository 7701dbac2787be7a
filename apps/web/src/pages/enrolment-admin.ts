import { api } from '../api';
import { html, type SafeHtml } from '../dom';
import { actionFor, downloadButton, type Field, type FieldError, fieldId, simpleForm, summaryList, type Values } from '../forms';
import { formatDateTime, formatWeekday } from '../format';
import { problemText, t } from '../i18n';
import { deskTop, labelledTable, type TableColumn } from '../paging';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { dateProblem, timeProblem, tooLongProblem, wholeNumberProblem } from '../validation';
import { zonedIso, zonedParts } from '../when';
import { allTerms, byWeekAndTime, campusesOf, type Course, courseTime, coursesFor, isRunning, placesLine, type Term } from './enrolment';

/* The bureau's senior-university desk: the terms, each with its courses, and forms to add both. */

/** The term of the page's address, or undefined (the address is not checked with the API). */
async function termOf(ctx: PageContext): Promise<Term | undefined> {
  const id = ctx.params.id ?? '';
  return (await allTerms(ctx.signal)).find((candidate) => candidate.id === id);
}

function stateOf(term: Term, now = Date.now()): string {
  if (now < Date.parse(term.opensAt)) return t('terms.notYetOpen');
  return now < Date.parse(term.closesAt) ? t('terms.openNow') : t('terms.closed');
}

function windowOf(term: Term): string {
  return t('terms.windowText', { opens: formatDateTime(term.opensAt), closes: formatDateTime(term.closesAt) });
}

async function termsPage(ctx: PageContext): Promise<void> {
  const terms = await allTerms(ctx.signal);
  const columns: TableColumn<Term>[] = [
    { heading: t('terms.name'), cell: (term) => html`<a href="/admin/terms/${term.id}">${term.name}</a>` },
    { heading: t('terms.state'), cell: (term) => stateOf(term) },
    { heading: t('terms.window'), cell: (term) => windowOf(term) },
    { heading: t('terms.limit'), cell: (term) => t('terms.limitText', { n: term.maxCoursesPerSenior ?? '' }) },
    { heading: t('terms.minAge'), cell: (term) => t('terms.minAgeText', { n: term.minAge ?? '' }) },
  ];
  renderPage(
    ctx,
    t('terms.title'),
    html`${deskTop({ title: t('terms.title'), intro: t('terms.intro'), add: { href: '/admin/terms/new', label: t('terms.new') } })}
    ${terms.length === 0 ? html`<p>${t('terms.none')}</p>` : labelledTable('terms', columns, terms)}`,
    { wide: true },
  );
}

function termFields(): Field[] {
  return [
    {
      name: 'name',
      label: t('terms.fName'),
      hint: t('terms.fNameHint'),
      type: 'text',
      validate: tooLongProblem(100),
    },
    { name: 'opensAt', label: t('terms.fOpensDate'), type: 'date', validate: dateProblem },
    { name: 'opensTime', label: t('terms.fOpensTime'), hint: t('terms.fTimeHint'), type: 'time', validate: timeProblem },
    { name: 'closesAt', label: t('terms.fClosesDate'), type: 'date', validate: dateProblem },
    { name: 'closesTime', label: t('terms.fClosesTime'), hint: t('terms.fTimeHint'), type: 'time', validate: timeProblem },
    {
      name: 'maxCoursesPerSenior',
      label: t('terms.fLimit'),
      hint: t('form.range', { min: 1, max: 20 }),
      type: 'number',
      inputmode: 'numeric',
      width: 'short',
      validate: wholeNumberProblem(1, 20),
    },
    {
      name: 'minAge',
      label: t('terms.fMinAge'),
      hint: t('form.range', { min: 0, max: 120 }),
      type: 'number',
      inputmode: 'numeric',
      width: 'short',
      validate: wholeNumberProblem(0, 120),
    },
  ];
}

/** Applications must close after they open; told at the closing day. */
function termProblems(v: Values): FieldError[] {
  const opens = Date.parse(zonedIso(String(v.opensAt), String(v.opensTime)));
  const closes = Date.parse(zonedIso(String(v.closesAt), String(v.closesTime)));
  return closes > opens ? [] : [{ target: fieldId('closesAt'), message: t('terms.closesBeforeOpens') }];
}

function newTermPage(ctx: PageContext): void {
  simpleForm(ctx, {
    title: t('terms.new'),
    before: html`<p><a class="back-link" href="/admin/terms">${t('terms.title')}</a></p>`,
    values: { opensTime: '09:00', closesTime: '17:00', maxCoursesPerSenior: '3', minAge: '55' },
    fields: termFields(),
    check: termProblems,
    submitLabel: t('terms.submit'),
    onSubmit: async (v) => {
      const term = await api<Term>('/enrolment/terms', {
        method: 'POST',
        body: {
          name: v.name,
          opensAt: zonedIso(String(v.opensAt), String(v.opensTime)),
          closesAt: zonedIso(String(v.closesAt), String(v.closesTime)),
          maxCoursesPerSenior: Number(v.maxCoursesPerSenior),
          minAge: Number(v.minAge),
        },
      });
      flash(t('terms.created', { name: term.name }));
      navigate(`/admin/terms/${term.id}`);
    },
  });
}

function termNotFound(ctx: PageContext): void {
  renderPage(
    ctx,
    t('terms.notFound'),
    html`<h1>${t('terms.notFound')}</h1>
      <p><a href="/admin/terms">${t('terms.title')}</a></p>`,
  );
}

async function termPage(ctx: PageContext): Promise<void> {
  const term = await termOf(ctx);
  if (!term) return termNotFound(ctx);
  const courses = byWeekAndTime(await coursesFor(term.id, ctx.signal));
  const columns: TableColumn<Course>[] = [
    { heading: t('terms.courseTitle'), cell: (course) => course.title },
    { heading: t('courses.when'), cell: (course) => courseTime(course) },
    { heading: t('courses.campus'), cell: (course) => course.campus },
    { heading: t('courses.mode'), cell: (course) => t(course.mode === 'LOTTERY' ? 'courses.modeLottery' : 'courses.modeFirstCome') },
    {
      heading: t('terms.places'),
      cell: (course) =>
        isRunning(course) ? html`<span class="keep-together">${placesLine(course)}</span>` : t('terms.cancelledCourse', { reason: course.cancelReason ?? '' }),
    },
    {
      // Both actions of a course in one column, each kept on one line: the table is wide already.
      heading: t('terms.manage'),
      cell: (course) =>
        isRunning(course)
          ? html`<a class="keep-together" href="/admin/terms/${term.id}/courses/${course.id}/edit">${actionFor(t('terms.change'), course.title)}</a>
              <a class="keep-together" href="/admin/terms/${term.id}/courses/${course.id}/cancel">${actionFor(t('terms.cancelCourse'), course.title)}</a>`
          : '',
    },
  ];
  const roster = (course: Course): SafeHtml =>
    downloadButton(t('admin.rosterOf', { title: course.title }), {
      path: `/enrolment/courses/${course.id}/roster?format=xlsx`,
      name: 'roster.xlsx',
      status: `roster-status-${course.id}`,
    });
  renderPage(
    ctx,
    term.name,
    html`<p><a class="back-link" href="/admin/terms">${t('terms.title')}</a></p>
      <h1>${term.name}</h1>
      <dl class="facts">
        <div>
          <dt>${t('terms.state')}</dt>
          <dd>${stateOf(term)}</dd>
        </div>
        <div>
          <dt>${t('terms.window')}</dt>
          <dd>${windowOf(term)}</dd>
        </div>
        <div>
          <dt>${t('terms.limit')}</dt>
          <dd>${t('terms.limitText', { n: term.maxCoursesPerSenior ?? '' })}</dd>
        </div>
        <div>
          <dt>${t('terms.minAge')}</dt>
          <dd>${t('terms.minAgeText', { n: term.minAge ?? '' })}</dd>
        </div>
      </dl>
      <div class="button-group"><a class="button button--secondary" href="/admin/terms/${term.id}/edit">${t('terms.changeTerm')}</a></div>
      <h2>${t('terms.courses', { n: courses.length })}</h2>
      <div class="button-group"><a class="button button--primary" href="/admin/terms/${term.id}/courses/new">${t('terms.addCourse')}</a></div>
      ${courses.length === 0 ? html`<p>${t('terms.noCourses')}</p>` : labelledTable('term-courses', columns, courses, { heading: t('terms.roster'), cell: roster })}`,
    { wide: true },
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

function courseFields(campuses: string[]): Field[] {
  return [
    { name: 'title', label: t('terms.fTitle'), type: 'text', validate: tooLongProblem(100) },
    {
      name: 'campus',
      label: t('terms.fCampus'),
      hint: campuses.length > 0 ? t('terms.fCampusKnown', { campuses: campuses.join('、') }) : undefined,
      type: 'text',
      validate: tooLongProblem(100),
    },
    {
      name: 'capacity',
      label: t('terms.fCapacity'),
      hint: t('form.range', { min: 1, max: 1000 }),
      type: 'number',
      inputmode: 'numeric',
      width: 'short',
      validate: wholeNumberProblem(1, 1000),
    },
    { name: 'weekday', label: t('terms.fWeekday'), type: 'select', options: WEEKDAYS.map((day) => ({ value: String(day), label: formatWeekday(day) })) },
    { name: 'startTime', label: t('terms.fStart'), hint: t('terms.fTimeHint'), type: 'time', validate: timeProblem },
    { name: 'endTime', label: t('terms.fEnd'), hint: t('terms.fTimeHint'), type: 'time', validate: timeProblem },
    {
      name: 'mode',
      label: t('courses.mode'),
      type: 'radio',
      options: [
        { value: 'FIRST_COME', label: t('courses.modeFirstCome'), hint: t('courses.modeFirstComeLong') },
        { value: 'LOTTERY', label: t('courses.modeLottery'), hint: t('courses.modeLotteryLong') },
      ],
    },
  ];
}

async function newCoursePage(ctx: PageContext): Promise<void> {
  const term = await termOf(ctx);
  if (!term) return termNotFound(ctx);
  // The places the term's courses already use, so a new course is named the same way.
  const campuses = campusesOf(await coursesFor(term.id, ctx.signal));
  simpleForm(ctx, {
    title: t('terms.addCourse'),
    before: html`<p><a class="back-link" href="/admin/terms/${term.id}">${term.name}</a></p>`,
    intro: html`<p>${t('terms.addCourseTo', { name: term.name })}</p>`,
    values: { weekday: '1', mode: 'FIRST_COME', campus: campuses.length === 1 ? (campuses[0] ?? '') : '' },
    fields: courseFields(campuses),
    check: (v) => (String(v.endTime) > String(v.startTime) ? [] : [{ target: fieldId('endTime'), message: t('terms.endBeforeStart') }]),
    submitLabel: t('terms.addCourseSubmit'),
    onSubmit: async (v) => {
      const course = await api<Course>('/enrolment/courses', {
        method: 'POST',
        body: {
          termId: term.id,
          title: v.title,
          campus: v.campus,
          capacity: Number(v.capacity),
          weekday: Number(v.weekday),
          startTime: v.startTime,
          endTime: v.endTime,
          mode: v.mode,
        },
      });
      flash(t('terms.courseAdded', { title: course.title }));
      navigate(`/admin/terms/${term.id}`);
    },
  });
}

/**
 * Changing a term, with only what may still change: everything before applications open; the
 * name and the closing while they are open; the name once they have closed. The form is filled
 * with what the term says now, in Beijing time. The API checks the same again under the row's
 * lock (409 `TERM_ALREADY_OPEN`, `TERM_ALREADY_CLOSED`).
 */
async function changeTermPage(ctx: PageContext): Promise<void> {
  const term = await termOf(ctx);
  if (!term) return termNotFound(ctx);
  const now = Date.now();
  const opened = Date.parse(term.opensAt) <= now;
  const closed = Date.parse(term.closesAt) <= now;
  const shown = closed ? ['name'] : opened ? ['name', 'closesAt', 'closesTime'] : termFields().map((field) => field.name);
  const opens = zonedParts(term.opensAt);
  const closes = zonedParts(term.closesAt);
  const whenOf = (v: Values, date: string, time: string): number => Date.parse(zonedIso(String(v[date]), String(v[time])));
  simpleForm(ctx, {
    title: t('terms.changeTermTitle', { name: term.name }),
    before: html`<p><a class="back-link" href="/admin/terms/${term.id}">${term.name}</a></p>`,
    intro: html`<p>${closed ? t('terms.changeAfterClose') : opened ? t('terms.changeWhileOpen') : t('terms.changeBeforeOpen')}</p>
      ${
        opened
          ? summaryList([
              { label: t('terms.window'), value: windowOf(term) },
              { label: t('terms.limit'), value: t('terms.limitText', { n: term.maxCoursesPerSenior ?? '' }) },
              { label: t('terms.minAge'), value: t('terms.minAgeText', { n: term.minAge ?? '' }) },
            ])
          : ''
      }`,
    values: {
      name: term.name,
      opensAt: opens.date,
      opensTime: opens.time,
      closesAt: closes.date,
      closesTime: closes.time,
      maxCoursesPerSenior: String(term.maxCoursesPerSenior ?? ''),
      minAge: String(term.minAge ?? ''),
    },
    fields: termFields().filter((field) => shown.includes(field.name)),
    check: (v) => {
      if (closed) return [];
      const problems: FieldError[] = [];
      const opening = whenOf(v, 'opensAt', 'opensTime');
      // The opening left as it was is no change, even if the term opened while the form was open.
      if (!opened && opening !== Date.parse(term.opensAt) && opening < Date.now()) {
        problems.push({ target: fieldId('opensAt'), message: t('terms.opensInPast') });
      }
      if (whenOf(v, 'closesAt', 'closesTime') <= Date.now()) problems.push({ target: fieldId('closesAt'), message: t('terms.closesInPast') });
      else if (!opened) problems.push(...termProblems(v));
      return problems;
    },
    submitLabel: t('terms.changeSubmit'),
    onSubmit: async (v) => {
      const body: Record<string, unknown> = { name: v.name };
      if (!closed) body.closesAt = zonedIso(String(v.closesAt), String(v.closesTime));
      if (!opened) {
        body.opensAt = zonedIso(String(v.opensAt), String(v.opensTime));
        body.maxCoursesPerSenior = Number(v.maxCoursesPerSenior);
        body.minAge = Number(v.minAge);
      }
      const changed = await api<Term>(`/enrolment/terms/${term.id}`, { method: 'PATCH', body });
      flash(t('terms.termChanged', { name: changed.name }));
      navigate(`/admin/terms/${term.id}`);
    },
  });
}

/** The seniors a change or cancellation of a course reaches: those with a place, waiting, or in its draw. */
function reachedBy(course: Course): number {
  return course.confirmedCount + course.waitlistCount + course.pendingDrawCount;
}

/**
 * Changing a course: its title, campus and places, the form filled with what it says now. The
 * places are checked against the seats taken before anything is sent; the API checks again under
 * the term's lock, and gives added places to the waiting list at once.
 */
async function changeCoursePage(ctx: PageContext): Promise<void> {
  const term = await termOf(ctx);
  if (!term) return termNotFound(ctx);
  const found = await runningCourseOf(ctx, term);
  if (!found) return;
  const { course, courses } = found;
  const taken = course.confirmedCount;
  const reached = reachedBy(course);
  simpleForm(ctx, {
    title: t('terms.changeTitle', { title: course.title }),
    before: html`<p><a class="back-link" href="/admin/terms/${term.id}">${term.name}</a></p>`,
    intro: html`${summaryList([
        { label: t('courses.when'), value: courseTime(course) },
        { label: t('courses.mode'), value: t(course.mode === 'LOTTERY' ? 'courses.modeLottery' : 'courses.modeFirstCome') },
        { label: t('terms.places'), value: placesLine(course) },
      ])}
      <p>${t('terms.changeIntro')}</p>
      <p>${t('terms.changeMore', { n: taken })}</p>
      ${reached > 0 ? html`<p>${t('terms.changeCampusTells', { n: reached })}</p>` : ''}`,
    values: { title: course.title, campus: course.campus, capacity: String(course.capacity) },
    fields: courseFields(campusesOf(courses)).filter((field) => ['title', 'campus', 'capacity'].includes(field.name)),
    check: (v) => (Number(v.capacity) < taken ? [{ target: fieldId('capacity'), message: t('terms.capacityBelow', { n: taken }) }] : []),
    // More seats taken meanwhile than when the page was read.
    refusedAt: (error) => (error.code === 'CAPACITY_BELOW_CONFIRMED' ? { target: fieldId('capacity'), message: problemText(error.code) } : undefined),
    submitLabel: t('terms.changeSubmit'),
    onSubmit: async (v) => {
      const changed = await api<Course>(`/enrolment/courses/${course.id}`, {
        method: 'PATCH',
        body: { title: v.title, campus: v.campus, capacity: Number(v.capacity) },
      });
      flash(t('terms.courseChanged', { title: changed.title }));
      navigate(`/admin/terms/${term.id}`);
    },
  });
}

/**
 * The course of the page's address in `term`, with the term's courses; or undefined once a page
 * says it is not found, or that it is cancelled (nothing about it changes then).
 */
async function runningCourseOf(ctx: PageContext, term: Term): Promise<{ course: Course; courses: Course[] } | undefined> {
  const courses = await coursesFor(term.id, ctx.signal);
  const course = courses.find((candidate) => candidate.id === ctx.params.courseId);
  if (course && isRunning(course)) return { course, courses };
  const heading = t(course ? 'terms.alreadyCancelled' : 'terms.courseNotFound');
  renderPage(
    ctx,
    heading,
    html`<h1>${heading}</h1>
      <p><a href="/admin/terms/${term.id}">${term.name}</a></p>`,
  );
  return undefined;
}

/**
 * Cancelling a course (停开): what it is and whom it reaches, then why, in words the seniors and
 * their relatives will read. The API gives every place up and tells each of them, in one step.
 */
async function cancelCoursePage(ctx: PageContext): Promise<void> {
  const term = await termOf(ctx);
  if (!term) return termNotFound(ctx);
  const found = await runningCourseOf(ctx, term);
  if (!found) return;
  const { course } = found;
  const reached = reachedBy(course);
  simpleForm(ctx, {
    title: t('terms.cancelTitle', { title: course.title }),
    before: html`<p><a class="back-link" href="/admin/terms/${term.id}">${term.name}</a></p>`,
    intro: html`${summaryList([
        { label: t('courses.when'), value: courseTime(course) },
        { label: t('courses.campus'), value: course.campus },
        { label: t('terms.places'), value: placesLine(course) },
      ])}
      <p>${reached > 0 ? t('terms.cancelReaches', { n: reached }) : t('terms.cancelNobody')}</p>`,
    fields: [{ name: 'reason', label: t('terms.fCancelReason'), hint: t('terms.fCancelReasonHint'), type: 'textarea', validate: tooLongProblem(200) }],
    submitLabel: t('terms.cancelSubmit'),
    onSubmit: async (v) => {
      const cancelled = await api<Course>(`/enrolment/courses/${course.id}/cancel`, { method: 'POST', body: { reason: v.reason } });
      flash(t('terms.courseCancelled', { title: cancelled.title }));
      navigate(`/admin/terms/${term.id}`);
    },
  });
}

export const enrolmentAdminRoutes: Route[] = [
  { pattern: '/admin/terms', page: termsPage, roles: ['ADMIN'] },
  { pattern: '/admin/terms/new', page: newTermPage, roles: ['ADMIN'] },
  { pattern: '/admin/terms/:id', page: termPage, roles: ['ADMIN'] },
  { pattern: '/admin/terms/:id/edit', page: changeTermPage, roles: ['ADMIN'] },
  { pattern: '/admin/terms/:id/courses/new', page: newCoursePage, roles: ['ADMIN'] },
  { pattern: '/admin/terms/:id/courses/:courseId/edit', page: changeCoursePage, roles: ['ADMIN'] },
  { pattern: '/admin/terms/:id/courses/:courseId/cancel', page: cancelCoursePage, roles: ['ADMIN'] },
];
