import { ApiError, api } from '../api';
import { escapeHtml, html, raw, type SafeHtml } from '../dom';
import { formatDate, formatDateTime, formatMinutes, formatPercent, todayIso } from '../format';
import { apiErrors, downloadButton, errorSummary, type Field, type FieldError, fieldId, focusErrorSummary, renderField } from '../forms';
import { inSentence, label, t } from '../i18n';
import { type PageContext, renderPage, type Route } from '../router';
import { isCalendarDay } from '../when';
import { CARE_SERVICE_TYPES, type CareFigures } from './care';

/** The bed figures of one facility, or of the whole district, over the period. */
type BedFigures = Record<'totalBeds' | 'occupiedAtEnd' | 'occupancyRateAtEnd' | 'averageOccupancyRate' | 'admissions' | 'discharges', number>;

interface DistrictReport {
  from: string;
  to: string;
  generatedAt: string;
  beds: { facilities: (BedFigures & { name: string })[]; district: BedFigures; asOf: string };
  careCentres: CareFigures & { checkIns: number };
  timeBank: { earnedMinutes: number; redeemedMinutes: number; giftedMinutes: number; activeVolunteers: number };
  enrolment: { terms: { termId: string; name: string; applicants: number; seats: number; confirmed: number; waitlisted: number; rejected: number }[] };
}

interface ChartItem {
  label: string;
  value: number;
  text: string;
}

/**
 * A horizontal bar chart drawn as inline SVG: every bar has its label on the left and its value
 * written after it, so the chart reads in print, in black and white and to a screen reader (the
 * same figures are in the table beside it; the SVG is described by its title).
 */
function barChart(id: string, title: string, items: ChartItem[], max: number): SafeHtml {
  const rowHeight = 36;
  const labelWidth = 220;
  const barWidth = 300;
  const height = items.length * rowHeight + 8;
  const rows = items
    .map((item, index) => {
      const y = index * rowHeight + 4;
      const width = max > 0 ? Math.max(0, Math.min(1, item.value / max)) * barWidth : 0;
      return `<text x="0" y="${y + 22}" class="chart-label">${escapeHtml(item.label)}</text>
        <rect x="${labelWidth}" y="${y + 6}" width="${barWidth}" height="22" class="chart-track"></rect>
        <rect x="${labelWidth}" y="${y + 6}" width="${width.toFixed(1)}" height="22" class="chart-bar"></rect>
        <text x="${labelWidth + barWidth + 10}" y="${y + 22}" class="chart-value">${escapeHtml(item.text)}</text>`;
    })
    .join('');
  return html`<figure class="chart">
    <svg
      id="${id}"
      class="chart-svg"
      role="img"
      aria-labelledby="${id}-title"
      viewBox="0 0 ${labelWidth + barWidth + 150} ${height}"
      width="100%"
      focusable="false"
    >
      <title id="${id}-title">${title}</title>
      ${raw(rows)}
    </svg>
    <figcaption>${title}</figcaption>
  </figure>`;
}

function fact(name: string, value: string, id?: string): SafeHtml {
  return html`<div><dt>${name}</dt><dd${raw(id ? ` id="${id}"` : '')}>${value}</dd></div>`;
}

function monthBounds(offset: number): { from: string; to: string } {
  const [year, month] = todayIso().split('-').map(Number);
  const first = new Date(Date.UTC(year, month - 1 + offset, 1));
  const last = new Date(Date.UTC(year, month + offset, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

function halfYear(): { from: string; to: string } {
  const [year, month] = todayIso().split('-').map(Number);
  return month <= 6 ? { from: `${year}-01-01`, to: `${year}-06-30` } : { from: `${year}-07-01`, to: `${year}-12-31` };
}

/** The period's two days, as the form asks for them (in the page's language). */
function periodFields(): Field[] {
  return [
    { name: 'from', label: t('report.from'), type: 'date', width: 'medium' },
    { name: 'to', label: t('report.to'), type: 'date', width: 'medium' },
  ];
}

/** The longest period the report covers, both days included (the API's limit). */
const MAX_PERIOD_DAYS = 366;

/**
 * What is wrong with the period, at the field it belongs to, before the report is asked for: an
 * empty or impossible day, the first day after the last, or more than 366 days.
 */
function periodProblems(from: string, to: string): FieldError[] {
  const problems: FieldError[] = [];
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const field = inSentence(t(name === 'from' ? 'report.from' : 'report.to'));
    if (value === '') problems.push({ target: fieldId(name), message: t('report.dayMissing', { field }) });
    else if (!isCalendarDay(value)) problems.push({ target: fieldId(name), message: t('report.notADay', { field }) });
  }
  if (problems.length > 0) return problems;
  if (from > to) return [{ target: fieldId('from'), message: t('report.fromAfterTo') }];
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_PERIOD_DAYS) return [{ target: fieldId('to'), message: t('report.tooLong', { days: MAX_PERIOD_DAYS }) }];
  return [];
}

function periodForm(from: string, to: string, errors: FieldError[]): SafeHtml {
  const presets = [
    { name: t('report.thisMonth'), ...monthBounds(0) },
    { name: t('report.lastMonth'), ...monthBounds(-1) },
    { name: t('report.halfYear'), ...halfYear() },
  ];
  return html`<form class="report-period no-print" id="report-period" method="get" action="/admin/report" novalidate>
    <div class="report-period-fields">
      ${periodFields().map((field) => renderField(field, { from, to }, errors))}
      <button type="submit" class="button button--primary">${t('report.show')}</button>
    </div>
    <p>
      ${t('report.presets')} ${presets.map((p, index) => html`${index ? t('list.comma') : ''}<a href="/admin/report?from=${p.from}&to=${p.to}">${p.name}</a>`)}
    </p>
  </form>`;
}

function bedsSection(report: DistrictReport): SafeHtml {
  const { facilities, district } = report.beds;
  return html`<section aria-labelledby="h-report-beds" class="panel report-section" id="report-beds">
    <h2 id="h-report-beds">${t('report.beds')}</h2>
    <p>${t('report.bedsAsOf', { at: formatDateTime(report.beds.asOf) })}</p>
    <table class="table report-table">
      <thead>
        <tr>
          <th scope="col">${t('report.facility')}</th>
          <th scope="col">${t('report.totalBeds')}</th>
          <th scope="col">${t('report.occupiedAtEnd')}</th>
          <th scope="col">${t('report.rateAtEnd')}</th>
          <th scope="col">${t('report.averageRate')}</th>
          <th scope="col">${t('report.admissions')}</th>
          <th scope="col">${t('report.discharges')}</th>
        </tr>
      </thead>
      <tbody>
        ${facilities.map(
          (f) =>
            html`<tr>
              <th scope="row">${f.name}</th>
              <td>${f.totalBeds}</td>
              <td>${f.occupiedAtEnd}</td>
              <td>${formatPercent(f.occupancyRateAtEnd)}</td>
              <td>${formatPercent(f.averageOccupancyRate)}</td>
              <td>${f.admissions}</td>
              <td>${f.discharges}</td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">${t('report.total')}</th>
          <td>${district.totalBeds}</td>
          <td id="report-occupied">${district.occupiedAtEnd}</td>
          <td>${formatPercent(district.occupancyRateAtEnd)}</td>
          <td id="report-average">${formatPercent(district.averageOccupancyRate)}</td>
          <td>${district.admissions}</td>
          <td>${district.discharges}</td>
        </tr>
      </tfoot>
    </table>
    ${
      facilities.length
        ? barChart(
            'chart-beds',
            t('report.chartBeds'),
            facilities.map((f) => ({
              label: f.name,
              value: f.averageOccupancyRate,
              text: t('list.aside', { main: formatPercent(f.averageOccupancyRate), note: `${t('report.atEnd')} ${formatPercent(f.occupancyRateAtEnd)}` }),
            })),
            1,
          )
        : html`<p>${t('report.noFacilities')}</p>`
    }
  </section>`;
}

function careSection(report: DistrictReport): SafeHtml {
  const c = report.careCentres;
  const most = Math.max(1, ...CARE_SERVICE_TYPES.map((type) => c.servicesByType[type] ?? 0));
  return html`<section aria-labelledby="h-report-care" class="panel report-section" id="report-care">
    <h2 id="h-report-care">${t('report.care')}</h2>
    <dl class="facts">
      ${fact(t('report.centres'), t('report.centresValue', { centres: c.centres, operating: c.operating }))}
      ${fact(t('admin.socialized'), formatPercent(c.socializedOperationRate))} ${fact(t('admin.kitchen'), formatPercent(c.sunshineKitchenCoverage))}
      ${fact(t('report.checkIns'), String(c.checkIns))} ${fact(t('admin.attendance'), formatPercent(c.attendanceRate))}
    </dl>
    ${barChart(
      'chart-care',
      t('report.chartServices'),
      CARE_SERVICE_TYPES.map((type) => ({
        label: label('careService', type),
        value: c.servicesByType[type] ?? 0,
        text: t('report.times', { n: c.servicesByType[type] ?? 0 }),
      })),
      most,
    )}
  </section>`;
}

function timeBankSection(report: DistrictReport): SafeHtml {
  const b = report.timeBank;
  const most = Math.max(1, b.earnedMinutes, b.redeemedMinutes, b.giftedMinutes);
  return html`<section aria-labelledby="h-report-bank" class="panel report-section" id="report-bank">
    <h2 id="h-report-bank">${t('report.timeBank')}</h2>
    <dl class="facts">
      ${fact(t('report.earned'), formatMinutes(b.earnedMinutes), 'report-earned')} ${fact(t('report.redeemed'), formatMinutes(b.redeemedMinutes))}
      ${fact(t('report.gifted'), formatMinutes(b.giftedMinutes))} ${fact(t('report.volunteers'), String(b.activeVolunteers))}
    </dl>
    ${barChart(
      'chart-bank',
      t('report.chartBank'),
      [
        { label: t('report.earned'), value: b.earnedMinutes, text: formatMinutes(b.earnedMinutes) },
        { label: t('report.redeemed'), value: b.redeemedMinutes, text: formatMinutes(b.redeemedMinutes) },
        { label: t('report.gifted'), value: b.giftedMinutes, text: formatMinutes(b.giftedMinutes) },
      ],
      most,
    )}
  </section>`;
}

function enrolmentSection(report: DistrictReport): SafeHtml {
  const terms = report.enrolment.terms;
  return html`<section aria-labelledby="h-report-enrolment" class="panel report-section" id="report-enrolment">
    <h2 id="h-report-enrolment">${t('report.enrolment')}</h2>
    ${
      terms.length === 0
        ? html`<p>${t('report.noTerms')}</p>`
        : html`<table class="table report-table">
              <thead>
                <tr>
                  <th scope="col">${t('report.term')}</th>
                  <th scope="col">${t('report.applicants')}</th>
                  <th scope="col">${t('report.seats')}</th>
                  <th scope="col">${t('report.confirmed')}</th>
                  <th scope="col">${t('report.waitlisted')}</th>
                  <th scope="col">${t('report.rejected')}</th>
                </tr>
              </thead>
              <tbody>
                ${terms.map(
                  (term) =>
                    html`<tr>
                      <th scope="row">${term.name}</th>
                      <td>${term.applicants}</td>
                      <td>${term.seats}</td>
                      <td>${term.confirmed}</td>
                      <td>${term.waitlisted}</td>
                      <td>${term.rejected}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${barChart(
              'chart-enrolment',
              t('report.chartEnrolment'),
              terms.map((term) => ({
                label: term.name,
                value: term.confirmed,
                text: t('report.seatsFilled', { confirmed: term.confirmed, seats: term.seats }),
              })),
              Math.max(1, ...terms.map((term) => term.seats)),
            )}`
    }
  </section>`;
}

/**
 * The district report for a period (this month by default). A period that cannot be used is
 * told at its field, with the summary first, and the report is not asked for.
 */
async function reportPage(ctx: PageContext): Promise<void> {
  const month = monthBounds(0);
  const from = ctx.query.get('from') ?? month.from;
  const to = ctx.query.get('to') ?? month.to;
  const path = `/reports/district?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  let errors = periodProblems(from, to);
  let body: SafeHtml | string = '';
  if (errors.length === 0) {
    try {
      body = reportBody(path, await api<DistrictReport>(path, { signal: ctx.signal }));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      errors = apiErrors(
        error,
        (field) => (field === 'from' || field === 'to' ? { target: fieldId(field) } : null),
        () => t('report.badPeriod'),
      );
    }
  }
  renderPage(
    ctx,
    t('report.title'),
    html`<p class="no-print"><a class="back-link" href="/admin">${t('report.back')}</a></p>
      ${errorSummary(errors)}
      <h1>${t('report.title')}</h1>
      ${periodForm(from, to, errors)} ${body}`,
    { error: errors.length > 0 },
  );
  if (errors.length > 0) focusErrorSummary();
  document.getElementById('report-print')?.addEventListener('click', () => window.print());
}

/** The report itself: its period, the download and print buttons, the four sections. */
function reportBody(path: string, report: DistrictReport): SafeHtml {
  return html`<p class="lead" id="report-period-line">${t('report.period', { from: formatDate(report.from), to: formatDate(report.to) })}</p>
    <div class="button-group no-print">
      ${downloadButton(t('report.downloadXlsx'), { path: `${path}&format=xlsx`, name: 'district-report.xlsx', status: 'report-download-status' })}
      <button type="button" class="button button--secondary" id="report-print">${t('report.print')}</button>
    </div>
    <p role="status" id="report-download-status" class="no-print"></p>
    ${bedsSection(report)}${careSection(report)}${timeBankSection(report)}${enrolmentSection(report)}
    <p class="report-footnote">${t('report.generated', { at: formatDateTime(report.generatedAt) })}</p>`;
}

export const reportRoutes: Route[] = [{ pattern: '/admin/report', page: reportPage, roles: ['ADMIN'] }];
