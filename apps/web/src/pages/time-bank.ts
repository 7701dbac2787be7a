import { api, ApiError, newIdempotencyKey } from '../api';
import { html, type SafeHtml } from '../dom';
import {
  actionFor,
  button,
  confirmForm,
  downloadButton,
  errorSummary,
  type Field,
  type Option,
  runWizard,
  simpleForm,
  summaryList,
  type SummaryRow,
  type Values,
  type Wizard,
  type WizardStep,
} from '../forms';
import { formatDateTime, formatMinutes, todayIso, zonedIso } from '../format';
import { label, problemText, t, type TextKey } from '../i18n';
import { listPage } from '../paging';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { currentUser, hasRole } from '../session';
import { dateProblem, phoneOrCardProblem, timeProblem, wholeNumberProblem } from '../validation';
import { clockProblem, dayProblem, statementPeriods, type WhenRule } from '../when';
import { bookingCards, cancelledCards, heldBookings, RECENT_SHOWN, recentlyCancelled } from './bookings';

interface Account {
  accountId: string;
  balanceMinutes: number;
  heldMinutes: number;
  availableMinutes: number;
  /** Of one's own account (`accounts/me`): what may still be given this year. */
  giftAllowanceMinutes?: number;
}

interface Entry {
  id: string;
  at: string;
  kind: string;
  minutes: number;
  heldDeltaMinutes?: number;
  balanceAfterMinutes: number;
}

interface Contact {
  name: string;
  phone: string | null;
}

export interface HelpRequest {
  id: string;
  seniorId: string;
  /** Who took it (kept once it is cancelled). */
  claimedBy: string | null;
  serviceType: string;
  wantedAt: string;
  durationMinutes: number;
  street: string;
  note: string | null;
  status: 'OPEN' | 'CLAIMED' | 'COMPLETED' | 'EXPIRED' | 'CANCELLED';
  /**
   * As the API reckons them when it answers, by its clock rather than the phone's: the service can
   * be reported or logged; it should be over; a volunteer could still take the request; its time
   * is recent enough to be logged at all.
   */
  serviceDue: boolean;
  serviceOver: boolean;
  claimWindowOpen: boolean;
  recordWindowOpen: boolean;
  matchesSkills?: boolean;
  /** While claimed, to the senior: who is coming. */
  volunteer?: Contact;
  /** While claimed, to the claimer: whom they go to. */
  senior?: Contact;
}

const SERVICE_TYPES = ['COMPANIONSHIP', 'CLEANING', 'ESCORT', 'MEAL_DELIVERY', 'SHOPPING', 'HEALTH_CHECK', 'OTHER'];
const RELATIONSHIPS = ['SPOUSE', 'PARENT', 'CHILD', 'SIBLING', 'GRANDPARENT', 'GRANDCHILD', 'OTHER_FAMILY'];

function serviceTypeOptions(): Option[] {
  return SERVICE_TYPES.map((value) => ({ value, label: label('serviceType', value) }));
}

/**
 * The id of the person a gift or a service is for, from the phone or service card number typed
 * in; an unknown number is reported on the question that asked for it.
 */
async function recipientId(value: string, field: string, seniorId?: string): Promise<string> {
  // Acting for a senior, the person is found for her: she is the one who cannot be the answer.
  const forSenior = seniorId ? `&seniorId=${encodeURIComponent(seniorId)}` : '';
  try {
    const found = await api<{ id: string }>(`/people/recipient?q=${encodeURIComponent(value.replace(/[\s-]/g, ''))}${forSenior}`);
    return found.id;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw new ApiError(404, 'RECIPIENT_NOT_FOUND', '', [{ field, message: '' }]);
    throw error;
  }
}

/** The step that asks whom time goes to (a gift, a service given), by mobile or service card number. */
function recipientStep(question: string, hint: string): WizardStep {
  return {
    id: 'recipient',
    fields: [
      { name: 'recipient', label: question, hint, type: 'text', inputmode: 'numeric', autocomplete: 'off', width: 'medium', validate: phoneOrCardProblem },
    ],
  };
}

/** The recipient's number as the check-your-answers page shows it. */
function recipientRow(rowLabel: string, values: Values): SummaryRow {
  return { label: rowLabel, value: html`<span class="code">${String(values.recipient)}</span>`, step: 'recipient' };
}

function signed(minutes: number): string {
  return minutes > 0 ? `+${formatMinutes(minutes)}` : formatMinutes(minutes);
}

/** Entries of the account, as listed: what, by how much, when, and the balance after it. */
function historyList(entries: Entry[]): SafeHtml {
  return html`<ol class="history">
    ${entries.map(
      (entry) =>
        html`<li class="history-item">
          <p class="history-what">
            ${label('entryKind', entry.kind)}<span class="history-amount"
              >${
                entry.minutes !== 0
                  ? signed(entry.minutes)
                  : entry.heldDeltaMinutes
                    ? t('bank.heldChange', { minutes: formatMinutes(Math.abs(entry.heldDeltaMinutes)) })
                    : ''
              }</span
            >
          </p>
          <p class="meta">${formatDateTime(entry.at)} · ${t('bank.balanceAfter', { minutes: formatMinutes(entry.balanceAfterMinutes) })}</p>
        </li>`,
    )}
  </ol>`;
}

const HISTORY_PAGE_SIZE = 20;

/** Every entry of the caller's account, newest first, 20 to a page (`?page=`). */
function historyPage(ctx: PageContext): Promise<void> {
  return listPage<Entry>(ctx, {
    href: '/time-bank/history',
    source: '/time-bank/accounts/me/entries',
    size: HISTORY_PAGE_SIZE,
    title: t('history.title'),
    back: html`<p><a class="back-link" href="/time-bank">${t('bank.title')}</a></p>`,
    countId: 'history-count',
    count: (total) => (total === 0 ? t('bank.noHistory') : t('history.intro', { count: total })),
    items: historyList,
  });
}

/**
 * The statements of an account (this month, last month, this year) as Excel files: the holder's
 * own, or, `forSenior`, a senior's read for her by the counter or a relative.
 */
export function statementButtons(userId: string, forSenior = false): SafeHtml {
  const status = forSenior ? `statement-status-${userId}` : 'statement-download-status';
  const acting = forSenior ? `&seniorId=${userId}` : '';
  return html`<div class="button-group">
      ${statementPeriods(todayIso()).map(({ label: text, from, to }) =>
        downloadButton(t(text), { path: `/time-bank/accounts/${userId}/statement?format=xlsx&from=${from}&to=${to}${acting}`, name: 'statement.xlsx', status }),
      )}
    </div>
    <p role="status" id="${status}"></p>`;
}

async function accountPage(ctx: PageContext): Promise<void> {
  const volunteer = hasRole('VOLUNTEER');
  const [account, entries, awaiting, logged, bookings, cancelled] = await Promise.all([
    api<Account>('/time-bank/accounts/me', { signal: ctx.signal }),
    api<{ items: Entry[]; total: number }>('/time-bank/accounts/me/entries?limit=20', { signal: ctx.signal }),
    api<{ items: ServiceRecord[]; total: number }>('/time-bank/services/awaiting-me?limit=20', { signal: ctx.signal }),
    volunteer ? api<{ items: ServiceRecord[]; total: number }>('/time-bank/services/logged-by-me?limit=10', { signal: ctx.signal }) : null,
    heldBookings(ctx.signal),
    recentlyCancelled(ctx.signal),
  ]);
  const user = currentUser();
  const senior = hasRole('SENIOR');
  renderPage(
    ctx,
    t('bank.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('bank.title')}</h1>
      ${
        awaiting.items.length > 0
          ? html`<section aria-labelledby="h-awaiting">
              <h2 id="h-awaiting">${t('service.awaitingTitle', { count: awaiting.total })}</h2>
              <p>${t('service.awaitingIntro')}</p>
              ${awaitingCards(awaiting.items, (service) => `/time-bank/services/${service.id}`)}
            </section>`
          : ''
      }
      <div class="figures">
        <div class="figure figure--main">
          <p class="figure-label">${t('bank.available')}</p>
          <p class="figure-value" id="available-minutes">${formatMinutes(account.availableMinutes)}</p>
        </div>
        <div class="figure">
          <p class="figure-label">${t('bank.balance')}</p>
          <p class="figure-value">${formatMinutes(account.balanceMinutes)}</p>
        </div>
        <div class="figure">
          <p class="figure-label">${t('bank.held')}</p>
          <p class="figure-value" id="held-minutes">${formatMinutes(account.heldMinutes)}</p>
        </div>
      </div>
      <p class="hint">${t('bank.explain')}</p>
      ${
        bookings.items.length > 0
          ? html`<section aria-labelledby="h-bookings">
              <h2 id="h-bookings">${t('bookings.mineTitle', { count: bookings.total })}</h2>
              <p>${t('bookings.mineIntro')}</p>
              ${bookingCards(bookings.items, (booking) => `/time-bank/bookings/${booking.id}/cancel`)}
            </section>`
          : ''
      }
      ${
        cancelled.items.length > 0
          ? html`<section aria-labelledby="h-cancelled">
              <h2 id="h-cancelled">${t('bookings.recentTitle', { count: cancelled.total })}</h2>
              <p>${t('bookings.recentIntro')}</p>
              ${cancelled.total > cancelled.items.length ? html`<p class="hint">${t('bookings.recentLatest', { count: RECENT_SHOWN })}</p>` : ''}
              ${cancelledCards(cancelled.items)}
            </section>`
          : ''
      }
      ${user ? statementButtons(user.id) : ''}
      <h2>${t('bank.whatNext')}</h2>
      <div class="button-group button-group--stack">
        <a class="button button--primary" href="/time-bank/redeem/service-type">${t('bank.redeem')}</a>
        ${senior ? html`<a class="button button--secondary" href="/time-bank/request/service-type">${t('home.askHelp')}</a><a class="button button--secondary" href="/time-bank/my-requests">${t('home.myRequests')}</a>` : ''}
        ${volunteer ? html`<a class="button button--secondary" href="/time-bank/requests">${t('home.openRequests')}</a><a class="button button--secondary" href="/time-bank/my-claims">${t('home.myClaims')}</a><a class="button button--secondary" href="/time-bank/log/recipient">${t('home.logService')}</a>` : ''}
        <a class="button button--secondary" href="/time-bank/give/recipient">${t('bank.give')}</a>
      </div>
      <h2>${t('bank.myNumber')}</h2>
      <p>${t('bank.myNumberText')}</p>
      ${user?.cardNumber ? html`<p class="code code--big">${t('bank.cardNumber', { card: user.cardNumber })}</p>` : ''}
      ${user?.phone ? html`<p class="code code--big">${t('bank.phone', { phone: user.phone })}</p>` : ''}
      ${
        logged && logged.items.length > 0
          ? html`<section aria-labelledby="h-logged">
              <h2 id="h-logged">${t('logged.title')}</h2>
              ${loggedCards(logged.items)}
              ${
                logged.total > logged.items.length
                  ? html`<p><a class="button button--secondary" href="/time-bank/logged">${t('logged.all', { count: logged.total })}</a></p>`
                  : ''
              }
            </section>`
          : ''
      }
      <h2>${t('bank.history')}</h2>
      ${entries.items.length === 0 ? html`<p>${t('bank.noHistory')}</p>` : historyList(entries.items)}
      ${
        entries.total > entries.items.length
          ? html`<p><a class="button button--secondary" href="/time-bank/history">${t('bank.allHistory', { count: entries.total })}</a></p>`
          : ''
      }`,
  );
}

/**
 * When: a day and a time, checked by `rule` (apps/web/src/when.ts: a booking or a request is for
 * a time to come, a service given is logged once it has started; the API refuses the rest).
 */
function whenFields(rule: WhenRule): Field[] {
  const day = (value: string): string | null => {
    const problem = dayProblem(rule, value, todayIso());
    return problem && t(`form.${problem}`);
  };
  const clock = (value: string, values: Values): string | null => {
    const problem = clockProblem(rule, String(values.date ?? ''), value, todayIso(), Date.now());
    return problem && t(`form.${problem}`);
  };
  return [
    { name: 'date', label: t('field.date'), hint: t('field.dateHint'), type: 'date', width: 'medium', validate: (value) => dateProblem(value) ?? day(value) },
    {
      name: 'time',
      label: t('field.time'),
      hint: t('field.timeHint'),
      type: 'time',
      width: 'medium',
      validate: (value, values) => timeProblem(value) ?? clock(value, values),
    },
  ];
}

function whenText(values: Values): string {
  return formatDateTime(zonedIso(String(values.date), String(values.time)));
}

/**
 * Asking a volunteer for help: the service, when, how long, where, a note; then a check. For
 * oneself, or for a senior by the counter or a linked relative (`forSenior`), recorded as done
 * for them.
 */
export function requestWizard(forSenior?: ForSenior): Wizard {
  return {
    key: forSenior ? `request-for-${forSenior.seniorId}` : 'request',
    base: forSenior?.base ?? '/time-bank/request',
    title: forSenior ? t('acting.requestTitle', { name: forSenior.name }) : t('request.title'),
    backHref: forSenior?.backHref ?? '/',
    initial: { date: todayIso(), durationMinutes: '60' },
    steps: [
      { id: 'service-type', fields: [{ name: 'serviceType', label: t('request.qType'), type: 'radio', options: serviceTypeOptions() }] },
      { id: 'when', heading: t('request.qWhen'), fields: whenFields('ahead') },
      {
        id: 'duration',
        fields: [
          {
            name: 'durationMinutes',
            label: t('request.qDuration'),
            type: 'radio',
            options: [30, 60, 90, 120, 180, 240].map((m) => ({ value: String(m), label: formatMinutes(m) })),
          },
        ],
      },
      {
        id: 'street',
        fields: [
          {
            name: 'street',
            label: t('request.qStreet'),
            hint: t('request.streetHint'),
            type: 'text',
            autocomplete: 'street-address',
            validate: (v) => (v.length > 100 ? t('form.tooLong', { max: 100 }) : null),
          },
        ],
      },
      {
        id: 'note',
        fields: [
          {
            name: 'note',
            label: t('request.qNote'),
            type: 'textarea',
            optional: true,
            validate: (v) => (v.length > 500 ? t('form.tooLong', { max: 500 }) : null),
          },
        ],
      },
    ],
    ...(forSenior ? { checkIntro: html`<p>${t('acting.requestIntro', { name: forSenior.name })}</p>` } : {}),
    summary: (v) => [
      ...(forSenior ? [{ label: t('acting.requestFor'), value: forSenior.name }] : []),
      { label: t('field.serviceType'), value: label('serviceType', String(v.serviceType)), step: 'service-type' },
      { label: t('field.when'), value: whenText(v), step: 'when' },
      { label: t('field.duration'), value: formatMinutes(Number(v.durationMinutes)), step: 'duration' },
      { label: t('field.street'), value: String(v.street), step: 'street' },
      { label: t('field.note'), value: String(v.note ?? '') || t('form.none'), step: 'note' },
    ],
    submitLabel: t('request.submit'),
    stepOfField: (field) => ({ serviceType: 'service-type', wantedAt: 'when', durationMinutes: 'duration', street: 'street', note: 'note' })[field],
    submit: async (v) => {
      await api('/time-bank/requests', {
        method: 'POST',
        body: {
          serviceType: v.serviceType,
          wantedAt: zonedIso(String(v.date), String(v.time)),
          durationMinutes: Number(v.durationMinutes),
          street: v.street,
          ...(v.note ? { note: v.note } : {}),
          ...(forSenior ? { seniorId: forSenior.seniorId } : {}),
        },
      });
      return forSenior
        ? { to: forSenior.backHref, message: t('acting.requested', { name: forSenior.name }) }
        : { to: '/time-bank/my-requests', message: t('request.done') };
    },
  };
}

/** Whom something is done for, when someone acts for a senior (the counter, a relative), and where their pages are (`base`: the wizard's). */
export interface ForSenior {
  seniorId: string;
  name: string;
  base: string;
  backHref: string;
}

/** The account as it is now: one's own, or a senior's when acting for them. */
async function accountNow(ctx: PageContext, seniorId?: string): Promise<Account> {
  const query = seniorId ? `?seniorId=${encodeURIComponent(seniorId)}` : '';
  return api<Account>(`/time-bank/accounts/me${query}`, { signal: ctx.signal });
}

/** Minutes for a hint whose answer is in minutes: an hour or more is also given in minutes. */
function minutesFigure(minutes: number): string {
  return minutes >= 60 ? t('bank.hoursAndMinutes', { hours: formatMinutes(minutes), minutes }) : formatMinutes(minutes);
}

/**
 * The minutes asked of an account: the hint says how many it can use now (and, for a gift, may
 * still give this year), read as the step opens, and more is refused at the step rather than
 * after the check (the ledger checks again when the answers are sent, so a booking made
 * meanwhile still ends in its own clear refusal).
 */
function minutesOfAccount(
  label: string,
  available: number,
  texts: { hint: TextKey; over: TextKey },
  options: { name?: string; yearly?: { allowance: number; over: TextKey } } = {},
): Field {
  const { name, yearly } = options;
  const figures = { available: minutesFigure(available), allowance: minutesFigure(yearly?.allowance ?? 0), name: name ?? '' };
  const nothing = t(name ? 'acting.nothingAvailable' : 'bank.nothingAvailable', figures);
  return {
    name: 'minutes',
    label,
    hint: available > 0 ? `${t(texts.hint, figures)} ${t('redeem.minutesHint')}` : nothing,
    type: 'number',
    width: 'short',
    validate: (value) => {
      const problem = wholeNumberProblem(1, 100_000)(value);
      if (problem) return problem;
      if (available <= 0) return nothing;
      if (Number(value) > available) return t(texts.over, figures);
      return yearly && Number(value) > yearly.allowance ? t(yearly.over, figures) : null;
    },
  };
}

/**
 * Using time for a service: the service, the minutes, when; then a check and the booking. For
 * oneself, or for a senior by the counter or a linked relative (`forSenior`): the senior's own
 * account and rules apply and the booking records who acted.
 */
export async function runRedeemWizard(ctx: PageContext, forSenior?: ForSenior): Promise<void> {
  runWizard(ctx, redeemWizard((await accountNow(ctx, forSenior?.seniorId)).availableMinutes, forSenior));
}

function redeemWizard(available: number, forSenior?: ForSenior): Wizard {
  return {
    key: forSenior ? `redeem-for-${forSenior.seniorId}` : 'redeem',
    base: forSenior?.base ?? '/time-bank/redeem',
    title: forSenior ? t('acting.redeemTitle', { name: forSenior.name }) : t('redeem.title'),
    backHref: forSenior?.backHref ?? '/time-bank',
    initial: { __key: newIdempotencyKey(), date: todayIso() },
    steps: [
      { id: 'service-type', fields: [{ name: 'serviceType', label: t('redeem.qType'), type: 'radio', options: serviceTypeOptions() }] },
      {
        id: 'minutes',
        fields: [
          minutesOfAccount(
            t('redeem.qMinutes'),
            available,
            forSenior ? { hint: 'acting.availableHint', over: 'acting.overAvailable' } : { hint: 'redeem.availableHint', over: 'redeem.overAvailable' },
            { name: forSenior?.name },
          ),
        ],
      },
      { id: 'when', heading: t('redeem.qWhen'), fields: whenFields('ahead') },
    ],
    checkIntro: html`<p>${forSenior ? t('acting.redeemIntro', { name: forSenior.name }) : t('redeem.checkIntro')}</p>`,
    summary: (v) => [
      ...(forSenior ? [{ label: t('acting.redeemFor'), value: forSenior.name }] : []),
      { label: t('field.serviceType'), value: label('serviceType', String(v.serviceType)), step: 'service-type' },
      { label: t('field.minutes'), value: formatMinutes(Number(v.minutes)), step: 'minutes' },
      { label: t('field.when'), value: whenText(v), step: 'when' },
    ],
    submitLabel: t('redeem.submit'),
    stepOfField: (field) => ({ serviceType: 'service-type', minutes: 'minutes', scheduledFor: 'when' })[field],
    submit: async (v) => {
      await api('/time-bank/redemptions', {
        method: 'POST',
        headers: { 'Idempotency-Key': String(v.__key) },
        body: {
          serviceType: v.serviceType,
          minutes: Number(v.minutes),
          scheduledFor: zonedIso(String(v.date), String(v.time)),
          ...(forSenior ? { seniorId: forSenior.seniorId } : {}),
        },
      });
      const minutes = formatMinutes(Number(v.minutes));
      return forSenior
        ? { to: forSenior.backHref, message: t('acting.redeemed', { name: forSenior.name, minutes }) }
        : { to: '/time-bank', message: t('redeem.done', { minutes }) };
    },
  };
}

/**
 * Giving time to family, or, when the account has nothing to give now or this year's giving is
 * used up, a page that says so before any question is asked. For oneself, or for a senior by the
 * counter or a linked relative (`forSenior`): her account, her yearly limit, and never to the one
 * acting (the API refuses that; the check page says why).
 */
export async function runGiveWizard(ctx: PageContext, forSenior?: ForSenior): Promise<void> {
  const account = await accountNow(ctx, forSenior?.seniorId);
  const allowance = account.giftAllowanceMinutes ?? 0;
  if (account.availableMinutes > 0 && allowance > 0) return runWizard(ctx, giveWizard(account.availableMinutes, allowance, forSenior));
  const back = forSenior ? { href: forSenior.backHref, text: forSenior.name } : { href: '/time-bank', text: t('bank.title') };
  const name = { name: forSenior?.name ?? '' };
  const why =
    account.availableMinutes > 0
      ? t(forSenior ? 'acting.giveAllowanceUsed' : 'give.allowanceUsed', name)
      : t(forSenior ? 'acting.nothingAvailable' : 'bank.nothingAvailable', name);
  const title = forSenior ? t('acting.giveCannot', name) : t('give.cannotTitle');
  renderPage(
    ctx,
    title,
    html`<p><a class="back-link" href="${back.href}">${back.text}</a></p>
      <h1>${title}</h1>
      <p>${why}</p>
      <p><a class="button button--primary" href="${back.href}">${back.text}</a></p>`,
  );
}

function giveWizard(available: number, allowance: number, forSenior?: ForSenior): Wizard {
  const name = forSenior?.name;
  return {
    key: forSenior ? `give-for-${forSenior.seniorId}` : 'give',
    base: forSenior?.base ?? '/time-bank/give',
    title: forSenior ? t('acting.giveTitle', { name: forSenior.name }) : t('give.title'),
    backHref: forSenior?.backHref ?? '/time-bank',
    initial: { __key: newIdempotencyKey() },
    steps: [
      recipientStep(forSenior ? t('acting.giveWho', { name: forSenior.name }) : t('give.qWho'), t('give.whoHint')),
      {
        id: 'relationship',
        fields: [
          {
            name: 'relationship',
            label: forSenior ? t('acting.giveRelationship', { name: forSenior.name }) : t('give.qRelationship'),
            type: 'radio',
            options: RELATIONSHIPS.map((value) => ({ value, label: label('relationship', value) })),
          },
        ],
      },
      {
        id: 'minutes',
        fields: [
          minutesOfAccount(
            t('give.qMinutes'),
            available,
            forSenior ? { hint: 'acting.giveAvailableHint', over: 'acting.overAvailable' } : { hint: 'give.availableHint', over: 'give.overAvailable' },
            { name, yearly: { allowance, over: forSenior ? 'acting.giveOverAllowance' : 'give.overAllowance' } },
          ),
        ],
      },
    ],
    checkIntro: forSenior ? html`<p>${t('acting.giveIntro', { name: forSenior.name })}</p>` : undefined,
    summary: (v) => [
      ...(forSenior ? [{ label: t('acting.giveFor'), value: forSenior.name }] : []),
      recipientRow(t('give.recipient'), v),
      { label: t('field.relationship'), value: label('relationship', String(v.relationship)), step: 'relationship' },
      { label: t('field.minutes'), value: formatMinutes(Number(v.minutes)), step: 'minutes' },
    ],
    submitLabel: t('give.submit'),
    stepOfField: (field) => ({ recipient: 'recipient', toUserId: 'recipient', relationship: 'relationship', minutes: 'minutes' })[field],
    explain: (error) => (forSenior && error.code === 'SELF_TRANSFER' ? t('acting.giveNotToYou', { name: forSenior.name }) : undefined),
    submit: async (v) => {
      await api('/time-bank/gifts', {
        method: 'POST',
        headers: { 'Idempotency-Key': String(v.__key) },
        body: {
          toUserId: await recipientId(String(v.recipient), 'recipient', forSenior?.seniorId),
          minutes: Number(v.minutes),
          relationship: v.relationship,
          ...(forSenior ? { seniorId: forSenior.seniorId } : {}),
        },
      });
      const minutes = formatMinutes(Number(v.minutes));
      return forSenior
        ? { to: forSenior.backHref, message: t('acting.given', { name: forSenior.name, minutes }) }
        : { to: '/time-bank', message: t('give.done', { minutes }) };
    },
  };
}

function logWizard(): Wizard {
  return {
    key: 'log-service',
    base: '/time-bank/log',
    title: t('log.title'),
    backHref: '/time-bank',
    initial: { date: todayIso() },
    steps: [
      recipientStep(t('log.qWho'), t('log.whoHint')),
      { id: 'service-type', fields: [{ name: 'serviceType', label: t('log.qType'), type: 'radio', options: serviceTypeOptions() }] },
      { id: 'when', heading: t('log.qWhen'), fields: whenFields('past') },
      {
        id: 'duration',
        fields: [
          {
            name: 'durationMinutes',
            label: t('log.qDuration'),
            hint: t('log.durationHint'),
            type: 'number',
            width: 'short',
            validate: wholeNumberProblem(15, 480),
          },
        ],
      },
    ],
    summary: (v) => [
      recipientRow(t('log.recipient'), v),
      { label: t('field.serviceType'), value: label('serviceType', String(v.serviceType)), step: 'service-type' },
      { label: t('field.when'), value: whenText(v), step: 'when' },
      { label: t('field.duration'), value: formatMinutes(Number(v.durationMinutes)), step: 'duration' },
    ],
    submitLabel: t('log.submit'),
    stepOfField: (field) =>
      ({ recipient: 'recipient', recipientId: 'recipient', serviceType: 'service-type', startedAt: 'when', durationMinutes: 'duration' })[field],
    submit: async (v) => {
      await api('/time-bank/services', {
        method: 'POST',
        body: {
          recipientId: await recipientId(String(v.recipient), 'recipient'),
          serviceType: v.serviceType,
          startedAt: zonedIso(String(v.date), String(v.time)),
          durationMinutes: Number(v.durationMinutes),
        },
      });
      return { to: '/time-bank', message: t('log.done') };
    },
  };
}

/** When, how long, where and the senior's note, as a request's card lists them. */
function requestFacts(request: HelpRequest, extra: SafeHtml | string = ''): SafeHtml {
  return html`<dl class="facts">
    <div>
      <dt>${t('field.when')}</dt>
      <dd>${formatDateTime(request.wantedAt)}</dd>
    </div>
    <div>
      <dt>${t('field.duration')}</dt>
      <dd>${formatMinutes(request.durationMinutes)}</dd>
    </div>
    <div>
      <dt>${t('field.street')}</dt>
      <dd>${request.street}</dd>
    </div>
    ${
      request.note
        ? html`<div>
            <dt>${t('field.note')}</dt>
            <dd>${request.note}</dd>
          </div>`
        : ''
    }
    ${extra}
  </dl>`;
}

/** What a request's card calls it for a screen reader: its service and time. */
function requestName(request: HelpRequest): string {
  return `${label('serviceType', request.serviceType)} ${formatDateTime(request.wantedAt)}`;
}

/** A phone number a tap away, or null. */
function phoneLink(phone: string | null, text: string): SafeHtml | string {
  return phone ? html`<a href="tel:${phone}">${text}</a>` : '';
}

/** The look of a request's status panel (the enrolment tickets' colours: waiting, on its way, closed). */
const REQUEST_PANEL: Record<HelpRequest['status'], string> = {
  OPEN: 'QUEUED',
  CLAIMED: 'CONFIRMED',
  COMPLETED: 'CONFIRMED',
  EXPIRED: 'CLOSED',
  CANCELLED: 'CLOSED',
};

/** Claimed, and its service should be over: the volunteer came and has yet to log it, or did not come. */
function claimOver(request: HelpRequest): boolean {
  return request.status === 'CLAIMED' && request.serviceOver;
}

/** A senior's request as they see it: where it stands, and who is coming once a volunteer took it. */
function requestStatus(request: HelpRequest): SafeHtml {
  const volunteer = request.status === 'CLAIMED' ? request.volunteer : undefined;
  const headline = claimOver(request) ? 'CLAIMED_PAST' : request.status;
  return html`<div class="status-panel status-panel--${REQUEST_PANEL[request.status]}" data-status="${request.status}">
    <p class="status-headline">${t(`myRequests.headline.${headline}`)}</p>
    ${
      volunteer
        ? html`<p>${t('myRequests.volunteer', { name: volunteer.name })}</p>
            ${volunteer.phone ? html`<p>${phoneLink(volunteer.phone, t('myRequests.call', { name: volunteer.name, phone: volunteer.phone }))}</p>` : ''}`
        : request.status !== 'CLAIMED'
          ? html`<p>${t(`myRequests.detail.${request.status}`)}</p>`
          : ''
    }
  </div>`;
}

type HeadingLevel = 'h2' | 'h3' | 'h4';

/** A card's heading at the level the page around it needs. */
function cardTitle(text: string, level: HeadingLevel): SafeHtml {
  return level === 'h2'
    ? html`<h2 class="card-title">${text}</h2>`
    : level === 'h3'
      ? html`<h3 class="card-title">${text}</h3>`
      : html`<h4 class="card-title">${text}</h4>`;
}

/**
 * A senior's requests as cards: the state in words, who is coming, the facts, and a link to
 * cancel one still to come, or to close a claimed one whose time is over (`cancelHref`: the
 * senior's own page, or the counter's or a relative's).
 */
export function requestCards(requests: HelpRequest[], cancelHref: (request: HelpRequest) => string, headingLevel: HeadingLevel = 'h2'): SafeHtml {
  return html`<ul class="cards">
    ${requests.map(
      (request) =>
        html`<li class="card">
          ${cardTitle(label('serviceType', request.serviceType), headingLevel)} ${requestStatus(request)} ${requestFacts(request)}
          ${
            request.status === 'OPEN' || request.status === 'CLAIMED'
              ? html`<p class="card-action">
                  <a class="button button--secondary" href="${cancelHref(request)}"
                    >${t(claimOver(request) ? 'myRequests.close' : 'myRequests.cancel')}<span class="visually-hidden"
                      >${t('list.colon')}${requestName(request)}</span
                    ></a
                  >
                </p>`
              : ''
          }
        </li>`,
    )}
  </ul>`;
}

async function myRequestsPage(ctx: PageContext): Promise<void> {
  const list = await api<{ items: HelpRequest[] }>('/time-bank/requests/mine?limit=50', { signal: ctx.signal });
  renderPage(
    ctx,
    t('myRequests.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('myRequests.title')}</h1>
      ${list.items.length === 0 ? html`<p>${t('myRequests.none')}</p>` : ''}
      ${requestCards(list.items, (request) => `/time-bank/my-requests/${request.id}/cancel`)}
      <div class="button-group"><a class="button button--primary" href="/time-bank/request/service-type">${t('myRequests.new')}</a></div>`,
  );
}

/** A refusal because the request moved on meanwhile (taken, cancelled, closed), in a request's words. */
function requestChanged(error: ApiError): string | undefined {
  return error.code === 'ILLEGAL_TRANSITION' ? t('request.changed') : undefined;
}

/** The rows of a "are you sure?" page about one request: the service, when and where. */
function requestSummary(request: HelpRequest): SafeHtml {
  return summaryList([
    { label: t('field.serviceType'), value: label('serviceType', request.serviceType) },
    { label: t('field.when'), value: formatDateTime(request.wantedAt) },
    { label: t('field.duration'), value: formatMinutes(request.durationMinutes) },
    { label: t('field.street'), value: request.street },
  ]);
}

/** The words of an "are you sure?" page, which may depend on where the request stands. */
interface RequestCheckWords {
  title: string;
  /** What will happen. */
  intro: string;
  submit: string;
  keep: string;
  /** Said once it is done. */
  done: string;
}

/** An "are you sure?" page about one request: its facts, what will happen, then the action. */
interface RequestCheck {
  id: string;
  /** Query added to read the request (`?seniorId=…` when acting for a senior). */
  query?: string;
  lead?: string;
  /** The page's words, once the request is read. */
  words: (request: HelpRequest) => RequestCheckWords;
  warning?: boolean;
  /** The page to go back to, and to return to once done. */
  back: string;
  then?: string;
  /** The action: `POST /time-bank/requests/:id/<action>`, with `body` if any. */
  action: 'claim' | 'cancel' | 'release';
  body?: Record<string, unknown>;
  /** Sent as `Idempotency-Key`: one per opening of the page, so sending again after a lost answer gets that answer. */
  key?: string;
}

async function requestCheckPage(ctx: PageContext, check: RequestCheck, errors: string[] = []): Promise<void> {
  const path = `/time-bank/requests/${encodeURIComponent(check.id)}`;
  const request = await api<HelpRequest>(`${path}${check.query ?? ''}`, { signal: ctx.signal });
  const words = check.words(request);
  renderPage(
    ctx,
    words.title,
    html`<p><a class="back-link" href="${check.back}">${t('nav.back')}</a></p>
      ${errorSummary(errors)}
      <h1>${words.title}</h1>
      ${check.lead ? html`<p class="lead">${check.lead}</p>` : ''} ${requestSummary(request)}
      <p>${words.intro}</p>
      <form id="request-check-form" novalidate>
        <div class="button-group">
          ${button(words.submit, { primary: true, warning: check.warning })}<a class="button button--secondary" href="${check.back}">${words.keep}</a>
        </div>
      </form>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'request-check-form',
    errors,
    explain: (error) => requestChanged(error) ?? problemText(error.code),
    action: async () => {
      await api(`${path}/${check.action}`, {
        method: 'POST',
        ...(check.body ? { body: check.body } : {}),
        ...(check.key ? { headers: { 'Idempotency-Key': check.key } } : {}),
      });
      flash(words.done);
      navigate(check.then ?? check.back);
    },
    again: (found) => requestCheckPage(ctx, check, found),
  });
}

/**
 * "Cancel this request?" for the senior's own request, or for a senior's by the counter or a
 * linked relative (`forSenior`: read and cancelled for them, recorded as done for them).
 */
export function cancelRequestPage(ctx: PageContext, forSenior?: Omit<ForSenior, 'base'>): Promise<void> {
  return requestCheckPage(ctx, {
    id: ctx.params.requestId ?? ctx.params.id ?? '',
    query: forSenior ? `?seniorId=${encodeURIComponent(forSenior.seniorId)}` : undefined,
    lead: forSenior ? t('acting.requestOf', { name: forSenior.name }) : undefined,
    words: (request) => {
      const volunteer = request.status === 'CLAIMED' ? request.volunteer : undefined;
      if (volunteer && claimOver(request)) {
        return {
          title: t('closeRequest.title'),
          intro: t('closeRequest.intro', { name: volunteer.name }),
          submit: t('closeRequest.submit'),
          keep: t('closeRequest.keep'),
          done: t('closeRequest.done'),
        };
      }
      return {
        title: t('cancelRequest.title'),
        intro: volunteer ? t('cancelRequest.claimed', { name: volunteer.name }) : t('cancelRequest.open'),
        submit: t('cancelRequest.submit'),
        keep: t('cancelRequest.keep'),
        done: t('cancelRequest.done'),
      };
    },
    warning: true,
    back: forSenior?.backHref ?? '/time-bank/my-requests',
    action: 'cancel',
    body: forSenior ? { seniorId: forSenior.seniorId } : undefined,
  });
}

/** What a claim's card says about its time: not yet, too long ago to log, or over. */
function claimHint(request: HelpRequest): SafeHtml | string {
  if (!request.serviceDue) return html`<p class="hint">${t('myClaims.notYet')}</p>`;
  if (!request.recordWindowOpen) return html`<p class="hint">${t('myClaims.tooLate')}</p>`;
  return request.serviceOver ? html`<p class="hint">${t('myClaims.past')}</p>` : '';
}

async function myClaimsPage(ctx: PageContext): Promise<void> {
  const list = await api<{ items: HelpRequest[] }>('/time-bank/requests?status=CLAIMED&limit=50', { signal: ctx.signal });
  renderPage(
    ctx,
    t('myClaims.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('myClaims.title')}</h1>
      <p>${t('myClaims.intro')}</p>
      ${list.items.length === 0 ? html`<p>${t('myClaims.none')}</p>` : ''}
      <ul class="cards">
        ${list.items.map((request) => {
          const senior = request.senior;
          const contact = senior
            ? html`<div>
                  <dt>${t('myClaims.senior')}</dt>
                  <dd>${senior.name}</dd>
                </div>
                <div>
                  <dt>${t('myClaims.phone')}</dt>
                  <dd>${senior.phone ? phoneLink(senior.phone, senior.phone) : t('myClaims.noPhone')}</dd>
                </div>`
            : '';
          return html`<li class="card">
            <h2 class="card-title">${label('serviceType', request.serviceType)}</h2>
            ${requestFacts(request, contact)} ${claimHint(request)}
            <div class="button-group">
              ${
                request.serviceDue && request.recordWindowOpen
                  ? html`<a class="button button--primary" href="/time-bank/my-claims/${request.id}/done/duration"
                      >${actionFor(t('myClaims.done'), requestName(request))}</a
                    >`
                  : ''
              }<a class="button button--secondary" href="/time-bank/my-claims/${request.id}/release"
                >${actionFor(t('myClaims.release'), requestName(request))}</a
              >
            </div>
          </li>`;
        })}
      </ul>
      <div class="button-group"><a class="button button--secondary" href="/time-bank/requests">${t('home.openRequests')}</a></div>`,
  );
}

/**
 * The senior closed the caller's claim once its time was over, saying nobody came. If the
 * volunteer did go, they log it as a service of their own for the senior to confirm (or not):
 * the request stays closed.
 */
function closedAfterItsTime(request: HelpRequest): boolean {
  return request.status === 'CANCELLED' && request.claimedBy === currentUser()?.id && request.serviceOver;
}

/**
 * The claimer reports a request done: how long it took (the time asked for, unless changed),
 * checked, then sent. For a claim the senior closed after its time, the same page logs the
 * service instead (the link in the volunteer's message).
 */
function completeWizard(request: HelpRequest): Wizard {
  const choices = [...new Set([30, 60, 90, 120, 180, 240, request.durationMinutes])].sort((a, b) => a - b);
  const closed = closedAfterItsTime(request);
  const closedIntro = closed ? html`<p>${t('complete.closedIntro')}</p>` : undefined;
  return {
    key: `complete.${request.id}`,
    base: `/time-bank/my-claims/${request.id}/done`,
    title: t('complete.title'),
    backHref: '/time-bank/my-claims',
    initial: { durationMinutes: String(request.durationMinutes) },
    steps: [
      {
        id: 'duration',
        intro: closedIntro,
        fields: [
          {
            name: 'durationMinutes',
            label: t('complete.qDuration'),
            type: 'radio',
            options: choices.map((m) => ({ value: String(m), label: formatMinutes(m) })),
          },
        ],
      },
    ],
    checkIntro: closedIntro,
    summary: (v) => [
      { label: t('field.serviceType'), value: label('serviceType', request.serviceType) },
      ...(request.senior ? [{ label: t('myClaims.senior'), value: request.senior.name }] : []),
      { label: t('field.when'), value: formatDateTime(request.wantedAt) },
      { label: t('field.duration'), value: formatMinutes(Number(v.durationMinutes)), step: 'duration' },
      ...(closed ? [{ label: t('field.street'), value: request.street }] : []),
    ],
    submitLabel: t('complete.submit'),
    explain: requestChanged,
    stepOfField: (field) => (field === 'durationMinutes' || field === 'startedAt' ? 'duration' : undefined),
    submit: async (v) => {
      if (closed) {
        await api('/time-bank/services', {
          method: 'POST',
          body: { recipientId: request.seniorId, serviceType: request.serviceType, startedAt: request.wantedAt, durationMinutes: Number(v.durationMinutes) },
        });
        return { to: '/time-bank', message: t('complete.done') };
      }
      await api(`/time-bank/requests/${encodeURIComponent(request.id)}/complete`, { method: 'POST', body: { durationMinutes: Number(v.durationMinutes) } });
      return { to: '/time-bank/my-claims', message: t('complete.done') };
    },
  };
}

/** The wizard, unless the service's time is too long ago to log: then the page says so, and nothing is asked. */
async function completePage(ctx: PageContext): Promise<void> {
  const request = await api<HelpRequest>(`/time-bank/requests/${encodeURIComponent(ctx.params.id ?? '')}`, { signal: ctx.signal });
  if (request.recordWindowOpen) return runWizard(ctx, completeWizard(request));
  renderPage(
    ctx,
    t('complete.title'),
    html`<p><a class="back-link" href="/time-bank/my-claims">${t('nav.back')}</a></p>
      <h1>${t('complete.title')}</h1>
      ${requestSummary(request)}
      <p>${t('complete.tooLate')}</p>
      <div class="button-group"><a class="button button--secondary" href="/time-bank/my-claims">${t('myClaims.title')}</a></div>`,
  );
}

function releasePage(ctx: PageContext): Promise<void> {
  return requestCheckPage(ctx, {
    id: ctx.params.id ?? '',
    words: (request) => ({
      title: t('release.title'),
      intro: request.claimWindowOpen ? t('release.intro') : t('release.introLate'),
      submit: t('release.submit'),
      keep: t('release.keep'),
      done: t('release.done'),
    }),
    warning: true,
    back: '/time-bank/my-claims',
    action: 'release',
    key: newIdempotencyKey(),
  });
}

/** The volunteer's declared skills in words, in the order the choices list them, joined for a sentence. */
function skillWords(skills: readonly string[]): string {
  return SERVICE_TYPES.filter((type) => skills.includes(type))
    .map((type) => label('serviceType', type))
    .join(t('list.enumeration'));
}

async function requestsPage(ctx: PageContext): Promise<void> {
  const [list, mine] = await Promise.all([
    api<{ items: HelpRequest[] }>('/time-bank/requests?status=OPEN&limit=50', { signal: ctx.signal }),
    api<{ skills: string[] }>('/time-bank/volunteers/me/skills', { signal: ctx.signal }),
  ]);
  renderPage(
    ctx,
    t('requests.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('requests.title')}</h1>
      <p id="skills-line">
        ${mine.skills.length === 0 ? t('requests.noSkills') : t('requests.intro', { skills: skillWords(mine.skills) })}
        <a href="/time-bank/skills">${mine.skills.length === 0 ? t('requests.addSkills') : t('requests.changeSkills')}</a>
      </p>
      ${list.items.length === 0 ? html`<p>${t('requests.none')}</p>` : ''}
      <ul class="cards">
        ${list.items.map(
          (request) =>
            html`<li class="card">
              <h2 class="card-title">
                ${label('serviceType', request.serviceType)}${request.matchesSkills ? html` <span class="tag">${t('requests.matches')}</span>` : ''}
              </h2>
              ${requestFacts(request)}
              <p class="card-action">
                <a class="button button--secondary" href="/time-bank/requests/${request.id}/claim">${actionFor(t('requests.claim'), requestName(request))}</a>
              </p>
            </li>`,
        )}
      </ul>`,
  );
}

/**
 * The services the volunteer is good at: requests asking for them come first in the list, marked
 * as theirs. None ticked is an answer too (every request then comes in time order).
 */
async function skillsPage(ctx: PageContext): Promise<void> {
  const mine = await api<{ skills: string[] }>('/time-bank/volunteers/me/skills', { signal: ctx.signal });
  simpleForm(ctx, {
    title: t('skills.title'),
    before: html`<p><a class="back-link" href="/time-bank/requests">${t('requests.title')}</a></p>`,
    intro: html`<p>${t('skills.intro')}</p>`,
    fields: [
      {
        name: 'skills',
        label: t('skills.label'),
        hint: t('skills.hint'),
        type: 'checkbox',
        optional: true,
        options: serviceTypeOptions(),
      },
    ],
    values: { skills: mine.skills },
    submitLabel: t('skills.submit'),
    onSubmit: async (v) => {
      const chosen = Array.isArray(v.skills) ? v.skills : [];
      const saved = await api<{ skills: string[] }>('/time-bank/volunteers/me/skills', { method: 'PUT', body: { skills: chosen } });
      flash(saved.skills.length === 0 ? t('skills.savedNone') : t('skills.saved', { skills: skillWords(saved.skills) }));
      navigate('/time-bank/requests');
    },
  });
}

function claimPage(ctx: PageContext): Promise<void> {
  return requestCheckPage(ctx, {
    id: ctx.params.id ?? '',
    words: () => ({ title: t('claim.title'), intro: t('claim.intro'), submit: t('claim.submit'), keep: t('claim.notNow'), done: t('claim.done') }),
    back: '/time-bank/requests',
    then: '/time-bank/my-claims',
    action: 'claim',
  });
}

/**
 * A volunteer's request that staff look again at a service its elder turned down: why, in the
 * volunteer's words; and once staff decided, what (`outcome`), with their note.
 */
export interface ServiceReview {
  reason: string;
  requestedAt: string;
  outcome: 'CONFIRMED' | 'REJECTED' | null;
  note: string | null;
  decidedAt: string | null;
}

/** A service record as the API reads it to its volunteer, its recipient and staff. */
export interface ServiceRecord {
  id: string;
  status: 'PENDING_CONFIRMATION' | 'CONFIRMED' | 'REJECTED' | 'UNDER_REVIEW';
  recipientId: string;
  serviceType: string;
  startedAt: string;
  durationMinutes: number;
  note: string | null;
  rejectReason: string | null;
  volunteerId: string;
  volunteer?: { name: string };
  recipient?: { name: string };
  /** The member of staff who decided it for the elder, when it was not the elder's own word. */
  decidedBy?: { name: string };
  /** When it was logged. */
  loggedAt: string;
  review: ServiceReview | null;
  /** While it is turned down and was never reviewed: until when its volunteer may ask for a review. */
  reviewableUntil: string | null;
}

/** Its volunteer may still ask staff to review it: turned down, never reviewed, and the time to ask not over (by the API's deadline). */
function reviewable(service: ServiceRecord): boolean {
  return service.status === 'REJECTED' && !service.review && !!service.reviewableUntil && Date.parse(service.reviewableUntil) > Date.now();
}

/** What staff decided on review, if they did. */
function reviewOutcome(service: ServiceRecord): 'CONFIRMED' | 'REJECTED' | null {
  return service.review?.outcome ?? null;
}

/** Who gave a service, what and when: the rows its page and its rejection's check both begin with. */
function whoWhatWhen(service: ServiceRecord, what = true): SummaryRow[] {
  // Its volunteer is told whom it was for; everyone else, who gave it.
  const mine = service.volunteerId === currentUser()?.id;
  return [
    ...(mine && service.recipient ? [{ label: t('service.recipient'), value: service.recipient.name }] : []),
    ...(!mine && service.volunteer ? [{ label: t('service.volunteer'), value: service.volunteer.name }] : []),
    ...(what ? [{ label: t('field.serviceType'), value: label('serviceType', service.serviceType) }] : []),
    { label: t('field.when'), value: formatDateTime(service.startedAt) },
  ];
}

/** A service's facts; `what: false` on a card, whose title already says what it was; `extra` rows after them. */
function serviceFacts(service: ServiceRecord, what = true, extra: readonly SummaryRow[] = []): SafeHtml {
  return summaryList([
    ...whoWhatWhen(service, what),
    { label: t('field.duration'), value: formatMinutes(service.durationMinutes) },
    ...(service.note ? [{ label: t('field.note'), value: service.note }] : []),
    ...extra,
  ]);
}

/**
 * The services waiting for their elder to say whether they happened, as cards: who, what, when,
 * how long, and a link to each one's page (`hrefOf`: the elder's own, or the counter's or a
 * relative's for the elder).
 */
export function awaitingCards(services: ServiceRecord[], hrefOf: (service: ServiceRecord) => string, headingLevel: HeadingLevel = 'h3'): SafeHtml {
  return html`<ul class="cards">
    ${services.map(
      (service) =>
        html`<li class="card">
          ${cardTitle(label('serviceType', service.serviceType), headingLevel)} ${serviceFacts(service, false)}
          <p class="card-action">
            <a class="button button--primary" href="${hrefOf(service)}"
              >${t('service.open')}<span class="visually-hidden"
                >${t('list.colon')}${label('serviceType', service.serviceType)} ${formatDateTime(service.startedAt)}</span
              ></a
            >
          </p>
        </li>`,
    )}
  </ul>`;
}

/** The look of a logged service's state (the tickets' colours: waiting, banked, turned down, with staff). */
const LOGGED_PANEL: Record<ServiceRecord['status'], string> = {
  PENDING_CONFIRMATION: 'QUEUED',
  CONFIRMED: 'CONFIRMED',
  REJECTED: 'REJECTED',
  UNDER_REVIEW: 'WAITLISTED',
};

/** A logged service's state in a word or two, as its volunteer reads it: after a review, what staff decided. */
function loggedHeadline(service: ServiceRecord): string {
  const outcome = reviewOutcome(service);
  if (service.status === 'CONFIRMED' && outcome === 'CONFIRMED') return t('logged.reviewConfirmed');
  if (service.status === 'REJECTED' && outcome === 'REJECTED') return t('logged.reviewUpheld');
  return t(`logged.${service.status}`);
}

/**
 * The services a volunteer logged, latest first: for whom, what, when, how long, and what became
 * of each (waiting for the elder, banked, turned down with the elder's reason, with staff on
 * review, or decided by them with their note); one turned down may still be taken to staff.
 */
function loggedCards(services: ServiceRecord[]): SafeHtml {
  return html`<ul class="cards">
    ${services.map((service) => {
      const review = service.review;
      const turnedDown = service.status === 'REJECTED' || service.status === 'UNDER_REVIEW' || !!review;
      return html`<li class="card">
        ${cardTitle(label('serviceType', service.serviceType), 'h3')}
        <div class="status-panel status-panel--${LOGGED_PANEL[service.status]}" data-status="${service.status}">
          <p class="status-headline">${loggedHeadline(service)}</p>
          ${turnedDown && service.rejectReason ? html`<p>${t('logged.reason', { reason: service.rejectReason })}</p>` : ''}
          ${review ? html`<p>${t('logged.yourReason', { reason: review.reason })}</p>` : ''}
          ${review?.note ? html`<p>${t('logged.staffNote', { note: review.note })}</p>` : ''}
        </div>
        ${serviceFacts(service, false)}
        ${
          reviewable(service)
            ? html`<p class="card-action">
                <a class="button button--secondary" href="/time-bank/services/${service.id}/review/reason"
                  >${t('review.ask')}<span class="visually-hidden"
                    >${t('list.colon')}${label('serviceType', service.serviceType)} ${formatDateTime(service.startedAt)}</span
                  ></a
                >
              </p>`
            : ''
        }
      </li>`;
    })}
  </ul>`;
}

const LOGGED_PAGE_SIZE = 20;

/** All the services the volunteer logged, those waiting first, a page of 20 at a time (`?page=`). */
function loggedPage(ctx: PageContext): Promise<void> {
  return listPage<ServiceRecord>(ctx, {
    href: '/time-bank/logged',
    source: '/time-bank/services/logged-by-me',
    size: LOGGED_PAGE_SIZE,
    title: t('logged.title'),
    back: html`<p><a class="back-link" href="/time-bank">${t('bank.title')}</a></p>`,
    countId: 'logged-count',
    count: (total) => (total === 0 ? t('logged.none') : t('logged.intro', { count: total })),
    items: loggedCards,
  });
}

/**
 * Who reads a service's page, for its words: its volunteer; its elder (themselves, or the counter
 * or a relative acting for them, `forSenior`, named); or anyone else the API lets read it (staff).
 */
type ServiceViewer = { kind: 'volunteer' } | { kind: 'elder'; forName?: string } | { kind: 'other' };

function serviceViewer(service: ServiceRecord, forSenior?: ForSenior): ServiceViewer {
  if (forSenior) return { kind: 'elder', forName: forSenior.name };
  const me = currentUser()?.id;
  if (service.volunteerId === me) return { kind: 'volunteer' };
  return service.recipientId === me ? { kind: 'elder' } : { kind: 'other' };
}

/** Once a service was taken to staff: what the elder said, what the volunteer said, and staff's note, each named for its reader. */
function reviewStatements(service: ServiceRecord, viewer: ServiceViewer): SummaryRow[] {
  const review = service.review;
  if (!review) return [];
  const elderIsReader = viewer.kind === 'elder' && !viewer.forName;
  return [
    ...(service.rejectReason ? [{ label: elderIsReader ? t('review.yourWords') : t('review.elderWords'), value: service.rejectReason }] : []),
    { label: viewer.kind === 'volunteer' ? t('review.yourReview') : t('review.volunteerWords'), value: review.reason },
    ...(review.note ? [{ label: t('review.staffNote'), value: review.note }] : []),
  ];
}

/** A state in a panel: its colour, its headline and what follows from it, in words. */
function standingPanel(service: ServiceRecord, look: string, headline: string, text = ''): SafeHtml {
  return html`<div class="status-panel status-panel--${look}" id="service-standing" data-status="${service.status}">
    <p class="status-headline">${headline}</p>
    ${text ? html`<p>${text}</p>` : ''}
  </div>`;
}

/**
 * Where a decided or waiting service stands, for whoever reads it. Turned down, its volunteer may
 * ask staff to review it once within the time the API gives (a button), or is told that time is
 * over; while staff look at it, nobody is asked anything; after, what staff decided.
 */
function serviceStanding(service: ServiceRecord, viewer: ServiceViewer): SafeHtml {
  const outcome = reviewOutcome(service);
  const volunteer = viewer.kind === 'volunteer';
  switch (service.status) {
    case 'PENDING_CONFIRMATION':
      return html`<p>${t('service.waiting')}</p>`;
    case 'CONFIRMED':
      if (outcome !== 'CONFIRMED')
        return html`<p id="service-decided">${service.decidedBy ? t('service.confirmedBy', { name: service.decidedBy.name }) : t('service.confirmed')}</p>`;
      return volunteer
        ? standingPanel(service, 'CONFIRMED', t('logged.reviewConfirmed'), t('review.confirmedOwnText'))
        : standingPanel(service, 'CONFIRMED', t('review.confirmedElder'), t('review.confirmedElderText'));
    case 'UNDER_REVIEW':
      if (volunteer) return standingPanel(service, 'WAITLISTED', t('review.pendingOwn'), t('review.pendingOwnText'));
      if (viewer.kind === 'elder')
        return standingPanel(
          service,
          'WAITLISTED',
          t('review.pendingElder'),
          viewer.forName ? t('review.pendingForText', { name: viewer.forName }) : t('review.pendingElderText'),
        );
      return standingPanel(service, 'WAITLISTED', t('review.pendingOther'));
    case 'REJECTED':
      if (outcome === 'REJECTED') {
        if (volunteer) return standingPanel(service, 'REJECTED', t('logged.reviewUpheld'), t('review.upheldOwnText'));
        const yours = viewer.kind === 'elder' && !viewer.forName;
        return standingPanel(service, 'REJECTED', yours ? t('review.upheldYou') : t('review.upheldElder'), t('review.upheldElderText'));
      }
      return html`<p id="service-decided">
          ${
            service.decidedBy
              ? t('service.rejectedBy', { name: service.decidedBy.name, reason: service.rejectReason ?? '' })
              : t('service.rejected', { reason: service.rejectReason ?? '' })
          }
        </p>
        ${
          !volunteer
            ? ''
            : reviewable(service)
              ? html`<p id="review-offer">${t('review.offer', { until: formatDateTime(service.reviewableUntil) })}</p>
                  <div class="button-group">
                    <a class="button button--primary" href="/time-bank/services/${service.id}/review/reason">${t('review.ask')}</a>
                  </div>`
              : html`<p id="review-offer">
                  ${service.reviewableUntil ? t('review.closedOn', { until: formatDateTime(service.reviewableUntil) }) : t('review.closed')}
                </p>`
        }`;
  }
}

/**
 * Where a service's pages are and whose word decides it: the elder's own pages, or those of the
 * counter or a linked relative acting for a senior (`forSenior`, whose `base` is where that
 * senior's service pages are). Acting for a senior reads and decides as the senior, recorded.
 */
function servicePlace(forSenior?: ForSenior): { base: string; back: string; query: string; body: Record<string, string>; deciderId?: string } {
  return forSenior
    ? {
        base: forSenior.base,
        back: forSenior.backHref,
        query: `?seniorId=${encodeURIComponent(forSenior.seniorId)}`,
        body: { seniorId: forSenior.seniorId },
        deciderId: forSenior.seniorId,
      }
    : { base: '/time-bank/services', back: '/time-bank', query: '', body: {}, deciderId: currentUser()?.id };
}

/**
 * A service a volunteer logged, where its elder's message leads: while it waits, the elder says
 * it happened (its minutes are then banked) or that it did not (`/reject`, with why); once
 * decided, what was decided. Its volunteer sees where it stands.
 */
export async function servicePage(ctx: PageContext, forSenior?: ForSenior, errors: string[] = []): Promise<void> {
  const place = servicePlace(forSenior);
  const id = ctx.params.serviceId ?? ctx.params.id ?? '';
  const path = `/time-bank/services/${encodeURIComponent(id)}`;
  const service = await api<ServiceRecord>(`${path}${place.query}`, { signal: ctx.signal });
  const deciding = service.status === 'PENDING_CONFIRMATION' && service.recipientId === place.deciderId;
  const question = forSenior ? t('acting.serviceQuestion', { name: forSenior.name }) : t('service.question');
  const viewer = serviceViewer(service, forSenior);
  renderPage(
    ctx,
    deciding ? question : t('service.title'),
    html`<p><a class="back-link" href="${place.back}">${t('nav.back')}</a></p>
      ${errorSummary(errors)}
      <h1>${deciding ? question : t('service.title')}</h1>
      ${serviceFacts(service, true, reviewStatements(service, viewer))}
      ${
        deciding
          ? html`<p>${forSenior ? t('acting.serviceIntro', { name: forSenior.name }) : t('service.intro')}</p>
              <form id="service-confirm-form" novalidate>
                <div class="button-group">
                  ${button(t('service.confirm'), { primary: true })}<a class="button button--secondary" href="${place.base}/${service.id}/reject/reason"
                    >${t('service.reject')}</a
                  >
                </div>
              </form>`
          : serviceStanding(service, viewer)
      }`,
    { error: errors.length > 0 },
  );
  if (!deciding) return;
  confirmForm({
    form: 'service-confirm-form',
    errors,
    action: async () => {
      await api(`${path}/confirm`, { method: 'POST', body: place.body });
      const minutes = formatMinutes(service.durationMinutes);
      flash(forSenior ? t('acting.serviceConfirmed', { name: forSenior.name, minutes }) : t('service.confirmDone', { minutes }));
      navigate(place.back);
    },
    again: (found) => servicePage(ctx, forSenior, found),
  });
}

/** "It did not happen": why, in the elder's words, then a check. */
export async function rejectServicePage(ctx: PageContext, forSenior?: ForSenior): Promise<void> {
  const place = servicePlace(forSenior);
  const id = ctx.params.serviceId ?? ctx.params.id ?? '';
  const service = await api<ServiceRecord>(`/time-bank/services/${encodeURIComponent(id)}${place.query}`, { signal: ctx.signal });
  // Decided already, or with staff: nothing is asked; its page says where it stands.
  if (service.status !== 'PENDING_CONFIRMATION') return navigate(`${place.base}/${id}`, { replace: true });
  runWizard(ctx, {
    key: `reject-service.${id}`,
    base: `${place.base}/${id}/reject`,
    title: forSenior ? t('acting.serviceRejectTitle', { name: forSenior.name }) : t('service.reject'),
    backHref: `${place.base}/${id}`,
    steps: [
      {
        id: 'reason',
        intro: serviceFacts(service),
        fields: [
          {
            name: 'reason',
            label: forSenior ? t('acting.serviceReason', { name: forSenior.name }) : t('service.qReason'),
            hint: t('service.reasonHint'),
            type: 'textarea',
            validate: (v) => (v.length > 500 ? t('form.tooLong', { max: 500 }) : null),
          },
        ],
      },
    ],
    summary: (v) => [
      ...(forSenior ? [{ label: t('acting.serviceFor'), value: forSenior.name }] : []),
      ...whoWhatWhen(service),
      { label: t('service.why'), value: String(v.reason), step: 'reason' },
    ],
    submitLabel: t('service.rejectSubmit'),
    warning: true,
    explain: (error) => (error.code === 'ILLEGAL_TRANSITION' ? t('service.alreadyConfirmed') : undefined),
    submit: async (v) => {
      await api(`/time-bank/services/${encodeURIComponent(id)}/reject`, { method: 'POST', body: { ...place.body, reason: String(v.reason) } });
      return { to: place.back, message: t('service.rejectDone') };
    },
  });
}

/** Why the API would not take a review request, in the words of this page. */
function reviewRefusal(error: ApiError): string | undefined {
  switch (error.code) {
    case 'REVIEW_WINDOW_CLOSED':
      return t('review.closed');
    case 'SERVICE_OVERLAP':
      return t('review.overlap');
    case 'ILLEGAL_TRANSITION':
      return t('review.alreadyAsked');
    default:
      return undefined;
  }
}

/**
 * Its volunteer asks staff to review a service the elder turned down: why they say it happened,
 * then a check. Only while it may be asked for; otherwise its page says where it stands.
 */
async function reviewRequestPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const servicePath = `/time-bank/services/${encodeURIComponent(id)}`;
  const service = await api<ServiceRecord>(servicePath, { signal: ctx.signal });
  if (service.volunteerId !== currentUser()?.id || !reviewable(service)) return navigate(`/time-bank/services/${service.id}`, { replace: true });
  const elderSaid: SummaryRow[] = service.rejectReason ? [{ label: t('review.elderWords'), value: service.rejectReason }] : [];
  runWizard(ctx, {
    key: `review-service.${service.id}`,
    base: `/time-bank/services/${service.id}/review`,
    title: t('review.title'),
    backHref: `/time-bank/services/${service.id}`,
    steps: [
      {
        id: 'reason',
        intro: html`${serviceFacts(service, true, elderSaid)}
          <p>${t('review.intro', { until: formatDateTime(service.reviewableUntil) })}</p>`,
        fields: [
          {
            name: 'reason',
            label: t('review.qReason'),
            hint: t('review.reasonHint'),
            type: 'textarea',
            validate: (v) => (v.length > 500 ? t('form.tooLong', { max: 500 }) : null),
          },
        ],
      },
    ],
    checkIntro: html`<p>${t('review.checkIntro')}</p>`,
    summary: (v) => [...whoWhatWhen(service), ...elderSaid, { label: t('review.yourReview'), value: String(v.reason), step: 'reason' }],
    submitLabel: t('review.submit'),
    explain: reviewRefusal,
    submit: async (v) => {
      await api(`${servicePath}/review-request`, { method: 'POST', body: { reason: String(v.reason) } });
      return { to: `/time-bank/services/${service.id}`, message: t('review.done') };
    },
  });
}

export const timeBankRoutes: Route[] = [
  { pattern: '/time-bank', page: accountPage, roles: ['SENIOR', 'VOLUNTEER'] },
  { pattern: '/time-bank/request/:step', page: (ctx) => runWizard(ctx, requestWizard()), roles: ['SENIOR'] },
  { pattern: '/time-bank/redeem/:step', page: (ctx) => runRedeemWizard(ctx), roles: ['SENIOR', 'VOLUNTEER'] },
  { pattern: '/time-bank/give/:step', page: (ctx) => runGiveWizard(ctx), roles: ['SENIOR', 'VOLUNTEER'] },
  { pattern: '/time-bank/log/:step', page: (ctx) => runWizard(ctx, logWizard()), roles: ['VOLUNTEER'] },
  { pattern: '/time-bank/requests', page: requestsPage, roles: ['VOLUNTEER'] },
  { pattern: '/time-bank/requests/:id/claim', page: claimPage, roles: ['VOLUNTEER'] },
  { pattern: '/time-bank/skills', page: skillsPage, roles: ['VOLUNTEER'] },
  { pattern: '/time-bank/my-requests', page: myRequestsPage, roles: ['SENIOR'] },
  { pattern: '/time-bank/my-requests/:id/cancel', page: (ctx) => cancelRequestPage(ctx), roles: ['SENIOR'] },
  { pattern: '/time-bank/my-claims', page: myClaimsPage, roles: ['VOLUNTEER'] },
  { pattern: '/time-bank/logged', page: loggedPage, roles: ['VOLUNTEER'] },
  { pattern: '/time-bank/history', page: historyPage, roles: ['SENIOR', 'VOLUNTEER'] },
  { pattern: '/time-bank/my-claims/:id/done/:step', page: completePage, roles: ['VOLUNTEER'] },
  { pattern: '/time-bank/my-claims/:id/release', page: releasePage, roles: ['VOLUNTEER'] },
  // Anyone signed in: the elder it was for (any role), its volunteer, staff; the API decides who may read it.
  { pattern: '/time-bank/services/:id', page: (ctx) => servicePage(ctx), signedIn: true },
  { pattern: '/time-bank/services/:id/reject/:step', page: (ctx) => rejectServicePage(ctx), signedIn: true },
  { pattern: '/time-bank/services/:id/review/:step', page: reviewRequestPage, roles: ['VOLUNTEER'] },
];
