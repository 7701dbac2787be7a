import { api, type ApiError } from '../api';
import { html, type SafeHtml } from '../dom';
import { type Field, fieldId, simpleForm, summaryList, type SummaryRow } from '../forms';
import { formatDateTime, formatMinutes } from '../format';
import { label, t } from '../i18n';
import { labelledTable, listPage, type TableColumn } from '../paging';
import { DAY_MS } from '../when';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { currentUser } from '../session';
import type { ServiceRecord } from './time-bank';

/*
 * Staff's pages of the time bank's services (desk pages, docs/quality.md): those a volunteer asked
 * them to review after the elder said they did not happen, a dense list and one page per service
 * with both sides' words and the decision; and those still waiting for the word of the seniors
 * they serve, which they may answer for an elder they have asked.
 */

const REVIEWS_PAGE_SIZE = 50;

/** A statement cut short for the list (its page shows it whole), by characters rather than UTF-16 units. */
function shortened(text: string | null | undefined, max = 80): string {
  const characters = Array.from(text ?? '');
  return characters.length > max ? `${characters.slice(0, max).join('')}…` : characters.join('');
}

/** A column of a staff list of services: its heading and each row's cell. */
type Column = TableColumn<ServiceRecord>;

// Made when a page is drawn, in the language of the moment.
const volunteerColumn = (): Column => ({ heading: t('reviews.volunteer'), cell: (service) => service.volunteer?.name ?? '' });
const elderColumn = (): Column => ({ heading: t('reviews.elder'), cell: (service) => service.recipient?.name ?? '' });
/** What, when and how long. */
const serviceColumns = (): Column[] => [
  { heading: t('field.serviceType'), cell: (service) => label('serviceType', service.serviceType) },
  { heading: t('field.when'), cell: (service) => formatDateTime(service.startedAt) },
  { heading: t('field.duration'), cell: (service) => formatMinutes(service.durationMinutes) },
];

/** A service's facts on its own page: the list's columns as rows, then its note. */
function serviceRows(service: ServiceRecord, columns: Column[]): SummaryRow[] {
  return [
    ...columns.map((column) => ({ label: column.heading, value: column.cell(service) })),
    ...(service.note ? [{ label: t('field.note'), value: service.note }] : []),
  ];
}

/**
 * A dense table of services (`id`), one per row in `columns`, each row ending with a link to the
 * service's page under `base` (`action`, named for screen readers by who, for whom and what).
 */
function serviceTable(id: string, columns: Column[], base: string, action: string, services: ServiceRecord[]): SafeHtml {
  return labelledTable(id, columns, services, {
    heading: action,
    cell: (service) => {
      const named = {
        volunteer: service.volunteer?.name ?? '',
        elder: service.recipient?.name ?? '',
        service: label('serviceType', service.serviceType),
      };
      return html`<a href="${base}/${service.id}">${action}<span class="visually-hidden">${t('reviews.openName', named)}</span></a>`;
    },
  });
}

const homeLink = (): SafeHtml => html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>`;

/** The services waiting for staff's decision, oldest request first, 50 to a page (`?page=`). */
function reviewsPage(ctx: PageContext): Promise<void> {
  const columns: Column[] = [
    volunteerColumn(),
    elderColumn(),
    ...serviceColumns(),
    { heading: t('review.elderWords'), cell: (service) => shortened(service.rejectReason) },
    { heading: t('review.volunteerWords'), cell: (service) => shortened(service.review?.reason) },
  ];
  return listPage<ServiceRecord>(ctx, {
    href: '/time-bank/reviews',
    source: '/time-bank/services/under-review',
    size: REVIEWS_PAGE_SIZE,
    title: t('reviews.title'),
    back: homeLink(),
    countId: 'reviews-count',
    count: (total) => (total === 0 ? t('reviews.none') : t('reviews.intro', { count: total })),
    items: (services) => serviceTable('reviews-table', columns, '/time-bank/reviews', t('reviews.open'), services),
    desk: true,
  });
}

/** A service under review as staff read it: who, for whom, what, when, how long, then the elder's and the volunteer's words, and staff's note once decided. */
function reviewFacts(service: ServiceRecord): SafeHtml {
  const review = service.review;
  const rows: SummaryRow[] = [
    ...serviceRows(service, [volunteerColumn(), elderColumn(), ...serviceColumns()]),
    ...(service.rejectReason ? [{ label: t('review.elderWords'), value: service.rejectReason }] : []),
    ...(review
      ? [
          { label: t('review.volunteerWords'), value: review.reason },
          { label: t('reviews.requestedAt'), value: formatDateTime(review.requestedAt) },
          ...(review.note ? [{ label: t('review.staffNote'), value: review.note }] : []),
        ]
      : []),
  ];
  return summaryList(rows);
}

/** What became of a service that is not (or no longer) waiting for staff: the decision on review, or that none is to be made. */
function decidedMarkup(service: ServiceRecord): SafeHtml {
  const review = service.review;
  const outcome = review?.outcome ?? null;
  const standing = outcome
    ? html`<div class="status-panel status-panel--${outcome === 'CONFIRMED' ? 'CONFIRMED' : 'REJECTED'}" id="review-outcome" data-status="${service.status}">
        <p class="status-headline">${outcome === 'CONFIRMED' ? t('reviews.decidedConfirm') : t('reviews.decidedUphold')}</p>
        ${review?.decidedAt ? html`<p>${t('reviews.decidedAt', { at: formatDateTime(review.decidedAt) })}</p>` : ''}
      </div>`
    : html`<p id="review-outcome">${t('reviews.notUnderReview')}</p>`;
  return html`${standing} ${reviewFacts(service)}
    <div class="button-group"><a class="button button--secondary" href="/time-bank/reviews">${t('reviews.back')}</a></div>`;
}

/** A refusal of the decision in this page's words: decided the other way meanwhile. */
function decisionRefusal(error: ApiError): string | undefined {
  return error.code === 'ILLEGAL_TRANSITION' ? t('reviews.decidedOther') : undefined;
}

/**
 * One service under review: the facts, the elder's and the volunteer's words, and the decision
 * (confirm it and bank the time, or uphold the elder's word) with a note both will read. Once
 * decided, or never under review, the page says what became of it instead.
 */
async function reviewDecisionPage(ctx: PageContext): Promise<void> {
  const path = `/time-bank/services/${encodeURIComponent(ctx.params.id ?? '')}`;
  const service = await api<ServiceRecord>(path, { signal: ctx.signal });
  const back = html`<p><a class="back-link" href="/time-bank/reviews">${t('reviews.back')}</a></p>`;
  const review = service.review;
  if (service.status !== 'UNDER_REVIEW' || !review) {
    renderPage(
      ctx,
      t('reviews.decideTitle'),
      html`${back}
        <h1>${t('reviews.decideTitle')}</h1>
        ${decidedMarkup(service)}`,
    );
    return;
  }
  if (service.volunteerId === currentUser()?.id) {
    renderPage(
      ctx,
      t('reviews.decideTitle'),
      html`${back}
        <h1>${t('reviews.decideTitle')}</h1>
        <p class="notice" id="review-outcome">${t('reviews.ownService')}</p>
        ${reviewFacts(service)}`,
    );
    return;
  }
  const minutes = formatMinutes(service.durationMinutes);
  const fields: Field[] = [
    {
      name: 'outcome',
      label: t('reviews.qOutcome'),
      type: 'radio',
      options: [
        { value: 'CONFIRMED', label: t('reviews.outcomeConfirm'), hint: t('reviews.outcomeConfirmHint', { minutes }) },
        { value: 'REJECTED', label: t('reviews.outcomeUphold'), hint: t('reviews.outcomeUpholdHint') },
      ],
    },
    {
      name: 'note',
      label: t('reviews.qNote'),
      hint: t('reviews.noteHint'),
      type: 'textarea',
      validate: (v) => (v.length > 500 ? t('form.tooLong', { max: 500 }) : null),
    },
  ];
  simpleForm(ctx, {
    title: t('reviews.decideTitle'),
    before: back,
    intro: html`<p>${t('reviews.decideIntro')}</p>
      ${reviewFacts(service)}`,
    fields,
    submitLabel: t('reviews.submit'),
    explain: decisionRefusal,
    onSubmit: async (values) => {
      const outcome = values.outcome === 'CONFIRMED' ? 'CONFIRMED' : 'REJECTED';
      await api(`${path}/review-decision`, { method: 'POST', body: { outcome, note: String(values.note) } });
      flash(outcome === 'CONFIRMED' ? t('reviews.confirmed', { minutes, name: service.volunteer?.name ?? '' }) : t('reviews.upheld'));
      navigate('/time-bank/reviews');
    },
  });
}

const WAITING_PAGE_SIZE = 50;

/** How long a service has waited since it was logged, in whole days. */
function waited(service: ServiceRecord): string {
  const days = Math.floor((Date.now() - Date.parse(service.loggedAt)) / DAY_MS);
  return days >= 1 ? t('waiting.days', { days }) : t('waiting.today');
}

/** The services still waiting for the seniors the caller serves, longest waiting first, 50 to a page (`?page=`). */
function waitingPage(ctx: PageContext): Promise<void> {
  const columns: Column[] = [elderColumn(), volunteerColumn(), ...serviceColumns(), { heading: t('waiting.waited'), cell: waited }];
  return listPage<ServiceRecord>(ctx, {
    href: '/time-bank/waiting',
    source: '/time-bank/services/awaiting-elders',
    size: WAITING_PAGE_SIZE,
    title: t('waiting.title'),
    back: homeLink(),
    countId: 'waiting-count',
    count: (total) => (total === 0 ? t('waiting.none') : t('waiting.intro', { count: total })),
    items: (services) => serviceTable('waiting-table', columns, '/time-bank/waiting', t('waiting.open'), services),
    desk: true,
  });
}

/**
 * Staff answer for an elder they asked: it happened (confirmed, its minutes banked) or it did not
 * (turned down, with what the elder said). Once the service is decided, by whoever, the page says
 * so instead.
 */
async function waitingDecisionPage(ctx: PageContext): Promise<void> {
  const path = `/time-bank/services/${encodeURIComponent(ctx.params.id ?? '')}`;
  const service = await api<ServiceRecord>(path, { signal: ctx.signal });
  const back = html`<p><a class="back-link" href="/time-bank/waiting">${t('waiting.back')}</a></p>`;
  const elder = service.recipient?.name ?? '';
  const facts = summaryList(serviceRows(service, [elderColumn(), volunteerColumn(), ...serviceColumns()]));
  if (service.status !== 'PENDING_CONFIRMATION' || service.volunteerId === currentUser()?.id) {
    renderPage(
      ctx,
      t('waiting.decideTitle'),
      html`${back}
        <h1>${t('waiting.decideTitle')}</h1>
        <p class="notice" id="waiting-standing">${service.status === 'PENDING_CONFIRMATION' ? t('waiting.ownService') : t('waiting.decided')}</p>
        ${facts}`,
    );
    return;
  }
  const minutes = formatMinutes(service.durationMinutes);
  const fields: Field[] = [
    {
      name: 'outcome',
      label: t('waiting.qOutcome', { elder }),
      type: 'radio',
      options: [
        { value: 'CONFIRMED', label: t('waiting.outcomeConfirm'), hint: t('waiting.outcomeConfirmHint', { minutes }) },
        { value: 'REJECTED', label: t('waiting.outcomeReject'), hint: t('waiting.outcomeRejectHint') },
      ],
    },
    {
      name: 'reason',
      label: t('waiting.qReason'),
      hint: t('waiting.reasonHint'),
      type: 'textarea',
      optional: true,
      validate: (v) => (v.length > 500 ? t('form.tooLong', { max: 500 }) : null),
    },
  ];
  simpleForm(ctx, {
    title: t('waiting.decideTitle'),
    before: back,
    intro: html`<p>${t('waiting.decideIntro', { elder })}</p>
      ${facts}`,
    fields,
    submitLabel: t('waiting.submit'),
    check: (values) => (values.outcome === 'REJECTED' && !values.reason ? [{ target: fieldId('reason'), message: t('waiting.reasonNeeded') }] : []),
    explain: (error) => (error.code === 'ILLEGAL_TRANSITION' ? t('waiting.decided') : undefined),
    onSubmit: async (values) => {
      if (values.outcome === 'CONFIRMED') {
        await api(`${path}/confirm`, { method: 'POST' });
        flash(t('waiting.confirmed', { minutes, name: service.volunteer?.name ?? '' }));
      } else {
        await api(`${path}/reject`, { method: 'POST', body: { reason: String(values.reason) } });
        flash(t('waiting.rejected'));
      }
      navigate('/time-bank/waiting');
    },
  });
}

export const serviceReviewRoutes: Route[] = [
  { pattern: '/time-bank/waiting', page: waitingPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/time-bank/waiting/:id', page: waitingDecisionPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/time-bank/reviews', page: reviewsPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/time-bank/reviews/:id', page: reviewDecisionPage, roles: ['MANAGER', 'ADMIN'] },
];
