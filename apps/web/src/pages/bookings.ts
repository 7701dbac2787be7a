import { api } from '../api';
import { html, type SafeHtml } from '../dom';
import { actionFor, button, confirmForm, errorSummary, type Field, simpleForm, summaryList, type SummaryRow } from '../forms';
import { formatDateTime, formatMinutes } from '../format';
import { label, problemText, t } from '../i18n';
import { labelledTable, listPage, type TableColumn } from '../paging';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';

/*
 * Services booked with minutes (redemptions): the holder's own still to come, cancelled after a
 * check, by her or by whoever acts for her; and the staff's desk of the bookings they still have
 * to give, each marked given (its minutes taken) or cancelled (its minutes returned).
 */

/** A booking paid with minutes, as `/time-bank/redemptions` answers it. */
export interface Booking {
  id: string;
  userId: string;
  serviceType: string;
  minutes: number;
  scheduledFor: string;
  note: string | null;
  status: 'HELD' | 'REDEEMED' | 'CANCELLED';
  /** Why staff cancelled it, when they said. */
  cancelReason?: string | null;
  /** When it was given or cancelled (null while held). */
  decidedAt?: string | null;
  holderName?: string;
}

/** Whose bookings a page is about when someone acts for a senior: her id and name, and where to go back to. */
export interface BookingHolder {
  seniorId: string;
  name: string;
  backHref: string;
}

/** The bookings still held, as the holder's page and the pages acting for her list them. */
export function heldBookings(signal: AbortSignal, seniorId?: string): Promise<{ items: Booking[]; total: number }> {
  const forSenior = seniorId ? `&seniorId=${encodeURIComponent(seniorId)}` : '';
  return api<{ items: Booking[]; total: number }>(`/time-bank/redemptions/mine?status=HELD&limit=20${forSenior}`, { signal });
}

/** How far back the holder's page and the pages acting for her list cancelled bookings, and at most how many. */
const RECENT_DAYS = 14;
export const RECENT_SHOWN = 10;

/**
 * The bookings cancelled in the last `RECENT_DAYS` days, by anyone: she is told of those staff
 * cancel, and here she, or whoever acts for her, finds them again with why, after the message.
 */
export function recentlyCancelled(signal: AbortSignal, seniorId?: string): Promise<{ items: Booking[]; total: number }> {
  const forSenior = seniorId ? `&seniorId=${encodeURIComponent(seniorId)}` : '';
  const since = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString();
  return api<{ items: Booking[]; total: number }>(
    `/time-bank/redemptions/mine?status=CANCELLED&decidedSince=${encodeURIComponent(since)}&limit=${RECENT_SHOWN}${forSenior}`,
    { signal },
  );
}

/** A booking's facts, a row each: for whom (when asked), what, when, the minutes held, the note, and why staff cancelled it. */
function bookingRows(booking: Booking, withHolder = false): SummaryRow[] {
  return [
    ...(withHolder ? [{ label: t('bookings.holder'), value: booking.holderName ?? '' }] : []),
    { label: t('field.serviceType'), value: label('serviceType', booking.serviceType) },
    { label: t('field.when'), value: formatDateTime(booking.scheduledFor) },
    { label: t('bookings.minutes'), value: formatMinutes(booking.minutes) },
    ...(booking.note ? [{ label: t('field.note'), value: booking.note }] : []),
    ...(booking.cancelReason ? [{ label: t('bookings.reason'), value: label('cancelReason', booking.cancelReason) }] : []),
  ];
}

/** Whether a booking's time has come: from then on its holder cannot cancel it; staff settle it. */
function isDue(booking: Booking): boolean {
  return Date.parse(booking.scheduledFor) <= Date.now();
}

/** Bookings still held, as cards, each with a way to cancel it (`cancelHref`) until its time comes. */
export function bookingCards(bookings: Booking[], cancelHref: (booking: Booking) => string, heading: 'h2' | 'h3' | 'h4' = 'h3'): SafeHtml {
  return html`<ul class="cards">
    ${bookings.map((booking) => {
      const what = label('serviceType', booking.serviceType);
      const title =
        heading === 'h2'
          ? html`<h2 class="card-title">${what}</h2>`
          : heading === 'h3'
            ? html`<h3 class="card-title">${what}</h3>`
            : html`<h4 class="card-title">${what}</h4>`;
      return html`<li class="card">
        ${title} ${summaryList(bookingRows(booking).slice(1))}
        ${
          isDue(booking)
            ? html`<p class="hint">${problemText('CANCEL_WINDOW_CLOSED')}</p>`
            : html`<p class="card-action"><a class="button button--secondary" href="${cancelHref(booking)}">${actionFor(t('bookings.cancel'), what)}</a></p>`
        }
      </li>`;
    })}
  </ul>`;
}

/** Cancelled bookings, as cards with nothing to press: what, for when, the time returned, when and why it was cancelled. */
export function cancelledCards(bookings: Booking[], heading: 'h3' | 'h4' = 'h3'): SafeHtml {
  return html`<ul class="cards">
    ${bookings.map((booking) => {
      const what = label('serviceType', booking.serviceType);
      return html`<li class="card">
        ${heading === 'h3' ? html`<h3 class="card-title">${what}</h3>` : html`<h4 class="card-title">${what}</h4>`}
        ${summaryList([
          { label: t('bookings.bookedFor'), value: formatDateTime(booking.scheduledFor) },
          { label: t('bookings.returned'), value: formatMinutes(booking.minutes) },
          ...(booking.decidedAt ? [{ label: t('bookings.cancelledAt'), value: formatDateTime(booking.decidedAt) }] : []),
          ...(booking.cancelReason ? [{ label: t('bookings.reason'), value: label('cancelReason', booking.cancelReason) }] : []),
        ])}
      </li>`;
    })}
  </ul>`;
}

/**
 * "Cancel this booking?" for the holder's own booking, or for a senior's by the counter or a
 * linked relative (`holder`: read and cancelled for her, recorded as done for her). A booking
 * no longer held (given, or cancelled meanwhile), or whose time has come (staff settle it now),
 * is said to be so instead, with nothing to press.
 */
export async function cancelBookingPage(ctx: PageContext, id: string, holder?: BookingHolder, errors: string[] = []): Promise<void> {
  const forSenior = holder ? `?seniorId=${encodeURIComponent(holder.seniorId)}` : '';
  const path = `/time-bank/redemptions/${encodeURIComponent(id)}`;
  const booking = await api<Booking>(`${path}${forSenior}`, { signal: ctx.signal });
  const back = holder?.backHref ?? '/time-bank';
  const minutes = formatMinutes(booking.minutes);
  const title =
    booking.status !== 'HELD'
      ? t(booking.status === 'REDEEMED' ? 'bookings.wasGiven' : 'bookings.wasCancelled')
      : isDue(booking)
        ? t('bookings.dueTitle')
        : t('bookings.cancelTitle');
  renderPage(
    ctx,
    title,
    html`<p><a class="back-link" href="${back}">${t('nav.back')}</a></p>
      ${errorSummary(errors)}
      <h1>${title}</h1>
      ${holder ? html`<p class="lead">${t('bookings.of', { name: holder.name })}</p>` : ''} ${summaryList(bookingRows(booking))}
      ${
        booking.status === 'HELD' && isDue(booking)
          ? html`<p class="notice" id="booking-standing">${problemText('CANCEL_WINDOW_CLOSED')}</p>
              <p><a class="button button--primary" href="${back}">${t('nav.back')}</a></p>`
          : booking.status === 'HELD'
            ? html`<p>${holder ? t('bookings.cancelIntroFor', { name: holder.name, minutes }) : t('bookings.cancelIntro', { minutes })}</p>
                <form id="booking-cancel-form" novalidate>
                  <div class="button-group">
                    ${button(t('bookings.cancelSubmit'), { primary: true, warning: true })}<a class="button button--secondary" href="${back}"
                      >${t('bookings.keep')}</a
                    >
                  </div>
                </form>`
            : html`<p><a class="button button--primary" href="${back}">${t('nav.back')}</a></p>`
      }`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'booking-cancel-form',
    errors,
    explain: (error) => (error.code === 'ILLEGAL_TRANSITION' ? t('bookings.changed') : problemText(error.code)),
    action: async () => {
      await api(`${path}/cancel`, { method: 'POST', ...(holder ? { body: { seniorId: holder.seniorId } } : {}) });
      flash(holder ? t('bookings.cancelledFor', { name: holder.name, minutes }) : t('bookings.cancelled', { minutes }));
      navigate(back);
    },
    again: (found) => cancelBookingPage(ctx, id, holder, found),
  });
}

const DESK_PAGE_SIZE = 50;

/** The bookings staff still have to give, soonest first, 50 to a page (`?page=`), each leading to its page. */
function deskPage(ctx: PageContext): Promise<void> {
  const columns: TableColumn<Booking>[] = [
    { heading: t('bookings.holder'), cell: (booking) => booking.holderName ?? '' },
    { heading: t('field.serviceType'), cell: (booking) => label('serviceType', booking.serviceType) },
    {
      heading: t('field.when'),
      // Those whose time has come (first, as the list is soonest first) wait for staff alone.
      cell: (booking) => html`${formatDateTime(booking.scheduledFor)}${isDue(booking) ? html` <span class="tag">${t('bookings.dueTag')}</span>` : ''}`,
    },
    { heading: t('bookings.minutes'), cell: (booking) => formatMinutes(booking.minutes) },
    { heading: t('field.note'), cell: (booking) => booking.note ?? '' },
  ];
  return listPage<Booking>(ctx, {
    href: '/time-bank/bookings',
    source: '/time-bank/redemptions/to-deliver',
    size: DESK_PAGE_SIZE,
    title: t('bookings.deskTitle'),
    back: html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>`,
    countId: 'bookings-count',
    count: (total) => (total === 0 ? t('bookings.deskNone') : t('bookings.deskIntro', { count: total })),
    items: (bookings) =>
      labelledTable('bookings-table', columns, bookings, {
        heading: t('bookings.open'),
        cell: (booking) =>
          html`<a href="/time-bank/bookings/${booking.id}"
            >${t('bookings.open')}<span class="visually-hidden"
              >${t('bookings.openName', { name: booking.holderName ?? '', service: label('serviceType', booking.serviceType) })}</span
            ></a
          >`,
      }),
    desk: true,
  });
}

/** Why staff may cancel a booking, as the API names them; she is told which. */
const CANCEL_REASONS = ['NO_STAFF', 'NOT_AT_HOME', 'ASKED_TO_CANCEL', 'OTHER'] as const;

/**
 * Staff settle a booking: the service was given (its minutes are taken) or it is cancelled (its
 * minutes go back), answered with why, which she and her relatives are told. One question: each
 * way it was not given is an answer of its own. Once settled, by whoever, the page says so instead.
 */
async function deskBookingPage(ctx: PageContext): Promise<void> {
  const path = `/time-bank/redemptions/${encodeURIComponent(ctx.params.id ?? '')}`;
  const booking = await api<Booking>(path, { signal: ctx.signal });
  const back = html`<p><a class="back-link" href="/time-bank/bookings">${t('bookings.back')}</a></p>`;
  const facts = summaryList(bookingRows(booking, true));
  const name = booking.holderName ?? '';
  const minutes = formatMinutes(booking.minutes);
  if (booking.status !== 'HELD') {
    renderPage(
      ctx,
      t('bookings.deskDecide'),
      html`${back}
        <h1>${t('bookings.deskDecide')}</h1>
        <p class="notice" id="booking-standing">${t(booking.status === 'REDEEMED' ? 'bookings.wasGiven' : 'bookings.wasCancelled')}</p>
        ${facts}`,
    );
    return;
  }
  const outcome: Field = {
    name: 'outcome',
    label: t('bookings.qOutcome', { name }),
    type: 'radio',
    hint: t('bookings.notGivenHint', { minutes, name }),
    options: [
      { value: 'complete', label: t('bookings.given'), hint: t('bookings.givenHint', { minutes, name }) },
      ...CANCEL_REASONS.map((reason) => ({ value: reason, label: t('bookings.notGiven', { reason: label('cancelReason', reason) }) })),
    ],
  };
  simpleForm(ctx, {
    title: t('bookings.deskDecide'),
    before: back,
    intro: facts,
    fields: [outcome],
    submitLabel: t('bookings.deskSubmit'),
    explain: (error) => (error.code === 'ILLEGAL_TRANSITION' ? t('bookings.changed') : undefined),
    onSubmit: async (values) => {
      const action = values.outcome === 'complete' ? 'complete' : 'cancel';
      await api(`${path}/${action}`, { method: 'POST', ...(action === 'cancel' ? { body: { reason: values.outcome } } : {}) });
      flash(action === 'complete' ? t('bookings.completedDesk', { minutes, name }) : t('bookings.cancelledDesk', { minutes, name }));
      navigate('/time-bank/bookings');
    },
  });
}

export const bookingRoutes: Route[] = [
  { pattern: '/time-bank/bookings', page: deskPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/time-bank/bookings/:id', page: deskBookingPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/time-bank/bookings/:id/cancel', page: (ctx) => cancelBookingPage(ctx, ctx.params.id ?? ''), roles: ['SENIOR', 'VOLUNTEER'] },
];
