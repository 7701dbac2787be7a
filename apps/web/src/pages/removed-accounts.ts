import { api, ApiError } from '../api';
import { byId, html } from '../dom';
import { actionFor, button, errorSummary, type Field, type FieldError, fieldId, focusErrorSummary, renderField, simpleForm, summaryList } from '../forms';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { labelledTable, type TableColumn } from '../paging';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { cleanPhone, phoneProblem } from '../validation';
import { isStaff, kindText, type Person, searchProblem } from './counter';
import { staffRolesText } from './staff-admin';

/* Accounts an administrator has removed (停用): found again, and brought back as they were. */

/** A removed account as GET /users/removed gives it. */
interface Removed extends Person {
  removedAt: string;
  removedBy: { name: string } | null;
  closedByThemself: boolean;
  phoneTaken: boolean;
}

/** The latest removed, as many as one page lists; a search finds the rest. */
const LISTED = 50;

/** What the account was: a staff member's roles, or what the counter calls anyone else. */
function kindOf(account: Removed): string {
  return isStaff(account) ? staffRolesText(account.roles) : kindText(account);
}

/** Who removed the account: "closed by the person" when they closed it themself (注销), or the administrator. */
function removerOf(account: Removed): string {
  return account.closedByThemself ? t('removed.bySelf') : (account.removedBy?.name ?? '—');
}

function phoneOf(account: Removed): string {
  if (!account.phoneMasked) return '—';
  return account.phoneTaken ? t('removed.phoneTakenCell', { phone: account.phoneMasked }) : account.phoneMasked;
}

async function removedPage(ctx: PageContext): Promise<void> {
  const q = ctx.query.get('q')?.trim() ?? '';
  const problem = ctx.query.has('q') ? searchProblem(q) : null;
  const found = problem
    ? null
    : await api<{ items: Removed[]; total: number }>(`/users/removed?limit=${LISTED}${q ? `&q=${encodeURIComponent(q)}` : ''}`, { signal: ctx.signal });
  const search: Field = { name: 'q', label: t('removed.qSearch'), hint: t('counter.searchHint'), type: 'text', width: 'medium', autocomplete: 'off' };
  const errors: FieldError[] = problem ? [{ target: fieldId(search.name), message: problem }] : [];
  const columns: TableColumn<Removed>[] = [
    { heading: t('staff.name'), cell: (account) => account.name },
    { heading: t('counter.kind'), cell: kindOf },
    { heading: t('counter.idMasked'), cell: (account) => account.idCardNumberMasked ?? '—' },
    { heading: t('staff.phone'), cell: phoneOf },
    { heading: t('removed.when'), cell: (account) => html`<span class="keep-together">${formatDateTime(account.removedAt)}</span>` },
    { heading: t('removed.by'), cell: removerOf },
  ];
  const restore = (account: Removed) =>
    html`<a class="button button--secondary keep-together" href="/admin/removed/${account.id}">${actionFor(t('removed.restore'), account.name)}</a>`;
  const count = !found
    ? ''
    : found.total === 0
      ? html`<p role="status" id="removed-count">${q ? t('counter.noResults') : t('removed.none')}</p>`
      : html`<p role="status" id="removed-count">
          ${q ? t('removed.found', { n: found.total }) : t('removed.count', { n: found.total })}
          ${found.total > found.items.length ? t('removed.onlyLatest', { n: found.items.length }) : ''}
        </p>`;
  renderPage(
    ctx,
    t('removed.title'),
    html`<div class="desk">
      <p><a class="back-link" href="/admin/staff">${t('staff.title')}</a></p>
      ${errorSummary(errors)}
      <h1>${t('removed.title')}</h1>
      <p>${t('removed.intro')}</p>
      <form id="removed-search" class="inline-form" role="search" novalidate>
        ${renderField(search, { q }, errors)}
        <div class="button-group">
          ${button(t('counter.search'), { primary: true })}${q ? html`<a class="button button--secondary" href="/admin/removed">${t('removed.showAll')}</a>` : ''}
        </div>
      </form>
      ${count} ${found && found.items.length > 0 ? labelledTable('removed', columns, found.items, { heading: t('removed.restore'), cell: restore }) : ''}
    </div>`,
    { error: problem !== null, wide: true },
  );
  if (problem) focusErrorSummary();
  const form = byId<HTMLFormElement>('removed-search');
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (byId<HTMLInputElement>(fieldId(search.name))?.value ?? '').trim();
    navigate(`/admin/removed?q=${encodeURIComponent(value)}`);
  });
}

/**
 * The check before bringing an account back: who it was, what comes back with it, and a new phone
 * when another account has taken the old one (asked only then). `phoneErrors` are the new phone's
 * refusals, when the page is shown again after one.
 */
async function restorePage(ctx: PageContext, phoneErrors: FieldError[] = []): Promise<void> {
  let account: Removed;
  try {
    account = await api<Removed>(`/users/removed/${encodeURIComponent(ctx.params.id)}`, { signal: ctx.signal });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    renderPage(
      ctx,
      t('removed.notRemoved'),
      html`<p><a class="back-link" href="/admin/removed">${t('removed.title')}</a></p>
        <h1>${t('removed.notRemoved')}</h1>
        <p>${t('removed.notRemovedText')}</p>`,
    );
    return;
  }
  const staff = isStaff(account);
  const fields: Field[] = account.phoneTaken
    ? [
        {
          name: 'phone',
          label: t('removed.fPhone'),
          hint: t('removed.fPhoneHint', { phone: account.phoneMasked ?? '' }),
          type: 'tel',
          autocomplete: 'off',
          width: 'medium',
          validate: phoneProblem,
        },
      ]
    : [];
  simpleForm(
    ctx,
    {
      title: t('removed.restoreTitle', { name: account.name }),
      before: html`<p><a class="back-link" href="/admin/removed">${t('removed.title')}</a></p>`,
      intro: html`${summaryList([
          { label: t('staff.name'), value: account.name },
          { label: t('counter.kind'), value: kindOf(account) },
          { label: t('counter.idMasked'), value: account.idCardNumberMasked ?? '—' },
          { label: t('staff.phone'), value: phoneOf(account) },
          { label: t('removed.when'), value: formatDateTime(account.removedAt) },
          { label: t('removed.by'), value: removerOf(account) },
        ])}
        <p>
          ${account.phoneTaken ? t('removed.signInNewPhone') : t('removed.signIn')}${staff ? t('removed.whatComesBackStaff') : t('removed.whatComesBack')}
        </p>`,
      fields,
      submitLabel: t('removed.restoreSubmit'),
      after: html`<p><a href="/admin/removed">${t('removed.keep')}</a></p>`,
      refusedAt: (error) =>
        error.code === 'PHONE_TAKEN' && fields.length > 0 ? { target: fieldId('phone'), message: t('removed.phoneStillTaken') } : undefined,
      onSubmit: async (v) => {
        try {
          await api(`/users/${account.id}/restore`, { method: 'POST', body: fields.length > 0 ? { phone: cleanPhone(String(v.phone)) } : {} });
        } catch (error) {
          // Taken since the page was read: ask for a new one, as the page now would.
          if (error instanceof ApiError && error.code === 'PHONE_TAKEN' && fields.length === 0) {
            await restorePage(ctx, [{ target: fieldId('phone'), message: t('removed.phoneTakenMeanwhile') }]);
            return;
          }
          throw error;
        }
        flash(t('removed.restored', { name: account.name }));
        navigate(staff ? '/admin/staff' : `/counter/people/${account.id}`, { replace: true });
      },
    },
    phoneErrors,
  );
}

export const removedAccountRoutes: Route[] = [
  { pattern: '/admin/removed', page: removedPage, roles: ['ADMIN'] },
  { pattern: '/admin/removed/:id', page: (ctx) => restorePage(ctx), roles: ['ADMIN'] },
];
