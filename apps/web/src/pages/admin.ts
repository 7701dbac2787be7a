import { api, apiAll } from '../api';
import { html, type SafeHtml } from '../dom';
import { formatMinutes, formatPercent, todayIso } from '../format';
import { downloadButton } from '../forms';
import { label, t } from '../i18n';
import { type PageContext, renderPage, type Route } from '../router';
import { type Facility, statusBars } from './beds';
import { CARE_SERVICE_TYPES, type CareFigures } from './care';
import { type Course, isRunning, placesLine, termCourses } from './enrolment';

interface Audit {
  accounts: number;
  sumOfBalancesMinutes: number;
  issuedMinutes: number;
  heldMinutes: number;
  poolMinutes?: number;
  mismatches: unknown[];
}

/** A horizontal bar with its value written beside it, so the chart reads without colour or sight of the bar. */
function bar(labelText: SafeHtml | string, value: number, max: number, valueText: string, modifier = ''): SafeHtml {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  return html`<li class="bar-row">
    <span class="bar-label">${labelText}</span
    ><span class="bar-track" aria-hidden="true"
      ><svg class="bar-svg" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
        <rect class="bar-fill ${modifier}" x="0" y="0" height="10" width="${(share * 100).toFixed(2)}"></rect></svg></span
    ><span class="bar-value">${valueText}</span>
  </li>`;
}

function unavailable(): SafeHtml {
  return html`<p class="notice">${t('admin.unavailable')}</p>`;
}

async function section<T>(load: () => Promise<T>, render: (value: T) => SafeHtml): Promise<SafeHtml> {
  try {
    return render(await load());
  } catch {
    return unavailable();
  }
}

async function overviewPage(ctx: PageContext): Promise<void> {
  const today = todayIso();
  const monthStart = `${today.slice(0, 8)}01`;
  const [beds, enrolment, audit, care] = await Promise.all([
    section(
      () => apiAll<Facility>('/facilities', ctx.signal),
      (list) => {
        const residential = list.filter((f) => f.kind !== 'CARE_CENTRE');
        const total = residential.reduce((sum, f) => sum + f.totalBeds, 0);
        const counts = { AVAILABLE: 0, RESERVED: 0, OCCUPIED: 0, ON_LEAVE: 0, CLEANING: 0, MAINTENANCE: 0 };
        for (const f of residential) for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += f.occupancy[key] ?? 0;
        // A bed whose resident is on leave counts as occupied.
        const occupied = counts.OCCUPIED + counts.ON_LEAVE;
        const occupiedOf = (f: Facility): number => f.occupancy.OCCUPIED + (f.occupancy.ON_LEAVE ?? 0);
        return html`<p class="lead" id="district-occupancy">
            ${t('admin.districtOccupancy', { rate: formatPercent(total ? occupied / total : 0), occupied, total })}
          </p>
          <h3>${t('admin.byFacility')}</h3>
          <ul class="bars">
            ${residential.map((f) => bar(f.name, occupiedOf(f), f.totalBeds, t('list.aside', { main: `${occupiedOf(f)} / ${f.totalBeds}`, note: formatPercent(f.totalBeds ? occupiedOf(f) / f.totalBeds : 0) })))}
          </ul>
          <h3>${t('admin.byStatus')}</h3>
          ${statusBars(counts, total)}`;
      },
    ),
    section(
      () => termCourses(ctx.signal),
      ({ term, courses: listed }) => {
        // Cancelled courses offer no seat and hold no application.
        const courses = listed.filter(isRunning);
        const capacity = courses.reduce((sum, c) => sum + c.capacity, 0);
        const confirmed = courses.reduce((sum, c) => sum + c.confirmedCount, 0);
        const waiting = courses.reduce((sum, c) => sum + c.waitlistCount, 0);
        const inDraw = courses.reduce((sum, c) => sum + c.pendingDrawCount, 0);
        // Demand: every application still in the running, including a lottery's before its draw.
        const demand = (c: Course): number => c.confirmedCount + c.waitlistCount + c.pendingDrawCount;
        const busiest = [...courses].sort((a, b) => demand(b) - demand(a)).slice(0, 8);
        if (courses.length === 0) return html`<p>${t('courses.none')}</p>`;
        return html`${term ? html`<p>${term.name}</p>` : ''}
          <p class="lead">
            ${t('admin.enrolmentLine', { confirmed, capacity, waiting, courses: courses.length })}${inDraw > 0 ? t('admin.enrolmentInDraw', { inDraw }) : ''}
          </p>
          <ul class="bars">
            ${bar(t('admin.seatsTaken'), confirmed, capacity, formatPercent(capacity ? confirmed / capacity : 0))}
          </ul>
          <h3>${t('admin.busiest')}</h3>
          <ul class="bars">
            ${busiest.map((c) => bar(c.title, c.confirmedCount, c.capacity, placesLine(c)))}
          </ul>
          <h3>${t('admin.rosters')}</h3>
          <ul class="roster-downloads">
            ${busiest.map(
              (c) =>
                html`<li>
                  ${downloadButton(t('admin.rosterOf', { title: c.title }), {
                    path: `/enrolment/courses/${c.id}/roster?format=xlsx`,
                    name: 'roster.xlsx',
                    status: 'roster-download-status',
                  })}
                </li>`,
            )}
          </ul>
          <p role="status" id="roster-download-status"></p>`;
      },
    ),
    section(
      () => api<Audit>('/time-bank/audit', { signal: ctx.signal }),
      (a) => {
        const sound = a.sumOfBalancesMinutes === 0 && a.mismatches.length === 0;
        return html`<div class="status-panel ${sound ? 'status-panel--CONFIRMED' : 'status-panel--REJECTED'}" id="audit-status">
            <p class="status-headline">
              <span aria-hidden="true">${sound ? '✓' : '✕'}</span> ${sound ? t('admin.auditSound') : t('admin.auditProblem', { n: a.mismatches.length })}
            </p>
          </div>
          <dl class="facts">
            <div>
              <dt>${t('admin.accounts')}</dt>
              <dd>${a.accounts}</dd>
            </div>
            <div>
              <dt>${t('admin.issued')}</dt>
              <dd>${formatMinutes(a.issuedMinutes)}</dd>
            </div>
            <div>
              <dt>${t('admin.heldNow')}</dt>
              <dd>${formatMinutes(a.heldMinutes)}</dd>
            </div>
            ${
              a.poolMinutes !== undefined
                ? html`<div>
                    <dt>${t('admin.pool')}</dt>
                    <dd>${formatMinutes(a.poolMinutes)}</dd>
                  </div>`
                : ''
            }
            <div>
              <dt>${t('admin.sum')}</dt>
              <dd>${formatMinutes(a.sumOfBalancesMinutes)}</dd>
            </div>
          </dl>`;
      },
    ),
    section(
      () => api<CareFigures>(`/care-centres/kpis?from=${monthStart}&to=${today}`, { signal: ctx.signal }),
      (k) => {
        const most = Math.max(1, ...CARE_SERVICE_TYPES.map((type) => k.servicesByType[type] ?? 0));
        return html`<p class="lead">${t('admin.centresLine', { centres: k.centres, operating: k.operating })}</p>
          <p id="contracts-line">${t('admin.contractsLine', { ending: k.contractsEndingWithin60Days, expired: k.contractsExpired })}</p>
          <ul class="bars">
            ${bar(t('admin.socialized'), k.socializedOperationRate, 1, formatPercent(k.socializedOperationRate))}
            ${bar(t('admin.kitchen'), k.sunshineKitchenCoverage, 1, formatPercent(k.sunshineKitchenCoverage))}
            ${bar(t('admin.attendance'), k.attendanceRate, 1, formatPercent(k.attendanceRate))}
          </ul>
          <h3>${t('admin.servicesMonth')}</h3>
          <ul class="bars">
            ${CARE_SERVICE_TYPES.map((type) => bar(label('careService', type), k.servicesByType[type] ?? 0, most, String(k.servicesByType[type] ?? 0)))}
          </ul>`;
      },
    ),
  ]);
  renderPage(
    ctx,
    t('admin.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('admin.title')}</h1>
      <p><a href="/admin/report" id="to-report">${t('admin.toReport')}</a></p>
      <p><a href="/admin/acted-for" id="to-acted-log">${t('admin.toActedLog')}</a></p>
      <p><a href="/admin/withdrawals" id="to-withdrawals">${t('admin.toWithdrawals')}</a></p>
      <p><a href="/admin/terms" id="to-terms">${t('admin.toTerms')}</a></p>
      <p><a href="/admin/care-centres" id="to-centres">${t('admin.toCentres')}</a></p>
      <p><a href="/admin/staff" id="to-staff">${t('admin.toStaff')}</a></p>
      <section aria-labelledby="h-beds" class="panel">
        <h2 id="h-beds">${t('admin.beds')}</h2>
        ${beds}
        <p><a href="/facilities">${t('admin.toFacilities')}</a></p>
      </section>
      <section aria-labelledby="h-enrolment" class="panel">
        <h2 id="h-enrolment">${t('admin.enrolment')}</h2>
        ${enrolment}
      </section>
      <section aria-labelledby="h-audit" class="panel">
        <h2 id="h-audit">${t('admin.audit')}</h2>
        ${audit}
      </section>
      <section aria-labelledby="h-care" class="panel">
        <h2 id="h-care">${t('admin.care')}</h2>
        ${care}
        <p><a href="/admin/care-centres">${t('admin.toCentresShort')}</a></p>
      </section>`,
  );
}

export const adminRoutes: Route[] = [{ pattern: '/admin', page: overviewPage, roles: ['ADMIN'] }];
