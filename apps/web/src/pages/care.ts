import { api, newIdempotencyKey } from '../api';
import { html, type Renderable } from '../dom';
import { button, confirmForm, errorSummary, simpleForm, summaryList, type Values } from '../forms';
import { formatDate, formatPercent, formatTime, nowClock, todayIso, zonedIso } from '../format';
import { label, t } from '../i18n';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { currentUser } from '../session';
import { cardOrIdProblem, seniorReference, wholeNumberProblem } from '../validation';

interface Centre {
  id: string;
  name: string;
  street: string;
  operatorKind: string;
  operatorName: string | null;
  status: string;
  dayCapacity: number;
  sunshineKitchen: boolean;
}

interface Attendance {
  date: string;
  checkIns: number;
  dayCapacity: number;
  rate?: number;
  items: { checkInId: string; name: string; checkedInAt: string }[];
}

/**
 * Today's arrivals, the latest first: the desk sees at once that the card it scanned was the right
 * person's, and withdraws a check-in of the wrong one.
 */
function arrivals(centreId: string, attendance: Attendance): Renderable {
  // Administrators see the list; only the centre's own managers correct it.
  const manages = currentUser()?.facilityIds.includes(centreId) === true;
  if (attendance.items.length === 0)
    return html`<h2>${t('centre.arrivals')}</h2>
      <p>${t('centre.noArrivals')}</p>`;
  return html`<h2>${t('centre.arrivals')}</h2>
    <p class="hint">${t('centre.arrivalsOrder')}</p>
    <table class="table" id="arrivals">
      <thead>
        <tr>
          <th scope="col">${t('centre.arrivedAt')}</th>
          <th scope="col">${t('field.name')}</th>
          ${manages ? html`<th scope="col"><span class="visually-hidden">${t('centre.withdraw')}</span></th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${[...attendance.items].reverse().map(
          (item) =>
            html`<tr>
              <td>${formatTime(item.checkedInAt)}</td>
              <td>${item.name}</td>
              ${
                manages
                  ? html`<td>
                      <a class="button button--secondary" href="/care-centres/${centreId}/check-ins/${item.checkInId}/withdraw"
                        >${t('centre.withdraw')}<span class="visually-hidden">${t('list.colon')}${item.name}</span></a
                      >
                    </td>`
                  : ''
              }
            </tr>`,
        )}
      </tbody>
    </table>`;
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
}

/**
 * A care centre's day: attendance against capacity, then the two things a manager records —
 * a check-in and a service given. Each form keeps its input and shows its errors on submit.
 */
async function centrePage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const form = ctx.query.get('form') === 'service' ? 'service' : 'check-in';
  const [centre, attendance] = await Promise.all([
    api<Centre>(`/care-centres/${id}`, { signal: ctx.signal }),
    api<Attendance>(`/care-centres/${id}/attendance?date=${todayIso()}`, { signal: ctx.signal }),
  ]);
  const rate = attendance.dayCapacity ? attendance.checkIns / attendance.dayCapacity : 0;
  const before = html`<p><a class="back-link" href="/facilities">${t('facilities.title')}</a></p>
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
    <nav aria-label="${t('centre.forms')}" class="button-group">
      <a class="button button--secondary" href="/care-centres/${id}" ${form === 'check-in' ? html`aria-current="page"` : ''}>${t('centre.checkInTitle')}</a>
      <a class="button button--secondary" href="/care-centres/${id}?form=service" ${form === 'service' ? html`aria-current="page"` : ''}
        >${t('centre.serviceTitle')}</a
      >
    </nav>
    <div class="button-group">
      <button
        type="button"
        class="button button--secondary"
        data-download="/care-centres/${id}/attendance?format=xlsx"
        data-name="attendance.xlsx"
        data-status="attendance-download-status"
      >
        ${t('export.attendance')}
      </button>
      <button
        type="button"
        class="button button--secondary"
        data-download="/care-centres/${id}/attendance?format=csv"
        data-name="attendance.csv"
        data-status="attendance-download-status"
      >
        ${t('export.attendanceCsv')}
      </button>
    </div>
    <p role="status" id="attendance-download-status"></p>`;
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
    after: arrivals(id, attendance),
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

/** Withdrawing a check-in of today made by mistake: what it is, what withdrawing does, then the confirmation. */
async function withdrawPage(ctx: PageContext, errors: string[] = []): Promise<void> {
  const id = ctx.params.id ?? '';
  const checkInId = ctx.params.checkInId ?? '';
  const [centre, attendance] = await Promise.all([
    api<Centre>(`/care-centres/${id}`, { signal: ctx.signal }),
    api<Attendance>(`/care-centres/${id}/attendance?date=${todayIso()}`, { signal: ctx.signal }),
  ]);
  const item = attendance.items.find((candidate) => candidate.checkInId === checkInId);
  const back = `/care-centres/${id}`;
  const title = t(item ? 'centre.withdrawTitle' : 'centre.withdrawGoneTitle');
  renderPage(
    ctx,
    `${title} - ${centre.name}`,
    html`<p><a class="back-link" href="${back}">${centre.name}</a></p>
      ${errorSummary(errors)}
      <h1>${title}</h1>
      ${
        item
          ? html`${summaryList([
                { label: t('field.name'), value: item.name },
                { label: t('centre.arrivedAt'), value: formatTime(item.checkedInAt) },
              ])}
              <p>${t('centre.withdrawWarning')}</p>
              <form id="withdraw-form" novalidate>
                <div class="button-group">
                  ${button(t('centre.withdrawSubmit'), { primary: true, warning: true })}<a class="button button--secondary" href="${back}"
                    >${t('centre.withdrawKeep')}</a
                  >
                </div>
              </form>`
          : html`<p>${t('centre.withdrawGone')}</p>
              <p><a class="button button--secondary" href="${back}">${centre.name}</a></p>`
      }`,
    { error: errors.length > 0 },
  );
  if (!item) return;
  confirmForm({
    form: 'withdraw-form',
    errors,
    action: async () => {
      await api(`/care-centres/${id}/check-ins/${checkInId}/withdraw`, { method: 'POST' });
      flash(t('centre.withdrawn', { name: item.name }));
      navigate(back, { replace: true });
    },
    again: (found) => withdrawPage(ctx, found),
  });
}

export const careRoutes: Route[] = [
  { pattern: '/care-centres/:id', page: centrePage, roles: ['MANAGER', 'ADMIN'] },
  { pattern: '/care-centres/:id/check-ins/:checkInId/withdraw', page: (ctx) => withdrawPage(ctx), roles: ['MANAGER'] },
];
