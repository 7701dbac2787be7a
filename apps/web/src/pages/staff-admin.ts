import { api, type ApiError, apiAll } from '../api';
import { html, type SafeHtml } from '../dom';
import { button, confirmForm, errorSummary, type Field, type FieldError, fieldId, simpleForm, summaryList, type Values } from '../forms';
import { formatDate } from '../format';
import { label, t } from '../i18n';
import { deskTop, labelledTable, type TableColumn } from '../paging';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { currentUser } from '../session';
import { cleanPhone, passwordProblem, phoneProblem, tooLongProblem } from '../validation';
import { goOnWith } from './auth';
import type { Facility } from './beds';
import { codeNotice } from './counter';

/* The bureau's staff accounts: who may run the desks, which facilities each manager manages, and removal. */

/** A staff account as GET /users gives it. */
interface Staff {
  id: string;
  name: string;
  phoneMasked: string | null;
  roles: string[];
  facilityIds: string[];
  createdAt: string;
}

const STAFF_ROLES = ['ADMIN', 'MANAGER', 'COUNTER'] as const;

function isStaffRole(value: string | null): value is (typeof STAFF_ROLES)[number] {
  return (STAFF_ROLES as readonly string[]).includes(value ?? '');
}

/** Homes and hospitals first, then the care centres, each by name as a Chinese reader orders them. */
async function allFacilities(signal: AbortSignal): Promise<Facility[]> {
  const facilities = await apiAll<Facility>('/facilities', signal);
  const rank = (facility: Facility): number => (facility.kind === 'CARE_CENTRE' ? 1 : 0);
  return facilities.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'zh-CN'));
}

/** An account's staff roles in plain words (roles the desk does not show, such as `VOLUNTEER`, left out). */
export function staffRolesText(roles: string[]): string {
  return roles
    .filter((role) => isStaffRole(role))
    .map((role) => label('staffRole', role))
    .join('、');
}

/** The roles in a table cell, none of them broken over two lines. */
function rolesCell(staff: Staff): SafeHtml {
  const roles = staff.roles.filter((role) => isStaffRole(role));
  return html`${roles.map((role, index) => html`${index > 0 ? '、' : ''}<span class="keep-together">${label('staffRole', role)}</span>`)}`;
}

function facilitiesOf(staff: Staff, names: Map<string, string>): string {
  return staff.facilityIds.map((id) => names.get(id) ?? '').join('、');
}

function isMe(staff: Staff): boolean {
  return currentUser()?.id === staff.id;
}

async function staffPage(ctx: PageContext): Promise<void> {
  const role = ctx.query.get('role');
  const chosen = isStaffRole(role) ? role : null;
  const [staff, facilities] = await Promise.all([apiAll<Staff>(`/users${chosen ? `?role=${chosen}` : ''}`, ctx.signal), allFacilities(ctx.signal)]);
  const names = new Map(facilities.map((facility) => [facility.id, facility.name]));
  const columns: TableColumn<Staff>[] = [
    { heading: t('staff.name'), cell: (person) => html`${person.name}${isMe(person) ? html` <span class="keep-together">${t('staff.you')}</span>` : ''}` },
    { heading: t('staff.phone'), cell: (person) => html`<span class="keep-together">${person.phoneMasked ?? ''}</span>` },
    { heading: t('staff.roles'), cell: rolesCell },
    { heading: t('staff.facilities'), cell: (person) => facilitiesOf(person, names) },
    { heading: t('staff.since'), cell: (person) => html`<span class="keep-together">${formatDate(person.createdAt)}</span>` },
  ];
  const actions = (person: Staff): SafeHtml =>
    html`<span class="button-group">
      <a class="button button--secondary keep-together" href="/admin/staff/${person.id}"
        >${t('staff.change')}<span class="visually-hidden">${t('list.colon')}${person.name}</span></a
      >
      ${
        isMe(person)
          ? ''
          : html`<a class="button button--secondary keep-together" href="/admin/staff/${person.id}/reset"
                >${t('staff.reset')}<span class="visually-hidden">${t('list.colon')}${person.name}</span></a
              >
              <a class="button button--secondary keep-together" href="/admin/staff/${person.id}/remove"
                >${t('staff.remove')}<span class="visually-hidden">${t('list.colon')}${person.name}</span></a
              >`
      }
    </span>`;
  const filter = (value: string | null, text: string): SafeHtml =>
    html`<a class="button button--secondary" href="/admin/staff${value ? `?role=${value}` : ''}" ${chosen === value ? html`aria-current="page"` : ''}
      >${text}</a
    >`;
  renderPage(
    ctx,
    t('staff.title'),
    html`${deskTop({ title: t('staff.title'), intro: t('staff.intro'), add: { href: '/admin/staff/new', label: t('staff.new') } })}
      <nav aria-label="${t('staff.byRole')}" class="button-group">
        ${filter(null, t('staff.all'))} ${STAFF_ROLES.map((value) => filter(value, label('staffRole', value)))}
      </nav>
      <p><a href="/admin/removed" id="to-removed">${t('staff.toRemoved')}</a></p>
      ${
        staff.length === 0
          ? html`<p>${t('staff.none')}</p>`
          : html`<p id="staff-count">${t('staff.count', { n: staff.length })}</p>
              ${labelledTable('staff', columns, staff, { heading: t('staff.change'), cell: actions })}`
      }`,
    { wide: true },
  );
}

function roleFields(facilities: Facility[]): Field[] {
  return [
    {
      name: 'roles',
      label: t('staff.fRoles'),
      hint: t('staff.fRolesHint'),
      type: 'checkbox',
      options: STAFF_ROLES.map((value) => ({ value, label: label('staffRole', value), hint: label('staffRoleHint', value) })),
    },
    {
      // Each facility is answered by its place in the list, so no input holds an internal id.
      name: 'facilities',
      label: t('staff.fFacilities'),
      hint: t('staff.fFacilitiesHint'),
      type: 'checkbox',
      optional: 'depends',
      options: facilities.map((facility, index) => ({
        value: String(index),
        label: facility.name,
        hint: `${label('facilityKind', facility.kind)} · ${facility.street}`,
      })),
    },
  ];
}

/** A manager needs a facility, and only a manager has one; both told at the facilities. */
function roleProblems(v: Values): FieldError[] {
  const roles = Array.isArray(v.roles) ? v.roles : [];
  const chosen = Array.isArray(v.facilities) ? v.facilities : [];
  if (roles.includes('MANAGER') && chosen.length === 0) return [{ target: fieldId('facilities'), message: t('staff.facilitiesNeeded') }];
  if (!roles.includes('MANAGER') && chosen.length > 0) return [{ target: fieldId('facilities'), message: t('staff.facilitiesOnlyForManagers') }];
  return [];
}

function rolesBody(v: Values, facilities: Facility[]): { roles: string[]; facilityIds: string[] } {
  const roles = Array.isArray(v.roles) ? v.roles : [];
  const chosen = roles.includes('MANAGER') && Array.isArray(v.facilities) ? v.facilities : [];
  return { roles, facilityIds: chosen.map((index) => facilities[Number(index)]?.id ?? '').filter((id) => id !== '') };
}

/** A phone that already has an account: the API names no field for it. */
function phoneTaken(error: ApiError): FieldError | undefined {
  return error.code === 'ALREADY_REGISTERED' ? { target: fieldId('phone'), message: t('staff.phoneTaken') } : undefined;
}

async function newStaffPage(ctx: PageContext): Promise<void> {
  const facilities = await allFacilities(ctx.signal);
  simpleForm(ctx, {
    title: t('staff.new'),
    before: html`<p><a class="back-link" href="/admin/staff">${t('staff.title')}</a></p>`,
    fields: [
      {
        name: 'name',
        label: t('staff.fName'),
        type: 'text',
        autocomplete: 'off',
        width: 'medium',
        validate: tooLongProblem(60),
      },
      { name: 'phone', label: t('staff.fPhone'), hint: t('staff.fPhoneHint'), type: 'tel', autocomplete: 'off', width: 'medium', validate: phoneProblem },
      {
        name: 'password',
        label: t('staff.fPassword'),
        hint: t('staff.fPasswordHint'),
        type: 'password',
        autocomplete: 'new-password',
        width: 'medium',
        validate: passwordProblem,
      },
      ...roleFields(facilities),
    ],
    check: roleProblems,
    refusedAt: phoneTaken,
    submitLabel: t('staff.submitNew'),
    onSubmit: async (v) => {
      await api('/users', { method: 'POST', body: { name: v.name, phone: cleanPhone(String(v.phone)), password: v.password, ...rolesBody(v, facilities) } });
      flash(t('staff.created', { name: String(v.name) }));
      navigate('/admin/staff');
    },
  });
}

/** The account of the page's address among the staff, or a page that says it is not there. */
async function staffOf(ctx: PageContext): Promise<Staff | undefined> {
  const person = (await apiAll<Staff>('/users', ctx.signal)).find((candidate) => candidate.id === ctx.params.id);
  if (!person)
    renderPage(
      ctx,
      t('staff.notFound'),
      html`<h1>${t('staff.notFound')}</h1>
        <p>${t('staff.notFoundText')}</p>
        <p><a href="/admin/staff">${t('staff.title')}</a></p>`,
    );
  return person;
}

async function changeStaffPage(ctx: PageContext): Promise<void> {
  const [person, facilities] = await Promise.all([staffOf(ctx), allFacilities(ctx.signal)]);
  if (!person) return;
  simpleForm(ctx, {
    title: t('staff.changeTitle', { name: person.name }),
    before: html`<p><a class="back-link" href="/admin/staff">${t('staff.title')}</a></p>`,
    values: {
      roles: person.roles.filter((role) => isStaffRole(role)),
      facilities: facilities.flatMap((facility, index) => (person.facilityIds.includes(facility.id) ? [String(index)] : [])),
    },
    fields: roleFields(facilities),
    check: (v) => {
      const roles = Array.isArray(v.roles) ? v.roles : [];
      if (isMe(person) && !roles.includes('ADMIN')) return [{ target: fieldId('roles'), message: t('staff.ownAdmin') }];
      return roleProblems(v);
    },
    intro: isMe(person) ? html`<p>${t('staff.ownChange')}</p>` : undefined,
    submitLabel: t('staff.submitChange'),
    onSubmit: async (v) => {
      // Roles the desk does not show (a volunteer who also works at the counter) are kept.
      const kept = person.roles.filter((role) => !isStaffRole(role));
      const body = rolesBody(v, facilities);
      const changed = await api<{ accessToken?: string }>(`/users/${person.id}/roles`, { method: 'PUT', body: { ...body, roles: [...body.roles, ...kept] } });
      // One's own: the answer's fresh token carries the new roles, and this page goes on with it.
      if (changed.accessToken) await goOnWith(changed.accessToken);
      flash(t('staff.saved', { name: person.name }));
      navigate('/admin/staff');
    },
  });
}

/** The top of a page that acts on one account: back to the list, what went wrong, the question. */
function actionTop(title: string, errors: string[]): SafeHtml {
  return html`<p><a class="back-link" href="/admin/staff">${t('staff.title')}</a></p>
    ${errorSummary(errors)}
    <h1>${title}</h1>`;
}

/**
 * A one-time code for a staff member who forgot their password, handed over in person; they
 * choose a new password with it on the sign-in page. Not for oneself: that is "修改密码".
 */
async function resetStaffPage(ctx: PageContext, errors: string[] = [], code?: { oneTimeCode: string; expiresAt: string }): Promise<void> {
  const person = await staffOf(ctx);
  if (!person) return;
  const title = t('staff.resetTitle', { name: person.name });
  renderPage(
    ctx,
    title,
    html`${actionTop(title, errors)}
    ${
      code
        ? codeNotice(code, t('staff.codeIs'))
        : html`<p>${t('staff.resetIntro')}</p>
            <form id="reset-form" novalidate><div class="button-group">${button(t('counter.resetSubmit'), { primary: true })}</div></form>`
    }`,
    { error: errors.length > 0 },
  );
  if (code) return;
  confirmForm({
    form: 'reset-form',
    errors,
    action: async () =>
      resetStaffPage(ctx, [], await api<{ oneTimeCode: string; expiresAt: string }>(`/users/${person.id}/password-reset`, { method: 'POST' })),
    again: (found) => resetStaffPage(ctx, found),
  });
}

async function removeStaffPage(ctx: PageContext, errors: string[] = []): Promise<void> {
  const person = await staffOf(ctx);
  if (!person) return;
  const title = t('staff.removeTitle', { name: person.name });
  renderPage(
    ctx,
    title,
    html`${actionTop(title, errors)}
      ${summaryList([
        { label: t('staff.name'), value: person.name },
        { label: t('staff.phone'), value: person.phoneMasked ?? '' },
        { label: t('staff.roles'), value: staffRolesText(person.roles) },
      ])}
      <p>${t('staff.removeWarning')}</p>
      <form id="remove-form" novalidate>
        <div class="button-group">
          ${button(t('staff.removeSubmit'), { primary: true, warning: true })}<a class="button button--secondary" href="/admin/staff"
            >${t('staff.removeKeep')}</a
          >
        </div>
      </form>`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'remove-form',
    errors,
    action: async () => {
      await api(`/users/${person.id}`, { method: 'DELETE' });
      flash(t('staff.removed', { name: person.name }));
      navigate('/admin/staff', { replace: true });
    },
    again: (found) => removeStaffPage(ctx, found),
  });
}

export const staffAdminRoutes: Route[] = [
  { pattern: '/admin/staff', page: staffPage, roles: ['ADMIN'] },
  { pattern: '/admin/staff/new', page: newStaffPage, roles: ['ADMIN'] },
  { pattern: '/admin/staff/:id', page: changeStaffPage, roles: ['ADMIN'] },
  { pattern: '/admin/staff/:id/reset', page: (ctx) => resetStaffPage(ctx), roles: ['ADMIN'] },
  { pattern: '/admin/staff/:id/remove', page: (ctx) => removeStaffPage(ctx), roles: ['ADMIN'] },
];
