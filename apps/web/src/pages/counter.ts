import { api, newIdempotencyKey } from '../api';
import { byId, html, type SafeHtml } from '../dom';
import {
  actionFor,
  button,
  confirmForm,
  errorSummary,
  type Field,
  type FieldError,
  fieldId,
  focusErrorSummary,
  renderField,
  runWizard,
  simpleForm,
  summaryList,
  type Values,
  type Wizard,
} from '../forms';
import { formatDate, formatDateTime, formatMinutes } from '../format';
import { label, problemText, t, type TextKey } from '../i18n';
import { labelledTable, listPage, type TableColumn } from '../paging';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { currentUser, hasRole, type Me } from '../session';
import { cleanPhone, idNumberProblem, phoneProblem } from '../validation';
import { hasResidence, readResidence, type Residence, residenceLines } from './residence';
import { type Booking, bookingCards, cancelBookingPage, cancelledCards, heldBookings, recentlyCancelled } from './bookings';
import {
  activeTickets,
  byWeekAndTime,
  cancelApplicationPage,
  type Course,
  courseTime,
  isActive,
  isRunning,
  seatsText,
  statusPanel,
  termCourses,
  type Ticket,
} from './enrolment';
import {
  awaitingCards,
  cancelRequestPage,
  type HelpRequest,
  runGiveWizard,
  runRedeemWizard,
  rejectServicePage,
  requestCards,
  requestWizard,
  type ServiceRecord,
  servicePage,
  statementButtons,
} from './time-bank';

/** A person as staff see them: like the signed-in person's own view, but the phone is masked. */
export type Person = Pick<Me, 'id' | 'name' | 'idCardNumberMasked' | 'birthDate' | 'roles'> & { phoneMasked: string | null; cardNumber: string | null };

interface Account {
  balanceMinutes: number;
  heldMinutes: number;
  availableMinutes: number;
}

const RELATIONS = ['SPOUSE', 'PARENT', 'CHILD', 'SIBLING', 'GRANDPARENT', 'GRANDCHILD', 'OTHER_FAMILY'];

/** `1234 5678 90`: a card number as it is read aloud. */
export function groupedCard(card: string | null | undefined): string {
  return card ? `${card.slice(0, 4)} ${card.slice(4, 8)} ${card.slice(8)}` : '';
}

interface Activity {
  seniorId: string;
  tickets: Ticket[];
  account: Account | null;
  courses: Course[];
  /** Null when the senior's requests could not be read (not a senior's account, say). */
  requests: HelpRequest[] | null;
  /** The services logged for the senior and waiting for their word. */
  services: ServiceRecord[];
  /** Her bookings paid with minutes still to come (none when they could not be read). */
  bookings: Booking[];
  /** Her bookings cancelled lately, by anyone (none when they could not be read). */
  cancelled: Booking[];
  /** Her bed in a home and the waiting lists she is on (null when they could not be read). */
  residence: Residence | null;
}

/** The senior's tickets, time-bank balance, services to confirm and requests for help, read as the one acting for them. */
export async function seniorActivity(seniorId: string, signal: AbortSignal): Promise<Activity> {
  const query = `seniorId=${encodeURIComponent(seniorId)}`;
  const [list, account, catalogue, requests, services, bookings, cancelled, residence] = await Promise.all([
    api<{ items: Ticket[] }>(`/enrolment/applications?mine=true&limit=50&${query}`, { signal }),
    api<Account>(`/time-bank/accounts/me?${query}`, { signal }).catch(() => null),
    termCourses(signal).catch(() => ({ courses: [] as Course[] })),
    api<{ items: HelpRequest[] }>(`/time-bank/requests/mine?limit=20&${query}`, { signal }).catch(() => null),
    api<{ items: ServiceRecord[] }>(`/time-bank/services/awaiting-me?limit=20&${query}`, { signal }).catch(() => ({ items: [] as ServiceRecord[] })),
    heldBookings(signal, seniorId).catch(() => ({ items: [] as Booking[] })),
    recentlyCancelled(signal, seniorId).catch(() => ({ items: [] as Booking[] })),
    readResidence(signal, seniorId),
  ]);
  return {
    seniorId,
    tickets: list.items,
    account,
    courses: catalogue.courses,
    requests: requests?.items ?? null,
    services: services.items,
    bookings: bookings.items,
    cancelled: cancelled.items,
    residence,
  };
}

/**
 * The services waiting for the senior's word (only when there are some), her bed in a home (only
 * when she has one or is on a waiting list), tickets (each with its
 * status in words), the balance, the bookings (held, and cancelled lately) and the requests for
 * help of a senior someone acts for; `base` is where the acting one's pages for this senior are
 * (a service is decided at `${base}/services/:id`, an application cancelled at
 * `${base}/applications/:id/cancel`, a request cancelled at
 * `${base}/requests/:id/cancel`, a booking at `${base}/bookings/:id/cancel`).
 */
export function activityHtml(activity: Activity, base: string, headingLevel: 'h2' | 'h3' = 'h2'): SafeHtml {
  const title = (ticket: Ticket): string => activity.courses.find((c) => c.id === ticket.courseId)?.title ?? t('apply.course');
  const h = (text: string): SafeHtml => (headingLevel === 'h2' ? html`<h2>${text}</h2>` : html`<h3>${text}</h3>`);
  return html`${
      activity.services.length > 0
        ? html`${h(t('acting.toConfirm'))}
          ${awaitingCards(activity.services, (service) => `${base}/services/${service.id}`, headingLevel === 'h2' ? 'h3' : 'h4')}`
        : ''
    }
    ${hasResidence(activity.residence) ? html`${h(t('residence.title'))} ${residenceLines(activity.residence)}` : ''} ${h(t('acting.tickets'))}
    ${activity.tickets.length === 0 ? html`<p>${t('applications.noneOther')}</p>` : ''}
    <ul class="cards">
      ${activity.tickets.map(
        (ticket) =>
          html`<li class="card">
            <p class="card-title">${title(ticket)}</p>
            ${statusPanel(ticket, 'other')}
            ${
              isActive(ticket)
                ? html`<p class="card-action">
                    <a class="button button--secondary" href="${base}/applications/${ticket.ticketId}/cancel"
                      >${actionFor(t('ticket.cancel'), title(ticket))}</a
                    >
                  </p>`
                : ''
            }
          </li>`,
      )}
    </ul>
    ${
      activity.account
        ? html`${h(t('acting.balance'))}
            <p class="lead" data-testid="balance">${t('acting.available', { minutes: formatMinutes(activity.account.availableMinutes) })}</p>
            ${statementButtons(activity.seniorId, true)}`
        : ''
    }
    ${
      activity.bookings.length > 0
        ? html`${h(t('acting.bookings'))}
          ${bookingCards(activity.bookings, (booking) => `${base}/bookings/${booking.id}/cancel`, headingLevel === 'h2' ? 'h3' : 'h4')}`
        : ''
    }
    ${activity.cancelled.length > 0 ? html`${h(t('acting.cancelledBookings'))} ${cancelledCards(activity.cancelled, headingLevel === 'h2' ? 'h3' : 'h4')}` : ''}
    ${
      activity.requests
        ? html`${h(t('acting.requests'))} ${activity.requests.length === 0 ? html`<p>${t('acting.noRequests')}</p>` : ''}
          ${requestCards(activity.requests, (request) => `${base}/requests/${request.id}/cancel`, headingLevel === 'h2' ? 'h3' : 'h4')}`
        : ''
    }`;
}

/** How a senior's active application stands, in a word beside the course. */
const APPLIED_AS: Partial<Record<Ticket['status'], TextKey>> = {
  QUEUED: 'acting.applied.QUEUED',
  CONFIRMED: 'acting.applied.CONFIRMED',
  WAITLISTED: 'acting.applied.WAITLISTED',
  PENDING_DRAW: 'acting.applied.PENDING_DRAW',
};

/** Applying for a course for a senior: choose the course, check, apply (the senior's own rules apply). */
function applyForWizard(seniorId: string, seniorName: string, base: string, backHref: string, courses: Course[], active: Map<string, Ticket>): Wizard {
  // Where and when, the places left, and whether the senior has applied already (applying again
  // changes nothing: it returns the same ticket).
  const hint = (course: Course): string => {
    const ticket = active.get(course.id);
    const facts = `${course.campus} · ${courseTime(course)} · ${seatsText(course)}`;
    return ticket ? `${facts} · ${t('acting.alreadyApplied', { status: t(APPLIED_AS[ticket.status] ?? 'acting.applied.QUEUED') })}` : facts;
  };
  return {
    key: `apply-for-${seniorId}`,
    base,
    title: t('acting.applyTitle', { name: seniorName }),
    backHref,
    initial: { __key: newIdempotencyKey() },
    steps: [
      {
        id: 'course',
        intro: html`<p>${t('acting.applyIntro', { name: seniorName })}</p>`,
        fields: [
          {
            name: 'courseId',
            label: t('acting.qCourse'),
            type: 'radio',
            options: byWeekAndTime(courses.filter(isRunning)).map((course) => ({ value: course.id, label: course.title, hint: hint(course) })),
          },
        ],
      },
    ],
    summary: (v) => [
      { label: t('acting.senior'), value: seniorName },
      { label: t('acting.course'), value: courses.find((c) => c.id === v.courseId)?.title ?? t('apply.course'), step: 'course' },
    ],
    submitLabel: t('apply.submit'),
    stepOfField: () => 'course',
    submit: async (v) => {
      await api('/enrolment/applications', { method: 'POST', headers: { 'Idempotency-Key': String(v.__key) }, body: { courseId: v.courseId, seniorId } });
      return { to: backHref, message: t('acting.applied', { name: seniorName }) };
    },
  };
}

/** Runs the apply wizard once the open term's courses and the senior's applications are read. */
async function runApplyFor(ctx: PageContext, seniorId: string, seniorName: string, base: string, backHref: string): Promise<void> {
  const [{ courses }, active] = await Promise.all([termCourses(ctx.signal), activeTickets(ctx.signal, seniorId)]);
  runWizard(ctx, applyForWizard(seniorId, seniorName, base, backHref, courses, active));
}

/* ------------------------------------------------------------------------------------------ */
/* The counter workspace (staff: dense pages)                                                  */

/** Staff accounts are the administrators' business, not the counter's. */
export function isStaff(person: Pick<Person, 'roles'>): boolean {
  return person.roles.some((role) => role === 'ADMIN' || role === 'MANAGER' || role === 'COUNTER');
}

/** What an account is, in the counter's words: staff, or any of a senior, a relative and a volunteer. */
export function kindText(person: Person): string {
  if (isStaff(person)) return t('counter.kindStaff');
  const kinds: [string, TextKey][] = [
    ['SENIOR', 'counter.kindSenior'],
    ['FAMILY', 'counter.kindFamily'],
    ['VOLUNTEER', 'counter.kindVolunteer'],
  ];
  const found = kinds.filter(([role]) => person.roles.some((held) => held === role)).map(([, key]) => t(key));
  return found.join(t('counter.kindJoin')) || t('counter.kindOther');
}

/** Why a search cannot find anyone before it is sent: nothing typed, or one character of a name. */
export function searchProblem(q: string): string | null {
  if (!q) return t('counter.searchEmpty');
  return !/\d/.test(q) && [...q].length < 2 ? t('counter.searchShort') : null;
}

async function searchPage(ctx: PageContext): Promise<void> {
  const q = ctx.query.get('q')?.trim() ?? '';
  // "/counter" is the empty workspace; "/counter?q=" is a search sent with nothing in it.
  const problem = ctx.query.has('q') ? searchProblem(q) : null;
  const found = q && !problem ? await api<{ items: Person[]; removedMatch: boolean }>(`/people?q=${encodeURIComponent(q)}`, { signal: ctx.signal }) : null;
  const results = found?.items ?? null;
  const search: Field = { name: 'q', label: t('counter.qSearch'), hint: t('counter.searchHint'), type: 'text', width: 'medium', autocomplete: 'off' };
  const errors = problem ? [{ target: fieldId(search.name), message: problem }] : [];
  renderPage(
    ctx,
    t('counter.title'),
    html`<div class="staff">
      ${errorSummary(errors)}
      <h1>${t('counter.title')}</h1>
      <form id="search-form" class="inline-form" role="search" novalidate>
        ${renderField(search, { q }, errors)}
        <div class="button-group">
          ${button(t('counter.search'), { primary: true })}<a class="button button--secondary" href="/counter/register/name">${t('counter.register')}</a>
        </div>
      </form>
      ${
        results === null
          ? ''
          : results.length === 0
            ? found?.removedMatch
              ? html`<p role="status" class="notice">
                  ${t('counter.removedMatch')}
                  ${hasRole('ADMIN') ? html`<a href="/admin/removed?q=${encodeURIComponent(q)}">${t('counter.toRemoved')}</a>` : ''}
                </p>`
              : html`<p role="status">${t('counter.noResults')}</p>`
            : html`<h2>${t('counter.results', { n: results.length })}</h2>
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">${t('field.name')}</th>
                      <th scope="col">${t('counter.kind')}</th>
                      <th scope="col">${t('counter.idMasked')}</th>
                      <th scope="col">${t('counter.card')}</th>
                      <th scope="col">${t('counter.phone')}</th>
                      <th scope="col"><span class="visually-hidden">${t('counter.open')}</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${results.map(
                      (p) =>
                        html`<tr>
                          <td>${p.name}</td>
                          <td>${kindText(p)}</td>
                          <td>${p.idCardNumberMasked ?? '—'}</td>
                          <td>${groupedCard(p.cardNumber) || '—'}</td>
                          <td>${p.phoneMasked ?? '—'}</td>
                          <td>
                            ${
                              isStaff(p)
                                ? t('counter.staffAccount')
                                : html`<a href="/counter/${p.roles.includes('SENIOR') ? 'seniors' : 'people'}/${p.id}"
                                    >${actionFor(t('counter.open'), p.name)}</a
                                  >`
                            }
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
      }
    </div>`,
    { error: problem !== null },
  );
  if (problem) focusErrorSummary();
  const form = byId<HTMLFormElement>('search-form');
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (byId<HTMLInputElement>(fieldId(search.name))?.value ?? '').trim();
    navigate(`/counter?q=${encodeURIComponent(value)}`);
  });
}

function registerWizard(): Wizard {
  return {
    key: 'counter-register',
    base: '/counter/register',
    title: t('counter.registerTitle'),
    backHref: '/counter',
    steps: [
      {
        id: 'name',
        fields: [
          {
            name: 'name',
            label: t('counter.qName'),
            type: 'text',
            autocomplete: 'off',
            validate: (v) => (v.trim().length === 0 ? t('form.required', { label: t('field.name') }) : v.length > 60 ? t('form.tooLong', { max: 60 }) : null),
          },
        ],
      },
      {
        id: 'id-number',
        fields: [
          {
            name: 'idCardNumber',
            label: t('counter.qId'),
            hint: t('counter.idHint'),
            type: 'text',
            autocomplete: 'off',
            width: 'medium',
            validate: idNumberProblem,
          },
        ],
      },
      {
        id: 'phone',
        fields: [
          {
            name: 'phone',
            label: t('counter.qPhone'),
            hint: t('counter.phoneHint'),
            type: 'tel',
            inputmode: 'tel',
            autocomplete: 'off',
            width: 'medium',
            optional: true,
            validate: (v) => (v.trim() ? phoneProblem(v) : null),
          },
        ],
      },
    ],
    summary: (v) => [
      { label: t('field.name'), value: String(v.name), step: 'name' },
      { label: t('field.idCardNumber'), value: String(v.idCardNumber).toUpperCase(), step: 'id-number' },
      { label: t('counter.phone'), value: String(v.phone ?? '').trim() || t('counter.noPhone'), step: 'phone' },
    ],
    submitLabel: t('counter.registerSubmit'),
    stepOfField: (field) => ({ name: 'name', idCardNumber: 'id-number', phone: 'phone' })[field],
    // The problem's own text tells a senior to sign in; the counter is told where the account may be.
    explain: (error) => (error.code === 'ALREADY_REGISTERED' ? t('counter.registerTaken') : undefined),
    submit: async (v) => {
      const phone = String(v.phone ?? '').trim();
      const created = await api<{ user: { id: string; name: string }; cardNumber: string }>('/seniors', {
        method: 'POST',
        body: { name: String(v.name).trim(), idCardNumber: String(v.idCardNumber).trim().toUpperCase(), ...(phone ? { phone: cleanPhone(phone) } : {}) },
      });
      return {
        to: `/counter/seniors/${created.user.id}`,
        message: t('counter.registered', { name: created.user.name, card: groupedCard(created.cardNumber) }),
      };
    },
  };
}

async function seniorOf(ctx: PageContext): Promise<Person> {
  return api<Person>(`/seniors/${encodeURIComponent(ctx.params.id ?? '')}`, { signal: ctx.signal });
}

/**
 * Whom a counter page is about: the person, their page at the counter and their path in the API
 * (a senior's, or `/people/…` for anyone else the counter serves, such as a relative).
 */
export interface Served {
  person: Person;
  page: string;
  api: string;
}

/** Loads whom a page is about from its address. */
export type ServedLoader = (ctx: PageContext) => Promise<Served>;

async function seniorServed(ctx: PageContext): Promise<Served> {
  const senior = await seniorOf(ctx);
  return { person: senior, page: `/counter/seniors/${senior.id}`, api: `/seniors/${senior.id}` };
}

/** How many of the latest acts for a senior their page at the counter lists. */
const SENIOR_ACTS_SHOWN = 10;

/** An administrator's correction of someone's ID number, as its record lists it. */
interface IdCardCorrection {
  at: string;
  previousMasked: string | null;
  previousBirthDate: string | null;
  masked: string;
  birthDate: string;
  reason: string;
  correctedBy: { name: string };
}

/**
 * The corrections of someone's ID number, for an administrator (the record is theirs: others
 * get none), or null when they cannot be read now.
 */
export function correctionsOf(personId: string, signal: AbortSignal): Promise<IdCardCorrection[] | null> {
  if (!hasRole('ADMIN')) return Promise.resolve([]);
  return personItems<IdCardCorrection>(personId, 'id-card-corrections', signal);
}

/** A list the counter reads about someone found (`/people/:id/<what>`), or null when it cannot be read now: the page still serves the person. */
function personItems<T>(personId: string, what: string, signal: AbortSignal): Promise<T[] | null> {
  return api<{ items: T[] }>(`/people/${encodeURIComponent(personId)}/${what}`, { signal })
    .then((found) => found.items)
    .catch(() => null);
}

/** A number as a correction's record shows it: masked, with the birth date it gives (the part the mask hides). */
function numberText(masked: string | null, birthDate: string | null): string {
  return masked === null || birthDate === null ? t('counter.noIdOnFile') : t('counter.numberBorn', { masked, born: formatDate(birthDate) });
}

/** The record of corrections, on a person's page for an administrator; nothing when there are none. */
export function correctionsHtml(corrections: IdCardCorrection[] | null): SafeHtml {
  if (corrections === null) return html`<p class="notice">${t('counter.correctionsUnavailable')}</p>`;
  if (corrections.length === 0) return html``;
  const columns: TableColumn<IdCardCorrection>[] = [
    { heading: t('actedLog.when'), cell: (c) => formatDateTime(c.at) },
    { heading: t('counter.correctedFrom'), cell: (c) => numberText(c.previousMasked, c.previousBirthDate) },
    { heading: t('counter.correctedTo'), cell: (c) => numberText(c.masked, c.birthDate) },
    { heading: t('counter.correctReason'), cell: (c) => c.reason },
    { heading: t('counter.correctedBy'), cell: (c) => c.correctedBy.name },
  ];
  return html`<h2>${t('counter.corrections', { n: corrections.length })}</h2>
    ${labelledTable('id-corrections', columns, corrections)}`;
}

/** The administrator's button to correct the ID number on someone's page at the counter. */
export function correctButton(served: Served): SafeHtml {
  return hasRole('ADMIN') ? html`<a class="button button--secondary" href="${served.page}/id-card">${t('counter.correct')}</a>` : html``;
}

/**
 * An administrator corrects the ID number on file (mistyped at a counter, or read wrongly from the
 * card): the right number, checked against the card, and why. The person sees the correction among
 * what others did for them.
 */
export async function correctIdCardPage(ctx: PageContext, load: ServedLoader): Promise<void> {
  const served = await load(ctx);
  const person = served.person;
  const idField: Field = {
    name: 'idCardNumber',
    label: t('counter.qCorrectId'),
    hint: t('counter.idHint'),
    type: 'text',
    autocomplete: 'off',
    width: 'medium',
    validate: idNumberProblem,
  };
  const reasonField: Field = {
    name: 'reason',
    label: t('counter.qCorrectReason'),
    hint: t('counter.correctReasonHint'),
    type: 'textarea',
    validate: (v) =>
      v.trim().length === 0 ? t('form.required', { label: t('counter.correctReason') }) : v.length > 200 ? t('form.tooLong', { max: 200 }) : null,
  };
  simpleForm(ctx, {
    title: t('counter.correctTitle', { name: person.name }),
    before: html`<p><a class="back-link" href="${served.page}">${person.name}</a></p>`,
    intro: html`${summaryList([
        { label: t('field.name'), value: person.name },
        { label: t('counter.idNow'), value: person.idCardNumberMasked ?? t('counter.noIdOnFile') },
        { label: t('field.birthDate'), value: person.birthDate ? formatDate(person.birthDate) : '—' },
      ])}
      <p>${t('counter.correctIntro')} ${person.roles.includes('SENIOR') ? t('counter.correctTold', { name: person.name }) : ''}</p>`,
    fields: [idField, reasonField],
    submitLabel: t('counter.correctSubmit'),
    refusedAt: (error) =>
      error.code === 'ALREADY_REGISTERED'
        ? { target: fieldId(idField.name), message: t('counter.idTakenElsewhere') }
        : error.code === 'NOT_ELIGIBLE'
          ? { target: fieldId(idField.name), message: t('counter.correctTooYoung') }
          : undefined,
    onSubmit: async (values) => {
      await api(`/people/${person.id}/id-card`, {
        method: 'PUT',
        body: { idCardNumber: String(values.idCardNumber).trim().toUpperCase(), reason: String(values.reason).trim() },
      });
      flash(t('counter.corrected', { name: person.name }));
      navigate(served.page);
    },
  });
}

/**
 * The live family links of someone found at the counter (who acts for a senior, or whom a relative
 * acts for), or null when they cannot be read now: the page still serves the person.
 */
export function familyLinksOf(personId: string, signal: AbortSignal): Promise<FamilyLink[] | null> {
  return personItems<FamilyLink>(personId, 'family-links', signal);
}

/** A senior's relatives as the counter sees them: who, what to her, phone (masked), since when, and ending the link as she asks. */
function relativesHtml(links: FamilyLink[] | null, base: string): SafeHtml {
  if (links === null) return html`<p class="notice">${t('counter.linksUnavailable')}</p>`;
  if (links.length === 0) return html`<p>${t('counter.noRelatives')}</p>`;
  const columns: TableColumn<FamilyLink>[] = [
    { heading: t('counter.relative'), cell: (link) => link.relative.name },
    { heading: t('counter.relation'), cell: (link) => label('relationship', link.relation) },
    { heading: t('counter.phone'), cell: (link) => link.relative.phoneMasked ?? t('counter.noPhone') },
    { heading: t('counter.linkedSince'), cell: (link) => formatDate(link.since) },
  ];
  return labelledTable('senior-relatives', columns, links, {
    heading: t('family.end'),
    cell: (link) => html`<a href="${base}/links/${link.id}/end">${actionFor(t('family.end'), link.relative.name)}</a>`,
  });
}

/** The seniors a relative acts for, each leading to the senior's page at the counter, or null when they cannot be read now. */
export function seniorsActedForHtml(links: FamilyLink[] | null, personId: string): SafeHtml {
  if (links === null) return html`<p class="notice">${t('counter.linksUnavailable')}</p>`;
  const theirs = links.filter((link) => link.relativeId === personId);
  if (theirs.length === 0) return html`<p>${t('counter.actsForNone')}</p>`;
  const columns: TableColumn<FamilyLink>[] = [
    { heading: t('counter.senior'), cell: (link) => html`<a href="/counter/seniors/${link.seniorId}">${link.senior.name}</a>` },
    { heading: t('counter.relation'), cell: (link) => label('relationship', link.relation) },
    { heading: t('counter.linkedSince'), cell: (link) => formatDate(link.since) },
  ];
  return labelledTable('person-seniors', columns, theirs);
}

async function seniorPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  const [activity, acts, links, corrections] = await Promise.all([
    seniorActivity(senior.id, ctx.signal),
    api<{ items: ActedForAny[]; total: number }>(`/me/acted-for?seniorId=${encodeURIComponent(senior.id)}&limit=${SENIOR_ACTS_SHOWN}`, {
      signal: ctx.signal,
    }).catch(() => null),
    familyLinksOf(senior.id, ctx.signal),
    correctionsOf(senior.id, ctx.signal),
  ]);
  const base = `/counter/seniors/${senior.id}`;
  // A senior may act for another senior too (a spouse): her relatives are the links she is the senior of.
  const hers = links?.filter((link) => link.seniorId === senior.id) ?? null;
  const actsFor = links?.filter((link) => link.relativeId === senior.id).length ?? 0;
  renderPage(
    ctx,
    senior.name,
    html`<div class="staff">
      <p><a class="back-link" href="/counter">${t('counter.title')}</a></p>
      <h1>${senior.name}</h1>
      <dl class="facts">
        <div>
          <dt>${t('field.idCardNumber')}</dt>
          <dd>${senior.idCardNumberMasked ?? '—'}</dd>
        </div>
        <div>
          <dt>${t('field.birthDate')}</dt>
          <dd>${formatDate(senior.birthDate)}</dd>
        </div>
        <div>
          <dt>${t('counter.card')}</dt>
          <dd data-testid="card-number">${groupedCard(senior.cardNumber) || t('counter.noCard')}</dd>
        </div>
        <div>
          <dt>${t('counter.phone')}</dt>
          <dd>${senior.phoneMasked ?? t('counter.noPhone')}</dd>
        </div>
        <div>
          <dt>${t('counter.volunteer')}</dt>
          <dd id="volunteer-fact">${senior.roles.includes('VOLUNTEER') ? t('counter.isVolunteer') : t('counter.notVolunteer')}</dd>
        </div>
      </dl>
      <h2>${t('counter.actions')}</h2>
      <div class="button-group">
        <a class="button button--primary" href="${base}/apply/course">${t('counter.applyFor')}</a>
        <a class="button button--secondary" href="${base}/redeem/service-type">${t('counter.redeemFor')}</a>
        <a class="button button--secondary" href="${base}/request/service-type">${t('counter.requestFor')}</a>
        <a class="button button--secondary" href="${base}/give/recipient">${t('counter.giveFor')}</a>
        <a class="button button--secondary" href="${base}/card">${t('counter.printCard')}</a>
        <a class="button button--secondary" href="${base}/reset">${t('counter.reset')}</a>
        <a class="button button--secondary" href="${base}/link">${t('counter.link')}</a>
        ${correctButton({ person: senior, page: base, api: `/seniors/${senior.id}` })}
        ${
          senior.roles.includes('VOLUNTEER')
            ? html`<a class="button button--secondary" href="${base}/volunteer/end">${t('counter.endVolunteer')}</a>`
            : html`<a class="button button--secondary" href="${base}/volunteer">${t('counter.enrol')}</a>`
        }
        ${closeButton({ person: senior, page: base, api: `/seniors/${senior.id}` })}
      </div>
      ${correctionsHtml(corrections)}
      <h2>${t('counter.relatives', { n: hers?.length ?? 0 })}</h2>
      ${relativesHtml(hers, base)}
      ${
        actsFor > 0
          ? html`<h2>${t('counter.actsFor', { n: actsFor })}</h2>
              ${seniorsActedForHtml(links, senior.id)}`
          : ''
      }
      ${activityHtml(activity, base)}
      <h2>${t('counter.acts')}</h2>
      ${
        acts === null
          ? html`<p class="notice">${t('counter.actsUnavailable')}</p>`
          : acts.total === 0
            ? html`<p>${t('counter.actsNone')}</p>`
            : html`${acts.total > acts.items.length ? html`<p>${t('counter.actsLatest', { shown: acts.items.length, total: acts.total })}</p>` : ''}
              ${actedTable('senior-acts', acts.items, false)}`
      }
    </div>`,
  );
}

async function cardPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  const card = await api<string>(`/seniors/${senior.id}/card`, { signal: ctx.signal, headers: { Accept: 'text/html' } });
  renderPage(
    ctx,
    t('counter.cardTitle', { name: senior.name }),
    html`<div class="staff">
      <p><a class="back-link" href="/counter/seniors/${senior.id}">${senior.name}</a></p>
      <h1>${t('counter.cardTitle', { name: senior.name })}</h1>
      <p>${t('counter.cardIntro')}</p>
      <iframe id="card-frame" class="card-frame" title="${t('counter.cardFrame', { name: senior.name })}" srcdoc="${card}"></iframe>
      <div class="button-group"><button type="button" class="button button--primary" id="print-card">${t('counter.print')}</button></div>
    </div>`,
  );
  byId('print-card')?.addEventListener('click', () => byId<HTMLIFrameElement>('card-frame')?.contentWindow?.print());
}

/** A one-time code just made, to be handed over in person, with how long it works and where it is used. */
export function codeNotice(code: { oneTimeCode: string; expiresAt: string }, giveTo: string): SafeHtml {
  return html`<div class="notice notice--success" role="status">
    <p>${giveTo}</p>
    <p class="code code--big" data-testid="one-time-code">${code.oneTimeCode}</p>
    <p>${t('counter.codeUntil', { at: formatDateTime(code.expiresAt) })}</p>
    <p>${t('counter.codeHow')}</p>
  </div>`;
}

export async function resetPage(ctx: PageContext, load: ServedLoader, errors: string[] = [], code?: { oneTimeCode: string; expiresAt: string }): Promise<void> {
  const served = await load(ctx);
  const senior = served.person;
  renderPage(
    ctx,
    t('counter.resetTitle', { name: senior.name }),
    html`<div class="staff">
      <p><a class="back-link" href="${served.page}">${senior.name}</a></p>
      ${errorSummary(errors)}
      <h1>${t('counter.resetTitle', { name: senior.name })}</h1>
      ${
        code
          ? codeNotice(code, t('counter.codeIs'))
          : html`<p>${t('counter.resetIntro')}</p>
              <form id="reset-form" novalidate><div class="button-group">${button(t('counter.resetSubmit'), { primary: true })}</div></form>`
      }
    </div>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'reset-form',
    errors,
    action: async () => {
      const issued = await api<{ oneTimeCode: string; expiresAt: string }>(`${served.api}/password-reset`, { method: 'POST' });
      await resetPage(ctx, load, [], issued);
    },
    again: (found) => resetPage(ctx, load, found),
    explain: (error) => (error.code === 'PHONE_REQUIRED' ? t('counter.needsPhone') : problemText(error.code)),
  });
}

/**
 * The top of a check page at the counter about someone (their volunteering, closing their account):
 * back to their page, errors, the title, and whom it is about.
 */
export function personCheckHead(served: Served, title: string, errors: readonly (FieldError | string)[]): SafeHtml {
  const senior = served.person;
  return html`<p><a class="back-link" href="${served.page}">${senior.name}</a></p>
    ${errorSummary(errors)}
    <h1>${title}</h1>
    ${summaryList([
      { label: t('field.name'), value: senior.name },
      { label: t('field.idCardNumber'), value: senior.idCardNumberMasked ?? '—' },
      { label: t('counter.phone'), value: senior.phoneMasked ?? t('counter.noPhone') },
    ])}`;
}

/**
 * Enrolling the senior as a volunteer, after the ID card is checked: what it lets them do, and
 * that their phone signs in again. Without a phone (a volunteer signs in to log services) the
 * page says so and offers nothing to press; already enrolled, it says that.
 */
export async function enrolPage(ctx: PageContext, load: ServedLoader, errors: string[] = []): Promise<void> {
  const served = await load(ctx);
  const senior = served.person;
  const title = t('counter.enrolTitle', { name: senior.name });
  const enrolled = senior.roles.includes('VOLUNTEER');
  renderPage(
    ctx,
    title,
    html`<div class="staff">
      ${personCheckHead(served, title, errors)}
      ${
        enrolled
          ? html`<p class="notice" role="status">${t('counter.alreadyVolunteer', { name: senior.name })}</p>`
          : senior.phoneMasked === null
            ? html`<p class="notice">${t('counter.enrolNeedsPhone', { name: senior.name })}</p>`
            : html`<p>${t('counter.enrolIntro', { name: senior.name })}</p>
                <form id="enrol-form" novalidate>
                  <div class="button-group">
                    ${button(t('counter.enrolSubmit'), { primary: true })}
                    <a class="button button--secondary" href="${served.page}">${t('counter.enrolNotNow')}</a>
                  </div>
                </form>`
      }
    </div>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'enrol-form',
    errors,
    action: async () => {
      await api(`${served.api}/volunteer`, { method: 'POST' });
      flash(t('counter.enrolled', { name: senior.name }));
      navigate(served.page);
    },
    again: (found) => enrolPage(ctx, load, found),
    explain: (error) =>
      error.code === 'PHONE_REQUIRED'
        ? t('counter.enrolNeedsPhone', { name: senior.name })
        : error.code === 'NOT_ELIGIBLE'
          ? t('counter.volunteerTooYoung')
          : problemText(error.code),
  });
}

/**
 * Ending the senior's time as a volunteer, as they ask, after the ID card is checked: what goes
 * back (the requests they took, their seniors told) and what stays (their minutes, the services
 * they logged). Not a volunteer (ended meanwhile, or never), the page says so.
 */
export async function endVolunteerPage(ctx: PageContext, load: ServedLoader, errors: string[] = []): Promise<void> {
  const served = await load(ctx);
  const senior = served.person;
  const title = t('counter.endTitle', { name: senior.name });
  const back = served.page;
  // An account that is only a volunteer's keeps the role: without it the person could do nothing.
  const onlyVolunteer = senior.roles.length === 1 && senior.roles.includes('VOLUNTEER');
  renderPage(
    ctx,
    title,
    html`<div class="staff">
      ${personCheckHead(served, title, errors)}
      ${
        onlyVolunteer
          ? html`<p class="notice">${t('counter.onlyVolunteer', { name: senior.name })}</p>`
          : senior.roles.includes('VOLUNTEER')
            ? html`<p>${t('counter.endIntro', { name: senior.name })}</p>
                <form id="end-volunteer-form" novalidate>
                  <div class="button-group">
                    ${button(t('counter.endSubmit'), { warning: true })}
                    <a class="button button--secondary" href="${back}">${t('counter.endNotNow')}</a>
                  </div>
                </form>`
            : html`<p class="notice" role="status">${t('counter.notAVolunteer', { name: senior.name })}</p>`
      }
    </div>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'end-volunteer-form',
    errors,
    action: async () => {
      await api(`${served.api}/volunteer`, { method: 'DELETE' });
      flash(t('counter.ended', { name: senior.name }));
      navigate(back);
    },
    again: (found) => endVolunteerPage(ctx, load, found),
    explain: (error) => (error.code === 'LAST_ROLE' ? t('counter.onlyVolunteer', { name: senior.name }) : problemText(error.code)),
  });
}

/** The administrator's button to close someone's account on their page at the counter. */
export function closeButton(served: Served): SafeHtml {
  return hasRole('ADMIN') ? html`<a class="button button--secondary" href="${served.page}/close">${t('counter.close')}</a>` : html``;
}

/**
 * An administrator closes someone's account at the counter, as they ask, once their ID card is
 * checked: the page says what ends with it (for a senior it counts her courses, her bookings
 * still to come and her requests for help not yet done; for a relative, the links; for a
 * volunteer, the requests taken) and what stays, and that a restore brings none of it back.
 * The removal ends them all in its own transaction; the page then returns to the search.
 */
export async function closeForPage(ctx: PageContext, load: ServedLoader, errors: string[] = []): Promise<void> {
  const served = await load(ctx);
  const person = served.person;
  const isSenior = person.roles.includes('SENIOR');
  const activity = isSenior ? await seniorActivity(person.id, ctx.signal) : null;
  const now = Date.now();
  const places = activity?.tickets.filter(isActive).length ?? 0;
  const bookings = activity?.bookings.filter((booking) => Date.parse(booking.scheduledFor) > now).length ?? 0;
  const requests = activity?.requests?.filter((request) => request.status === 'OPEN' || request.status === 'CLAIMED').length ?? 0;
  const name = person.name;
  const title = t('counter.closeTitle', { name });
  renderPage(
    ctx,
    title,
    html`<div class="staff">
      ${personCheckHead(served, title, errors)}
      <p>${t('counter.closeIntro')}</p>
      <ul class="plain-list" id="close-ends">
        <li>${t('counter.closeSignIn', { name })}</li>
        ${isSenior ? html`<li>${t('counter.closeActedFor', { name })}</li>` : ''}
        ${person.roles.includes('FAMILY') ? html`<li>${t('counter.closeLinks', { name })}</li>` : ''}
        ${places > 0 ? html`<li>${t('counter.closePlaces', { count: places })}</li>` : ''}
        ${bookings > 0 ? html`<li>${t('counter.closeBookings', { count: bookings })}</li>` : ''}
        ${!isSenior && person.roles.includes('VOLUNTEER') ? html`<li>${t('counter.closeBookingsAny')}</li>` : ''}
        ${requests > 0 ? html`<li>${t('counter.closeRequests', { count: requests })}</li>` : ''}
        ${person.roles.includes('VOLUNTEER') ? html`<li>${t('counter.closeClaims', { name })}</li>` : ''}
        <li>${t('counter.closeKeeps')}</li>
      </ul>
      <form id="close-account-form" novalidate>
        <div class="button-group">
          ${button(t('counter.closeSubmit'), { warning: true })}
          <a class="button button--secondary" href="${served.page}">${t('counter.closeNotNow')}</a>
        </div>
      </form>
    </div>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'close-account-form',
    errors,
    action: async () => {
      await api(`/users/${encodeURIComponent(person.id)}`, { method: 'DELETE' });
      flash(t('counter.closed', { name }));
      navigate('/counter', { replace: true });
    },
    again: (found) => closeForPage(ctx, load, found),
  });
}

/**
 * Ending a relative's link as the senior asks at the counter, after the ID card is checked: it
 * ends at once, and the relative can no longer act for her. A link ended meanwhile is not found.
 */
async function endLinkForPage(ctx: PageContext, errors: string[] = []): Promise<void> {
  const served = await seniorServed(ctx);
  const senior = served.person;
  const link = (await familyLinksOf(senior.id, ctx.signal))?.find((found) => found.id === ctx.params.linkId && found.seniorId === senior.id);
  if (!link) {
    renderPage(
      ctx,
      t('counter.linkGone'),
      html`<div class="staff">
        <p><a class="back-link" href="${served.page}">${senior.name}</a></p>
        <h1>${t('counter.linkGone')}</h1>
        <p>${t('counter.linkGoneText', { name: senior.name })}</p>
      </div>`,
    );
    return;
  }
  const names = { senior: senior.name, relative: link.relative.name };
  const title = t('counter.endLinkTitle', names);
  renderPage(
    ctx,
    title,
    html`<div class="staff">
      <p><a class="back-link" href="${served.page}">${senior.name}</a></p>
      ${errorSummary(errors)}
      <h1>${title}</h1>
      ${summaryList([
        { label: t('counter.relative'), value: link.relative.name },
        { label: t('counter.relation'), value: label('relationship', link.relation) },
        { label: t('counter.phone'), value: link.relative.phoneMasked ?? t('counter.noPhone') },
        { label: t('counter.linkedSince'), value: formatDate(link.since) },
      ])}
      <p>${t('counter.endLinkIntro', names)}</p>
      <form id="end-link-form" novalidate>
        <div class="button-group">
          ${button(t('family.endSubmit'), { warning: true })}
          <a class="button button--secondary" href="${served.page}">${t('family.endCancel')}</a>
        </div>
      </form>
    </div>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'end-link-form',
    errors,
    action: async () => {
      await api(`/family-links/${encodeURIComponent(link.id)}`, { method: 'DELETE' });
      flash(t('counter.linkEnded', names));
      navigate(served.page);
    },
    again: (found) => endLinkForPage(ctx, found),
  });
}

/** The relative's mobile number, asked the same way at the counter and by a senior linking family. */
function relativePhoneField(): Field {
  return {
    name: 'relativePhone',
    label: t('family.qPhone'),
    hint: t('family.phoneHint'),
    type: 'tel',
    inputmode: 'tel',
    autocomplete: 'off',
    width: 'medium',
    validate: phoneProblem,
  };
}

async function linkPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  simpleForm(ctx, {
    title: t('counter.linkTitle', { name: senior.name }),
    before: html`<p><a class="back-link" href="/counter/seniors/${senior.id}">${senior.name}</a></p>`,
    intro: html`<p>${t('counter.linkIntro')}</p>`,
    fields: [
      relativePhoneField(),
      { name: 'relation', label: t('family.qRelation'), type: 'radio', options: RELATIONS.map((value) => ({ value, label: label('relationship', value) })) },
    ],
    submitLabel: t('family.linkSubmit'),
    onSubmit: async (v: Values) => {
      await api('/family-links', { method: 'POST', body: { seniorId: senior.id, relativePhone: cleanPhone(String(v.relativePhone)), relation: v.relation } });
      flash(t('family.linked'));
      navigate(`/counter/seniors/${senior.id}`);
    },
  });
}

async function redeemForPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  const backHref = `/counter/seniors/${senior.id}`;
  await runRedeemWizard(ctx, { seniorId: senior.id, name: senior.name, base: `${backHref}/redeem`, backHref });
}

async function giveForPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  const backHref = `/counter/seniors/${senior.id}`;
  await runGiveWizard(ctx, { seniorId: senior.id, name: senior.name, base: `${backHref}/give`, backHref });
}

async function cancelBookingForPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  await cancelBookingPage(ctx, ctx.params.bookingId ?? '', { seniorId: senior.id, name: senior.name, backHref: `/counter/seniors/${senior.id}` });
}

async function cancelApplicationForPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  await cancelApplicationPage(ctx, { seniorId: senior.id, name: senior.name, backHref: `/counter/seniors/${senior.id}` });
}

async function requestForPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  const backHref = `/counter/seniors/${senior.id}`;
  runWizard(ctx, requestWizard({ seniorId: senior.id, name: senior.name, base: `${backHref}/request`, backHref }));
}

async function cancelRequestForPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  await cancelRequestPage(ctx, { seniorId: senior.id, name: senior.name, backHref: `/counter/seniors/${senior.id}` });
}

/** A service logged for the senior, decided at the counter as the senior says. */
async function serviceForPage(ctx: PageContext, reject: boolean): Promise<void> {
  const senior = await seniorOf(ctx);
  const backHref = `/counter/seniors/${senior.id}`;
  const forSenior = { seniorId: senior.id, name: senior.name, base: `${backHref}/services`, backHref };
  await (reject ? rejectServicePage(ctx, forSenior) : servicePage(ctx, forSenior));
}

async function applyForPage(ctx: PageContext): Promise<void> {
  const senior = await seniorOf(ctx);
  await runApplyFor(ctx, senior.id, senior.name, `/counter/seniors/${senior.id}/apply`, `/counter/seniors/${senior.id}`);
}

/* ------------------------------------------------------------------------------------------ */
/* My family: relatives act for the seniors linked to them; seniors see and end their links.   */

export interface FamilyLink {
  id: string;
  seniorId: string;
  relativeId: string;
  relation: string;
  since: string;
  senior: { name: string; cardNumber: string | null };
  relative: { name: string; phoneMasked: string | null };
}

interface ActedFor {
  at: string;
  action: string;
  subjectId: string | null;
  actedBy: { name: string; as: string; relation: string | null };
}

/** An act's route pattern, without the API's prefix if an older record has it. */
function actionKey(action: string): string {
  return action.replace(/^(\w+) \/api\/v1/, '$1 ');
}

/**
 * Each kind of act for a senior (by its route pattern): how the senior is told of it, how staff's
 * records name it, and the senior's own page of what it was about (a ticket, a service), if any.
 */
const ACTS: Record<string, { toSenior: TextKey; done: TextKey; page?: (subjectId: string) => string }> = {
  'POST /enrolment/applications': { toSenior: 'acted.apply', done: 'actedLog.apply', page: (id) => `/applications/${id}` },
  'DELETE /enrolment/applications/:ticketId': { toSenior: 'acted.cancel', done: 'actedLog.cancel', page: (id) => `/applications/${id}` },
  'POST /time-bank/redemptions': { toSenior: 'acted.redeem', done: 'actedLog.redeem' },
  'POST /time-bank/requests': { toSenior: 'acted.request', done: 'actedLog.request' },
  'POST /time-bank/requests/:id/cancel': { toSenior: 'acted.cancelRequest', done: 'actedLog.cancelRequest' },
  'POST /time-bank/services/:id/confirm': { toSenior: 'acted.confirm', done: 'actedLog.confirm', page: (id) => `/time-bank/services/${id}` },
  'POST /time-bank/services/:id/reject': { toSenior: 'acted.reject', done: 'actedLog.reject', page: (id) => `/time-bank/services/${id}` },
  'POST /seniors/:id/volunteer': { toSenior: 'acted.volunteer', done: 'actedLog.volunteer' },
  'DELETE /seniors/:id/volunteer': { toSenior: 'acted.endVolunteer', done: 'actedLog.endVolunteer' },
  'POST /time-bank/gifts': { toSenior: 'acted.give', done: 'actedLog.give' },
  'POST /time-bank/redemptions/:id/cancel': { toSenior: 'acted.cancelBooking', done: 'actedLog.cancelBooking' },
  'PUT /people/:id/id-card': { toSenior: 'acted.correctId', done: 'actedLog.correctId' },
  'POST /people/:id/volunteer': { toSenior: 'acted.volunteer', done: 'actedLog.volunteer' },
  'DELETE /people/:id/volunteer': { toSenior: 'acted.endVolunteer', done: 'actedLog.endVolunteer' },
  'DELETE /users/:id': { toSenior: 'acted.removeAccount', done: 'actedLog.removeAccount' },
  'POST /users/:id/restore': { toSenior: 'acted.restoreAccount', done: 'actedLog.restoreAccount' },
};

/** The senior's own page of what an act was about, where there is one. */
function subjectHref(entry: ActedFor): string | null {
  const page = ACTS[actionKey(entry.action)]?.page;
  return page && entry.subjectId ? page(entry.subjectId) : null;
}

function actionText(action: string): string {
  const act = ACTS[actionKey(action)];
  return act ? t(act.toSenior) : t('acted.other');
}

function whoActed(entry: ActedFor): string {
  if (entry.actedBy.as === 'FAMILY')
    return t('acted.byFamily', {
      relation: entry.actedBy.relation ? label('relationship', entry.actedBy.relation) : t('acted.relative'),
      name: entry.actedBy.name,
    });
  const name = { name: entry.actedBy.name };
  if (entry.actedBy.as === 'COUNTER') return t('acted.byCounter', name);
  return entry.actedBy.as === 'MANAGER' ? t('acted.byStaff', name) : t('acted.byAdmin', name);
}

/** What was done, as the administrators' record names it (not addressed to the senior). */
function actionDone(action: string): string {
  const act = ACTS[actionKey(action)];
  return act ? t(act.done) : t('actedLog.other');
}

/** An act as the administrators' record lists it: whom it was for as well. */
interface ActedForAny extends ActedFor {
  senior: { id: string; name: string };
}

const ACTED_LOG_PAGE_SIZE = 50;

/**
 * Every act done for a senior by someone else, newest first, 50 to a page: the bureau's view of
 * who acts for seniors (relatives, the counter, administrators, care-centre staff), so that acts
 * a senior would not recognise can be found and followed up. Each senior's name leads to their
 * page at the counter.
 */
function actedLogPage(ctx: PageContext): Promise<void> {
  return listPage<ActedForAny>(ctx, {
    href: '/admin/acted-for',
    source: '/people/acted-for',
    size: ACTED_LOG_PAGE_SIZE,
    title: t('actedLog.title'),
    back: html`<p><a class="back-link" href="/admin">${t('admin.title')}</a></p>`,
    countId: 'acted-log-count',
    count: (total) => (total === 0 ? t('actedLog.none') : t('actedLog.intro', { count: total })),
    items: (entries) => actedTable('acted-log', entries, true),
    desk: true,
  });
}

/**
 * Acts for seniors (and a relative's enrolment as a volunteer) as staff read them: when, for whom
 * (`withSenior`, linked to their page at the counter), by whom, as what, what.
 */
function actedTable(id: string, entries: ActedForAny[], withSenior: boolean): SafeHtml {
  const columns: TableColumn<ActedForAny>[] = [
    { heading: t('actedLog.when'), cell: (entry) => formatDateTime(entry.at) },
    ...(withSenior
      ? [{ heading: t('actedLog.senior'), cell: (entry: ActedForAny) => html`<a href="/counter/people/${entry.senior.id}">${entry.senior.name}</a>` }]
      : []),
    { heading: t('actedLog.by'), cell: (entry) => entry.actedBy.name },
    {
      heading: t('actedLog.as'),
      cell: (entry) =>
        entry.actedBy.as === 'FAMILY' && entry.actedBy.relation
          ? t('list.aside', { main: label('actingAs', 'FAMILY'), note: label('relationship', entry.actedBy.relation) })
          : label('actingAs', entry.actedBy.as),
    },
    { heading: t('actedLog.what'), cell: (entry) => actionDone(entry.action) },
  ];
  return labelledTable(id, columns, entries);
}

/** Who did what for the senior, linked to the ticket's or service's page when it has one. */
function historyWhat(entry: ActedFor): SafeHtml | string {
  const text = `${whoActed(entry)}${actionText(entry.action)}`;
  const href = subjectHref(entry);
  return href ? html`<a href="${href}">${text}</a>` : text;
}

async function familyPage(ctx: PageContext): Promise<void> {
  const links = (await api<{ items: FamilyLink[] }>('/family-links', { signal: ctx.signal })).items;
  const self = currentUser()?.id;
  const seniorsILookAfter = links.filter((link) => link.relativeId === self);
  const myRelatives = links.filter((link) => link.seniorId === self);
  const activities = await Promise.all(seniorsILookAfter.map((link) => seniorActivity(link.seniorId, ctx.signal)));
  // A senior sees what others did for them whether or not they have linked relatives: the
  // counter and care-centre staff act for seniors too.
  const senior = currentUser()?.roles.includes('SENIOR') ?? false;
  const history = senior
    ? (await api<{ items: ActedFor[] }>('/me/acted-for?limit=20', { signal: ctx.signal }).catch(() => ({ items: [] as ActedFor[] }))).items
    : [];
  renderPage(
    ctx,
    t('family.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('family.title')}</h1>
      ${seniorsILookAfter.length === 0 && myRelatives.length === 0 ? html`<p>${senior ? t('family.noneSenior') : t('family.none')}</p>` : ''}
      ${senior ? html`<div class="button-group"><a class="button button--primary" href="/family/link/phone">${t('family.add')}</a></div>` : ''}
      ${seniorsILookAfter.map(
        (link, index) =>
          html`<section class="card" aria-labelledby="senior-${index}">
            <h2 id="senior-${index}">${link.senior.name}<span class="tag">${label('relationship', link.relation)}</span></h2>
            <div class="button-group">
              <a class="button button--primary" href="/family/${link.seniorId}/apply/course">${t('family.applyFor', { name: link.senior.name })}</a>
              <a class="button button--secondary" href="/family/${link.seniorId}/redeem/service-type">${t('family.redeemFor', { name: link.senior.name })}</a>
              <a class="button button--secondary" href="/family/${link.seniorId}/request/service-type">${t('family.requestFor', { name: link.senior.name })}</a>
              <a class="button button--secondary" href="/family/${link.seniorId}/give/recipient">${t('family.giveFor', { name: link.senior.name })}</a>
              <a class="button button--secondary" href="/family/links/${link.id}/end">${actionFor(t('family.end'), link.senior.name)}</a>
            </div>
            ${activities[index] ? activityHtml(activities[index], `/family/${link.seniorId}`, 'h3') : ''}
          </section>`,
      )}
      ${
        myRelatives.length > 0
          ? html`<h2>${t('family.myRelatives')}</h2>
              <ul class="cards">
                ${myRelatives.map(
                  (link) =>
                    html`<li class="card">
                      <p class="card-title">${t('list.aside', { main: link.relative.name, note: label('relationship', link.relation) })}</p>
                      <p class="meta">${t('family.since', { date: formatDate(link.since) })}</p>
                      <p class="card-action">
                        <a class="button button--secondary" href="/family/links/${link.id}/end">${actionFor(t('family.end'), link.relative.name)}</a>
                      </p>
                    </li>`,
                )}
              </ul>`
          : ''
      }
      ${
        senior
          ? html`<h2>${t('family.history')}</h2>
              ${
                history.length === 0
                  ? html`<p>${t('family.noHistory')}</p>`
                  : html`<ol class="history">
                      ${history.map(
                        (entry) =>
                          html`<li class="history-item">
                            <p class="history-what">${historyWhat(entry)}</p>
                            <p class="meta">${formatDateTime(entry.at)}</p>
                          </li>`,
                      )}
                    </ol>`
              }`
          : ''
      }`,
  );
}

/** The caller's live link to the senior in the path, or a "not linked" page and null. */
async function familyLinkOf(ctx: PageContext): Promise<FamilyLink | null> {
  const seniorId = ctx.params.seniorId ?? '';
  const links = (await api<{ items: FamilyLink[] }>('/family-links', { signal: ctx.signal })).items;
  const link = links.find((l) => l.seniorId === seniorId);
  if (!link)
    renderPage(
      ctx,
      t('notFound.title'),
      html`<h1>${t('notFound.title')}</h1>
        <p>${t('family.notLinked')}</p>
        <p><a href="/family">${t('family.title')}</a></p>`,
    );
  return link ?? null;
}

async function familyApplyPage(ctx: PageContext): Promise<void> {
  const link = await familyLinkOf(ctx);
  if (link) await runApplyFor(ctx, link.seniorId, link.senior.name, `/family/${link.seniorId}/apply`, '/family');
}

async function familyRedeemPage(ctx: PageContext): Promise<void> {
  const link = await familyLinkOf(ctx);
  if (link) await runRedeemWizard(ctx, { seniorId: link.seniorId, name: link.senior.name, base: `/family/${link.seniorId}/redeem`, backHref: '/family' });
}

async function familyGivePage(ctx: PageContext): Promise<void> {
  const link = await familyLinkOf(ctx);
  if (link) await runGiveWizard(ctx, { seniorId: link.seniorId, name: link.senior.name, base: `/family/${link.seniorId}/give`, backHref: '/family' });
}

async function familyCancelBookingPage(ctx: PageContext): Promise<void> {
  const link = await familyLinkOf(ctx);
  if (link) await cancelBookingPage(ctx, ctx.params.bookingId ?? '', { seniorId: link.seniorId, name: link.senior.name, backHref: '/family' });
}

async function familyCancelApplicationPage(ctx: PageContext): Promise<void> {
  const link = await familyLinkOf(ctx);
  if (link) await cancelApplicationPage(ctx, { seniorId: link.seniorId, name: link.senior.name, backHref: '/family' });
}

async function familyRequestPage(ctx: PageContext): Promise<void> {
  const link = await familyLinkOf(ctx);
  if (link) runWizard(ctx, requestWizard({ seniorId: link.seniorId, name: link.senior.name, base: `/family/${link.seniorId}/request`, backHref: '/family' }));
}

async function familyCancelRequestPage(ctx: PageContext): Promise<void> {
  const link = await familyLinkOf(ctx);
  if (link) await cancelRequestPage(ctx, { seniorId: link.seniorId, name: link.senior.name, backHref: '/family' });
}

async function familyServicePage(ctx: PageContext, reject: boolean): Promise<void> {
  const link = await familyLinkOf(ctx);
  if (!link) return;
  const forSenior = { seniorId: link.seniorId, name: link.senior.name, base: `/family/${link.seniorId}/services`, backHref: '/family' };
  await (reject ? rejectServicePage(ctx, forSenior) : servicePage(ctx, forSenior));
}

/** A senior links a relative: the relative's phone, what they are to the senior, check, link. */
function linkWizard(): Wizard {
  return {
    key: 'family-link',
    base: '/family/link',
    title: t('family.linkTitle'),
    backHref: '/family',
    steps: [
      {
        id: 'phone',
        fields: [relativePhoneField()],
      },
      {
        id: 'relation',
        fields: [
          {
            name: 'relation',
            label: t('family.qRelation'),
            type: 'radio',
            options: RELATIONS.map((value) => ({ value, label: label('relationship', value) })),
          },
        ],
      },
    ],
    checkIntro: html`<p>${t('family.linkCheck')}</p>`,
    summary: (v) => [
      { label: t('family.qPhone'), value: cleanPhone(String(v.relativePhone)), step: 'phone' },
      { label: t('family.qRelation'), value: label('relationship', String(v.relation)), step: 'relation' },
    ],
    submitLabel: t('family.linkSubmit'),
    stepOfField: (field) => ({ relativePhone: 'phone', relation: 'relation' })[field],
    submit: async (v) => {
      await api('/family-links', { method: 'POST', body: { relativePhone: cleanPhone(String(v.relativePhone)), relation: v.relation } });
      return { to: '/family', message: t('family.linked') };
    },
  };
}

/** Ending a link, by either side: a decision page, then the link ends at once. */
async function endLinkPage(ctx: PageContext, errors: string[] = []): Promise<void> {
  const links = (await api<{ items: FamilyLink[] }>('/family-links', { signal: ctx.signal })).items;
  const link = links.find((l) => l.id === ctx.params.id);
  if (!link) {
    renderPage(
      ctx,
      t('notFound.title'),
      html`<h1>${t('notFound.title')}</h1>
        <p><a href="/family">${t('family.title')}</a></p>`,
    );
    return;
  }
  const other = link.relativeId === currentUser()?.id ? link.senior.name : link.relative.name;
  renderPage(
    ctx,
    t('family.endTitle', { name: other }),
    html`<p><a class="back-link" href="/family">${t('nav.back')}</a></p>
      ${errorSummary(errors)}
      <h1>${t('family.endTitle', { name: other })}</h1>
      <p>${t('family.endIntro')}</p>
      <form id="end-form" novalidate>
        <div class="button-group">
          ${button(t('family.endSubmit'), { primary: true, warning: true })}<a class="button button--secondary" href="/family">${t('family.endCancel')}</a>
        </div>
      </form>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'end-form',
    errors,
    action: async () => {
      await api(`/family-links/${encodeURIComponent(link.id)}`, { method: 'DELETE' });
      flash(t('family.ended', { name: other }));
      navigate('/family');
    },
    again: (found) => endLinkPage(ctx, found),
  });
}

export const counterRoutes: Route[] = [
  { pattern: '/counter', page: searchPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/register/:step', page: (ctx) => runWizard(ctx, registerWizard()), roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id', page: seniorPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/card', page: cardPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/reset', page: (ctx) => resetPage(ctx, seniorServed), roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/link', page: linkPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/id-card', page: (ctx) => correctIdCardPage(ctx, seniorServed), roles: ['ADMIN'] },
  { pattern: '/counter/seniors/:id/close', page: (ctx) => closeForPage(ctx, seniorServed), roles: ['ADMIN'] },
  { pattern: '/counter/seniors/:id/links/:linkId/end', page: (ctx) => endLinkForPage(ctx), roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/volunteer', page: (ctx) => enrolPage(ctx, seniorServed), roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/volunteer/end', page: (ctx) => endVolunteerPage(ctx, seniorServed), roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/apply/:step', page: applyForPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/redeem/:step', page: redeemForPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/request/:step', page: requestForPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/give/:step', page: giveForPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/bookings/:bookingId/cancel', page: cancelBookingForPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/applications/:ticketId/cancel', page: cancelApplicationForPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/requests/:requestId/cancel', page: cancelRequestForPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/services/:serviceId', page: (ctx) => serviceForPage(ctx, false), roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/seniors/:id/services/:serviceId/reject/:step', page: (ctx) => serviceForPage(ctx, true), roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/family', page: familyPage, signedIn: true },
  { pattern: '/family/:seniorId/apply/:step', page: familyApplyPage, signedIn: true },
  { pattern: '/family/:seniorId/redeem/:step', page: familyRedeemPage, signedIn: true },
  { pattern: '/family/:seniorId/request/:step', page: familyRequestPage, signedIn: true },
  { pattern: '/family/:seniorId/give/:step', page: familyGivePage, signedIn: true },
  { pattern: '/family/:seniorId/bookings/:bookingId/cancel', page: familyCancelBookingPage, signedIn: true },
  { pattern: '/family/:seniorId/applications/:ticketId/cancel', page: familyCancelApplicationPage, signedIn: true },
  { pattern: '/family/:seniorId/requests/:requestId/cancel', page: familyCancelRequestPage, signedIn: true },
  { pattern: '/family/:seniorId/services/:serviceId', page: (ctx) => familyServicePage(ctx, false), signedIn: true },
  { pattern: '/family/:seniorId/services/:serviceId/reject/:step', page: (ctx) => familyServicePage(ctx, true), signedIn: true },
  { pattern: '/family/link/:step', page: (ctx) => runWizard(ctx, linkWizard()), roles: ['SENIOR'] },
  { pattern: '/family/links/:id/end', page: (ctx) => endLinkPage(ctx), signedIn: true },
  { pattern: '/admin/acted-for', page: actedLogPage, roles: ['ADMIN'] },
];
