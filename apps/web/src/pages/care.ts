import { api, newIdempotencyKey } from '../api';
import { html, type Renderable, type SafeHtml } from '../dom';
import { actionFor, button, confirmForm, downloadButton, errorSummary, simpleForm, summaryList, type Values } from '../forms';
import { formatDate, formatDateTime, formatPercent, formatTime, nowClock, todayIso, zonedIso } from '../format';
import { label, t, type TextKey } from '../i18n';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { labelledTable, listPage, type TableColumn } from '../paging';
import { currentUser } from '../session';
import { cardOrIdProblem, seniorReference, wholeNumberProblem } from '../validation';
import { type CareCentre as Centre, centreFacts } from './care-admin';

interface Attendance {
  date: string;
  checkIns: number;
  dayCapacity: number;
  rate?: number;
  items: { checkInId: string; name: string; checkedInAt: string }[];
}

interface ServiceRecord {
  id: string;
  seniorName: string;
  serviceType: string;
  occurredAt: string;
  occurredOn: string;
  quantity: number;
}

interface ServicesOfDay {
  date: string;
  items: ServiceRecord[];
}

/** When a service was given: the time, with the date when it was not today (a late entry). */
function serviceTime(record: ServiceRecord): string {
  return record.occurredOn === todayIso() ? formatTime(record.occurredAt) : formatDateTime(record.occurredAt);
}

/** Whether the signed-in manager manages this centre: administrators see its lists but do not correct them. */
function managesCentre(centreId: string): boolean {
  return currentUser()?.facilityIds.includes(centreId) === true;
}

/** One entry of a day's list: its cells, and what its withdraw button names and opens. */
interface DayRow {
  cells: Renderable[];
  what: string;
  withdraw: string;
}

/**
 * A list of the day's entries (arrivals, services), the latest first: the desk sees at once that
 * the card it scanned was the right person's, and the centre's own managers withdraw an entry made
 * by mistake (administrators see the list only).
 */
function dayList(centreId: string, list: { id: string; heading: TextKey; none: TextKey; order: TextKey; columns: TextKey[]; rows: DayRow[] }): Renderable {
  if (list.rows.length === 0)
    return html`<h2>${t(list.heading)}</h2>
      <p>${t(list.none)}</p>`;
  const manages = managesCentre(centreId);
  return html`<h2>${t(list.heading)}</h2>
    <p class="hint">${t(list.order)}</p>
    <table class="table" id="${list.id}">
      <thead>
        <tr>
          ${list.columns.map((column) => html`<th scope="col">${t(column)}</th>`)}
          ${manages ? html`<th scope="col"><span class="visually-hidden">${t('centre.withdraw')}</span></th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${[...list.rows].reverse().map(
          (row) =>
            html`<tr>
              ${row.cells.map((cell) => html`<td>${cell}</td>`)}
              ${
                manages
                  ? html`<td>
                      <a class="button button--secondary" href="${row.withdraw}">${actionFor(t('centre.withdraw'), row.what)}</a>
                    </td>`
                  : ''
              }
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** The services entered today. */
function servicesToday(centreId: string, today: ServicesOfDay): Renderable {
  return dayList(centreId, {
    id: 'services-today',
    heading: 'centre.servicesToday',
    none: 'centre.noServicesToday',
    order: 'centre.servicesOrder',
    columns: ['centre.givenAt', 'field.name', 'field.serviceType', 'centre.quantityShort'],
    rows: today.items.map((item) => {
      const type = label('careService', item.serviceType);
      return {
        cells: [serviceTime(item), item.seniorName, type, item.quantity],
        what: `${item.seniorName} ${type}`,
        withdraw: `/care-centres/${centreId}/service-records/${item.id}/withdraw`,
      };
    }),
  });
}

/** Today's arrivals. */
function arrivals(centreId: string, attendance: Attendance): Renderable {
  return dayList(centreId, {
    id: 'arrivals',
    heading: 'centre.arrivals',
    none: 'centre.noArrivals',
    order: 'centre.arrivalsOrder',
    columns: ['centre.arrivedAt', 'field.name'],
    rows: attendance.items.map((item) => ({
      cells: [formatTime(item.checkedInAt), item.name],
      what: item.name,
      withdraw: `/care-centres/${centreId}/check-ins/${item.checkInId}/withdraw`,
    })),
  });
}

export const CARE_SERVICE_TYPES = ['MEAL', 'CLEANING', 'MEDICAL', 'HARDSHIP', 'EMERGENCY', 'RECREATION'];

/** The district's care-centre figures for a period, as the overview and the district report show them. */
export interface CareFigures {
  centres: number;
  operating: number;
  socializedOperationRate: number;
  sunshineKitchenCoverage: number;
  servicesByType: Record<string, number>;
  attendanceRate: number;
  contractsEndingWithin60Days: number;
  contractsExpired: number;
}

/**
 * A care centre's day: attendance against capacity, then the two things a manager records —
 * a check-in and a service given. Each form keeps its input and shows its errors on submit.
 */
async function centrePage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  // Only the centre's own managers record; anyone else (the bureau) sees its day and both lists.
  const records = managesCentre(id);
  const form = ctx.query.get('form') === 'service' ? 'service' : 'check-in';
  const [centre, attendance, services] = await Promise.all([
    api<Centre>(`/care-centres/${id}`, { signal: ctx.signal }),
    api<Attendance>(`/care-centres/${id}/attendance?date=${todayIso()}`, { signal: ctx.signal }),
    form === 'service' || !records ? api<ServicesOfDay>(`/care-centres/${id}/service-records`, { signal: ctx.signal }) : null,
  ]);
  const rate = attendance.dayCapacity ? attendance.checkIns / attendance.dayCapacity : 0;
  const bureau = !records && currentUser()?.roles.includes('ADMIN') === true;
  const back = bureau
    ? html`<p><a class="back-link" href="/admin/care-centres">${t('centres.title')}</a></p>`
    : html`<p><a class="back-link" href="/facilities">${t('facilities.title')}</a></p>`;
  const before = html`${back}
    <p class="caption">${centre.street}</p>
    <h1>${centre.name}</h1>
    <p class="lead">${t('centre.today', { date: formatDate(attendance.date) })}</p>
    <div class="figures">
      <div class="figure figure--main">
        <p class="figure-label">${t('centre.checkIns')}</p>
        <p class="figure-value" id="check-in-count">${attendance.checkIns}</p>
      </div>
      <div class="figure">
        <p class="figure-label">${t('centre.capacity')}</p>
        <p class="figure-value">${attendance.dayCapacity}</p>
      </div>
      <div class="figure">
        <p class="figure-label">${t('centre.rate')}</p>
        <p class="figure-value">${formatPercent(rate)}</p>
      </div>
    </div>
    ${
      records
        ? html`<nav aria-label="${t('centre.forms')}" class="button-group">
            <a class="button button--secondary" href="/care-centres/${id}" ${form === 'check-in' ? html`aria-current="page"` : ''}
              >${t('centre.checkInTitle')}</a
            >
            <a class="button button--secondary" href="/care-centres/${id}?form=service" ${form === 'service' ? html`aria-current="page"` : ''}
              >${t('centre.serviceTitle')}</a
            >
          </nav>`
        : centreFacts(centre, bureau)
    }
    <div class="button-group">
      ${downloadButton(t('export.attendance'), { path: `/care-centres/${id}/attendance?format=xlsx`, name: 'attendance.xlsx', status: 'attendance-download-status' })}
      ${downloadButton(t('export.attendanceCsv'), { path: `/care-centres/${id}/attendance?format=csv`, name: 'attendance.csv', status: 'attendance-download-status' })}
    </div>
    <p role="status" id="attendance-download-status"></p>
    <p><a href="/care-centres/${id}/withdrawals">${t('centre.withdrawals')}</a></p>`;
  const seniorField = {
    name: 'senior',
    label: t('centre.seniorNumber'),
    hint: t('centre.seniorHint'),
    type: 'text' as const,
    inputmode: 'text' as const,
    autocomplete: 'off',
    width: 'medium' as const,
    validate: cardOrIdProblem,
  };
  if (!records) {
    renderPage(ctx, centre.name, html`${before}${arrivals(id, attendance)}${services ? servicesToday(id, services) : ''}`);
    return;
  }
  if (form === 'check-in') {
    simpleForm(ctx, {
      title: t('centre.checkInTitle'),
      within: centre.name,
      before,
      fields: [seniorField],
      submitLabel: t('centre.checkInSubmit'),
      after: arrivals(id, attendance),
      onSubmit: async (v: Values) => {
        const checkIn = await api<{ seniorName: string }>(`/care-centres/${id}/check-ins`, { method: 'POST', body: seniorReference(String(v.senior)) });
        flash(t('centre.checkedIn', { name: checkIn.seniorName }));
        navigate(`/care-centres/${id}`, { replace: true });
      },
    });
    return;
  }
  simpleForm(ctx, {
    title: t('centre.serviceTitle'),
    within: centre.name,
    before,
    values: { time: nowClock(), quantity: '1' },
    fields: [
      seniorField,
      {
        name: 'serviceType',
        label: t('field.serviceType'),
        type: 'radio',
        options: CARE_SERVICE_TYPES.map((value) => ({ value, label: label('careService', value) })),
      },
      { name: 'time', label: t('centre.serviceTime'), hint: t('field.timeHint'), type: 'time', width: 'medium' },
      { name: 'quantity', label: t('centre.quantity'), type: 'number', width: 'short', validate: wholeNumberProblem(1, 100) },
    ],
    submitLabel: t('centre.serviceSubmit'),
    after: services ? servicesToday(id, services) : '',
    onSubmit: async (v: Values) => {
      const record = await api<{ seniorName: string }>(`/care-centres/${id}/service-records`, {
        method: 'POST',
        headers: { 'Idempotency-Key': newIdempotencyKey() },
        body: {
          ...seniorReference(String(v.senior)),
          serviceType: v.serviceType,
          occurredAt: zonedIso(todayIso(), String(v.time)),
          quantity: Number(v.quantity),
        },
      });
      flash(t('centre.serviceDone', { name: record.seniorName, type: label('careService', String(v.serviceType)) }));
      navigate(`/care-centres/${id}?form=service`, { replace: true });
    },
  });
}

/** What a withdrawal page shows and does: the entry (null when it is no longer there) and the call that withdraws it. */
interface Withdrawal {
  title: TextKey;
  goneTitle: TextKey;
  gone: TextKey;
  warning: TextKey;
  rows: { label: string; value: string }[] | null;
  withdraw: () => Promise<void>;
  done: string;
}

/**
 * Withdrawing an entry of today made by mistake: what it is, what withdrawing does, then the
 * confirmation; opened once it is withdrawn (another tab, a colleague), it says the entry is gone.
 */
function withdrawalPage(ctx: PageContext, centre: Centre, withdrawal: Withdrawal, back: string, errors: string[] = []): void {
  const { rows } = withdrawal;
  const title = t(rows ? withdrawal.title : withdrawal.goneTitle);
  renderPage(
    ctx,
    `${title} - ${centre.name}`,
    html`<p><a class="back-link" href="${back}">${centre.name}</a></p>
      ${errorSummary(errors)}
      <h1>${title}</h1>
      ${
        rows
          ? html`${summaryList(rows)}
              <p>${t(withdrawal.warning)}</p>
              <form id="withdraw-form" novalidate>
                <div class="button-group">
                  ${button(t('centre.withdrawSubmit'), { primary: true, warning: true })}<a class="button button--secondary" href="${back}"
                    >${t('centre.withdrawKeep')}</a
                  >
                </div>
              </form>`
          : html`<p>${t(withdrawal.gone)}</p>
              <p><a class="button button--secondary" href="${back}">${centre.name}</a></p>`
      }`,
    { error: errors.length > 0 },
  );
  if (!rows) return;
  confirmForm({
    form: 'withdraw-form',
    errors,
    action: async () => {
      await withdrawal.withdraw();
      flash(withdrawal.done);
      navigate(back, { replace: true });
    },
    again: async (found) => withdrawalPage(ctx, centre, withdrawal, back, found),
  });
}

/** Withdrawing a check-in of today made by mistake. */
async function checkInWithdrawalPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const checkInId = ctx.params.checkInId ?? '';
  const [centre, attendance] = await Promise.all([
    api<Centre>(`/care-centres/${id}`, { signal: ctx.signal }),
    api<Attendance>(`/care-centres/${id}/attendance?date=${todayIso()}`, { signal: ctx.signal }),
  ]);
  const item = attendance.items.find((candidate) => candidate.checkInId === checkInId);
  withdrawalPage(
    ctx,
    centre,
    {
      title: 'centre.withdrawTitle',
      goneTitle: 'centre.withdrawGoneTitle',
      gone: 'centre.withdrawGone',
      warning: 'centre.withdrawWarning',
      rows: item
        ? [
            { label: t('field.name'), value: item.name },
            { label: t('centre.arrivedAt'), value: formatTime(item.checkedInAt) },
          ]
        : null,
      withdraw: async () => {
        await api(`/care-centres/${id}/check-ins/${checkInId}/withdraw`, { method: 'POST' });
      },
      done: t('centre.withdrawn', { name: item?.name ?? '' }),
    },
    `/care-centres/${id}`,
  );
}

/** Withdrawing a service record entered today by mistake. */
async function serviceWithdrawalPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const recordId = ctx.params.recordId ?? '';
  const [centre, today] = await Promise.all([
    api<Centre>(`/care-centres/${id}`, { signal: ctx.signal }),
    api<ServicesOfDay>(`/care-centres/${id}/service-records`, { signal: ctx.signal }),
  ]);
  const item = today.items.find((candidate) => candidate.id === recordId);
  const type = item ? label('careService', item.serviceType) : '';
  withdrawalPage(
    ctx,
    centre,
    {
      title: 'centre.serviceWithdrawTitle',
      goneTitle: 'centre.serviceWithdrawGoneTitle',
      gone: 'centre.serviceWithdrawGone',
      warning: 'centre.serviceWithdrawWarning',
      rows: item
        ? [
            { label: t('field.name'), value: item.seniorName },
            { label: t('field.serviceType'), value: type },
            { label: t('centre.givenAt'), value: serviceTime(item) },
            { label: t('centre.quantity'), value: String(item.quantity) },
          ]
        : null,
      withdraw: async () => {
        await api(`/care-centres/${id}/service-records/${recordId}/withdraw`, { method: 'POST' });
      },
      done: t('centre.serviceWithdrawn', { name: item?.seniorName ?? '', type }),
    },
    `/care-centres/${id}?form=service`,
  );
}

/** A check-in or a service record a centre withdrew, as the API lists it. */
interface WithdrawnEntry {
  kind: 'CHECK_IN' | 'SERVICE_RECORD';
  centreId: string;
  centreName: string;
  seniorName: string;
  serviceType: string | null;
  quantity: number | null;
  occurredAt: string;
  enteredAt: string;
  enteredBy: { name: string };
  withdrawnAt: string;
  withdrawnBy: { name: string };
}

const WITHDRAWALS_PAGE_SIZE = 50;

/** A name or a short phrase that a narrow column wraps as a whole. */
function together(text: string): SafeHtml {
  return html`<span class="keep-together">${text}</span>`;
}

/** Withdrawals as staff read them: when and by whom, what it was and for whom, when and by whom it was entered; the centre too (`withCentre`, linked to its page) when they are of several. */
function withdrawalsTable(entries: WithdrawnEntry[], withCentre: boolean): SafeHtml {
  const columns: TableColumn<WithdrawnEntry>[] = [
    { heading: t('withdrawals.at'), cell: (entry) => formatDateTime(entry.withdrawnAt) },
    ...(withCentre
      ? [{ heading: t('withdrawals.centre'), cell: (entry: WithdrawnEntry) => html`<a href="/care-centres/${entry.centreId}">${entry.centreName}</a>` }]
      : []),
    { heading: t('withdrawals.by'), cell: (entry) => together(entry.withdrawnBy.name) },
    {
      heading: t('withdrawals.what'),
      cell: (entry) =>
        together(
          entry.kind === 'CHECK_IN'
            ? t('withdrawals.checkIn')
            : t('withdrawals.service', { type: label('careService', entry.serviceType ?? ''), quantity: entry.quantity ?? 0 }),
        ),
    },
    { heading: t('withdrawals.senior'), cell: (entry) => together(entry.seniorName) },
    { heading: t('withdrawals.occurredAt'), cell: (entry) => formatDateTime(entry.occurredAt) },
    { heading: t('withdrawals.enteredAt'), cell: (entry) => formatDateTime(entry.enteredAt) },
    { heading: t('withdrawals.enteredBy'), cell: (entry) => together(entry.enteredBy.name) },
  ];
  return labelledTable('withdrawals', columns, entries);
}

/** The button that downloads this month's withdrawals (of `source`) as a workbook, and where it says how that went. */
function withdrawalsDownload(source: string): SafeHtml {
  return html`<div class="button-group">
      ${downloadButton(t('withdrawals.download'), { path: `${source}?format=xlsx`, name: 'withdrawals.xlsx', status: 'withdrawals-download-status' })}
    </div>
    <p role="status" id="withdrawals-download-status"></p>`;
}

/** The line above a list of withdrawals: none yet, or how many and in what order. */
function withdrawalsCount(total: number, none: TextKey): string {
  return total === 0 ? t(none) : t('withdrawals.intro', { count: total });
}

/**
 * Every check-in and service the centre withdrew, the latest first, 50 to a page: the bureau and
 * the centre's managers see each correction to the figures, who entered it and who withdrew it.
 */
async function withdrawalsPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const centre = await api<Centre>(`/care-centres/${id}`, { signal: ctx.signal });
  await listPage<WithdrawnEntry>(ctx, {
    href: `/care-centres/${id}/withdrawals`,
    source: `/care-centres/${id}/withdrawals`,
    size: WITHDRAWALS_PAGE_SIZE,
    title: t('withdrawals.title', { name: centre.name }),
    back: html`<p><a class="back-link" href="/care-centres/${id}">${centre.name}</a></p>`,
    countId: 'withdrawals-count',
    count: (total) => withdrawalsCount(total, 'withdrawals.none'),
    items: (entries) => withdrawalsTable(entries, false),
    actions: withdrawalsDownload(`/care-centres/${id}/withdrawals`),
    desk: true,
  });
}

/** Every centre's withdrawals, the latest first, 50 to a page, for the bureau: each centre's name leads to its page. */
function districtWithdrawalsPage(ctx: PageContext): Promise<void> {
  return listPage<WithdrawnEntry>(ctx, {
    href: '/admin/withdrawals',
    source: '/care-centres/withdrawals',
    size: WITHDRAWALS_PAGE_SIZE,
    title: t('withdrawals.districtTitle'),
    back: html`<p><a class="back-link" href="/admin">${t('admin.title')}</a></p>`,
    countId: 'withdrawals-count',
    count: (total) => withdrawalsCount(total, 'withdrawals.noneInDistrict'),
    items: (entries) => withdrawalsTable(entries, true),
    actions: withdrawalsDownload('/care-centres/withdrawals'),
    desk: true,
  });
}

export const careRoutes: Route[] = [
  { pattern: '/care-centres/:id', page: centrePage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/care-centres/:id/check-ins/:checkInId/withdraw', page: checkInWithdrawalPage, roles: ['MANAGER'] },
  { pattern: '/care-centres/:id/service-records/:recordId/withdraw', page: serviceWithdrawalPage, roles: ['MANAGER'] },
  { pattern: '/care-centres/:id/withdrawals', page: withdrawalsPage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/admin/withdrawals', page: districtWithdrawalsPage, roles: ['ADMIN'] },
];
