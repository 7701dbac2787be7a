import { api, type ApiError, apiAll } from '../api';
import { html, type SafeHtml } from '../dom';
import { type Field, type FieldError, fieldId, simpleForm, type Values } from '../forms';
import { formatDate, todayIso } from '../format';
import { label, t } from '../i18n';
import { deskTop, labelledTable, type TableColumn } from '../paging';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { dateProblem, tooLongProblem, wholeNumberProblem } from '../validation';

/* The bureau's care-centre desk: every centre with its operator and contract, and forms to open a centre or change one. */

/** A care centre as the API gives it (GET /care-centres). */
export interface CareCentre {
  id: string;
  name: string;
  street: string;
  operatorKind: 'GOVERNMENT' | 'SOCIAL_OPERATOR';
  operatorName: string | null;
  contractEndsOn: string | null;
  contractEndingSoon: boolean;
  contractExpired: boolean;
  status: 'PLANNED' | 'RENOVATING' | 'OPERATING';
  dayCapacity: number;
  sunshineKitchen: boolean;
}

const STATUSES = ['OPERATING', 'RENOVATING', 'PLANNED'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Every centre of the district, by street and then name, as a Chinese reader orders them (by pinyin). */
async function allCentres(signal: AbortSignal): Promise<CareCentre[]> {
  const centres = await apiAll<CareCentre>('/care-centres', signal);
  return centres.sort((a, b) => a.street.localeCompare(b.street, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'));
}

/** The operator in words: "公办", or "社会化运营：" and its name. */
function operatorOf(centre: CareCentre): string {
  return centre.operatorKind === 'SOCIAL_OPERATOR' ? t('centres.social', { name: centre.operatorName ?? '' }) : t('centres.government');
}

/** The contract's end with a tag when it needs renewing; "不适用" for a government centre. */
function contractCell(centre: CareCentre): SafeHtml | string {
  if (!centre.contractEndsOn) return t('centres.noContract');
  const tag = centre.contractExpired ? t('centres.expired') : centre.contractEndingSoon ? t('centres.endingSoon') : '';
  return html`<span class="keep-together">${formatDate(centre.contractEndsOn)}</span>${tag ? html` <span class="tag">${tag}</span>` : ''}`;
}

/** One line of the contracts to renew: when it ends, or how long ago it ended. */
function renewalLine(centre: CareCentre): string {
  const vars = { centre: centre.name, operator: centre.operatorName ?? '', date: formatDate(centre.contractEndsOn) };
  if (centre.contractExpired) return t('centres.ended', vars);
  const days = Math.round((Date.parse(`${centre.contractEndsOn ?? ''}T00:00:00Z`) - Date.parse(`${todayIso()}T00:00:00Z`)) / DAY_MS);
  return days === 0 ? t('centres.endsToday', vars) : t('centres.endsIn', { ...vars, days });
}

function kitchenOf(centre: CareCentre): string {
  return t(centre.sunshineKitchen ? 'centres.yes' : 'centres.no');
}

/**
 * How a centre is run, on its day's page for those who see it without recording (the bureau), with
 * a link to change it where `changes`.
 */
export function centreFacts(centre: CareCentre, changes: boolean): SafeHtml {
  const fact = (term: string, value: SafeHtml | string): SafeHtml =>
    html`<div>
      <dt>${term}</dt>
      <dd>${value}</dd>
    </div>`;
  return html`<dl class="facts" id="centre-facts">
      ${fact(t('centres.status'), label('centreStatus', centre.status))} ${fact(t('centres.operator'), operatorOf(centre))}
      ${centre.contractEndsOn ? fact(t('centres.contract'), contractCell(centre)) : ''} ${fact(t('centres.kitchen'), kitchenOf(centre))}
    </dl>
    ${changes ? html`<p><a class="button button--secondary" href="/admin/care-centres/${centre.id}/edit">${t('centres.changeCentre')}</a></p>` : ''}`;
}

function changeLink(centre: CareCentre): SafeHtml {
  return html`<a class="button button--secondary keep-together" href="/admin/care-centres/${centre.id}/edit"
    >${t('centres.change')}<span class="visually-hidden">${t('list.colon')}${centre.name}</span></a
  >`;
}

/** The centres whose operator contract has ended or ends within 60 days, the earliest first. */
function renewals(centres: CareCentre[]): SafeHtml | string {
  const due = centres
    .filter((centre) => centre.contractExpired || centre.contractEndingSoon)
    .sort((a, b) => (a.contractEndsOn ?? '').localeCompare(b.contractEndsOn ?? ''));
  if (due.length === 0) return '';
  return html`<section aria-labelledby="h-renewals" class="panel" id="renewals">
    <h2 id="h-renewals">${t('centres.attention', { n: due.length })}</h2>
    <p class="hint">${t('centres.attentionHint')}</p>
    <ul class="plain-list">
      ${due.map((centre) => html`<li>${renewalLine(centre)} ${changeLink(centre)}</li>`)}
    </ul>
  </section>`;
}

async function centresPage(ctx: PageContext): Promise<void> {
  const centres = await allCentres(ctx.signal);
  const columns: TableColumn<CareCentre>[] = [
    { heading: t('centres.name'), cell: (centre) => html`<a href="/care-centres/${centre.id}">${centre.name}</a>` },
    { heading: t('centres.street'), cell: (centre) => html`<span class="keep-together">${centre.street}</span>` },
    { heading: t('centres.status'), cell: (centre) => html`<span class="keep-together">${label('centreStatus', centre.status)}</span>` },
    { heading: t('centres.operator'), cell: (centre) => operatorOf(centre) },
    { heading: t('centres.contract'), cell: contractCell },
    { heading: t('centres.capacity'), cell: (centre) => html`<span class="keep-together">${t('centres.capacityText', { n: centre.dayCapacity })}</span>` },
    { heading: t('centres.kitchen'), cell: kitchenOf },
  ];
  const operating = centres.filter((centre) => centre.status === 'OPERATING').length;
  renderPage(
    ctx,
    t('centres.title'),
    html`${deskTop({ title: t('centres.title'), intro: t('centres.intro'), add: { href: '/admin/care-centres/new', label: t('centres.new') } })}
    ${renewals(centres)}
    ${
      centres.length === 0
        ? html`<p>${t('centres.none')}</p>`
        : html`<p id="centres-count">${t('centres.count', { n: centres.length, operating })}</p>
            ${labelledTable('centres', columns, centres, { heading: t('centres.change'), cell: changeLink })}`
    }`,
    { wide: true },
  );
}

function centreFields(streets: string[]): Field[] {
  return [
    { name: 'name', label: t('centres.fName'), hint: t('centres.fNameHint'), type: 'text', validate: tooLongProblem(100) },
    {
      name: 'street',
      label: t('centres.fStreet'),
      hint: streets.length > 0 ? t('centres.fStreetKnown', { streets: streets.join('、') }) : undefined,
      type: 'text',
      width: 'medium',
      validate: tooLongProblem(100),
    },
    { name: 'status', label: t('centres.fStatus'), type: 'radio', options: STATUSES.map((value) => ({ value, label: label('centreStatus', value) })) },
    {
      name: 'dayCapacity',
      label: t('centres.fCapacity'),
      hint: t('form.range', { min: 0, max: 10000 }),
      type: 'number',
      inputmode: 'numeric',
      width: 'short',
      validate: wholeNumberProblem(0, 10000),
    },
    {
      name: 'sunshineKitchen',
      label: t('centres.fKitchen'),
      type: 'radio',
      options: [
        { value: 'yes', label: t('centres.yes') },
        { value: 'no', label: t('centres.no') },
      ],
    },
    {
      name: 'operatorKind',
      label: t('centres.fOperatorKind'),
      type: 'radio',
      options: [
        { value: 'GOVERNMENT', label: t('centres.government'), hint: t('centres.fGovernmentHint') },
        { value: 'SOCIAL_OPERATOR', label: t('centres.socialKind'), hint: t('centres.fSocialHint') },
      ],
    },
    {
      name: 'operatorName',
      label: t('centres.fOperatorName'),
      hint: t('centres.fOperatorNameHint'),
      type: 'text',
      optional: 'depends',
      validate: tooLongProblem(100),
    },
    { name: 'contractEndsOn', label: t('centres.fContractEndsOn'), hint: t('centres.fContractHint'), type: 'date', optional: 'depends', validate: dateProblem },
  ];
}

/** A social operator needs its name and its contract's end, each told at its own field. */
function operatorProblems(v: Values): FieldError[] {
  if (v.operatorKind !== 'SOCIAL_OPERATOR') return [];
  const problems: FieldError[] = [];
  if (!v.operatorName) problems.push({ target: fieldId('operatorName'), message: t('centres.operatorNameNeeded') });
  if (!v.contractEndsOn) problems.push({ target: fieldId('contractEndsOn'), message: t('centres.contractNeeded') });
  return problems;
}

/**
 * The body both forms send. A government centre sends no operator and no contract (whatever
 * the two optional fields still hold), and a change to one clears them.
 */
function centreBody(v: Values, change: boolean): Record<string, unknown> {
  const social = v.operatorKind === 'SOCIAL_OPERATOR';
  const operator = social ? { operatorName: v.operatorName, contractEndsOn: v.contractEndsOn } : change ? { operatorName: null, contractEndsOn: null } : {};
  return {
    name: v.name,
    street: v.street,
    status: v.status,
    dayCapacity: Number(v.dayCapacity),
    sunshineKitchen: v.sunshineKitchen === 'yes',
    operatorKind: v.operatorKind,
    ...operator,
  };
}

/** A name another centre has: the API names no field for it. */
function nameTaken(error: ApiError): FieldError | undefined {
  return error.code === 'DUPLICATE_FACILITY' ? { target: fieldId('name'), message: t('centres.nameTaken') } : undefined;
}

/** The streets the district's centres are on, so a new one is spelt the same way. */
function streetsOf(centres: CareCentre[]): string[] {
  return [...new Set(centres.map((centre) => centre.street))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

async function newCentrePage(ctx: PageContext): Promise<void> {
  const streets = streetsOf(await allCentres(ctx.signal));
  simpleForm(ctx, {
    title: t('centres.new'),
    before: html`<p><a class="back-link" href="/admin/care-centres">${t('centres.title')}</a></p>`,
    values: { status: 'OPERATING', sunshineKitchen: 'no', operatorKind: 'GOVERNMENT' },
    fields: centreFields(streets),
    check: operatorProblems,
    refusedAt: nameTaken,
    submitLabel: t('centres.submitNew'),
    onSubmit: async (v) => {
      const centre = await api<CareCentre>('/care-centres', { method: 'POST', body: centreBody(v, false) });
      flash(t('centres.created', { name: centre.name }));
      navigate('/admin/care-centres');
    },
  });
}

async function changeCentrePage(ctx: PageContext): Promise<void> {
  const centres = await allCentres(ctx.signal);
  const centre = centres.find((candidate) => candidate.id === ctx.params.id);
  if (!centre) {
    renderPage(
      ctx,
      t('centres.notFound'),
      html`<h1>${t('centres.notFound')}</h1>
        <p><a href="/admin/care-centres">${t('centres.title')}</a></p>`,
    );
    return;
  }
  simpleForm(ctx, {
    title: t('centres.changeTitle', { name: centre.name }),
    before: html`<p><a class="back-link" href="/admin/care-centres">${t('centres.title')}</a></p>`,
    values: {
      name: centre.name,
      street: centre.street,
      status: centre.status,
      dayCapacity: String(centre.dayCapacity),
      sunshineKitchen: centre.sunshineKitchen ? 'yes' : 'no',
      operatorKind: centre.operatorKind,
      operatorName: centre.operatorName ?? '',
      contractEndsOn: centre.contractEndsOn ?? '',
    },
    fields: centreFields(streetsOf(centres)),
    check: operatorProblems,
    refusedAt: nameTaken,
    submitLabel: t('centres.submitChange'),
    onSubmit: async (v) => {
      const saved = await api<CareCentre>(`/care-centres/${centre.id}`, { method: 'PATCH', body: centreBody(v, true) });
      flash(t('centres.saved', { name: saved.name }));
      navigate('/admin/care-centres');
    },
  });
}

export const careAdminRoutes: Route[] = [
  { pattern: '/admin/care-centres', page: centresPage, roles: ['ADMIN'] },
  { pattern: '/admin/care-centres/new', page: newCentrePage, roles: ['ADMIN'] },
  { pattern: '/admin/care-centres/:id/edit', page: changeCentrePage, roles: ['ADMIN'] },
];
