import { api } from './api';
import { html, type SafeHtml } from './dom';
import { t } from './i18n';
import { navigate, type PageContext, renderPage } from './router';

/** One page of a list read a page at a time (`?page=`): its items, how many in all, which page of how many. */
export interface ListPage<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
}

/**
 * Reads the page of `source` (an API list path taking `limit` and `offset`) that the address asks
 * for, `size` to a page. A page that is not a whole number ≥ 1 is the first; a page past the last
 * (an old link, a typed number) sends the reader to the last one, and null is returned.
 */
async function readListPage<T>(ctx: PageContext, href: string, source: string, size: number): Promise<ListPage<T> | null> {
  const asked = Number(ctx.query.get('page') ?? '1');
  const page = Number.isInteger(asked) && asked >= 1 ? asked : 1;
  const list = await api<{ items: T[]; total: number }>(`${source}${source.includes('?') ? '&' : '?'}limit=${size}&offset=${(page - 1) * size}`, {
    signal: ctx.signal,
  });
  const pages = Math.max(1, Math.ceil(list.total / size));
  if (page > pages) {
    navigate(`${href}?page=${pages}`, { replace: true });
    return null;
  }
  return { ...list, page, pages };
}

/** "Page 2 of 5", when there is more than one. */
function pageOfPages(list: ListPage<unknown>): SafeHtml | string {
  return list.pages > 1 ? html`<p class="meta">${t('list.page', { page: list.page, pages: list.pages })}</p>` : '';
}

/** The previous and next pages' links, when there is more than one page. */
function pager(list: ListPage<unknown>, href: string): SafeHtml | string {
  if (list.pages <= 1) return '';
  return html`<div class="button-group">
    ${list.page > 1 ? html`<a class="button button--secondary" href="${href}?page=${list.page - 1}">${t('list.previous')}</a>` : ''}
    ${list.page < list.pages ? html`<a class="button button--secondary" href="${href}?page=${list.page + 1}">${t('list.next')}</a>` : ''}
  </div>`;
}

/**
 * A list read a page at a time (`?page=`), `size` to a page from `source`: the way back, the
 * title, a line saying how many there are (`count`, in `#countId`), any `actions`, which page
 * this is, the items (`items`, only when there are any) and the previous and next pages' links.
 * A staff desk list (`desk`) uses the whole width in the dense style (docs/quality.md).
 */
export async function listPage<T>(
  ctx: PageContext,
  spec: {
    href: string;
    source: string;
    size: number;
    title: string;
    back: SafeHtml;
    countId: string;
    count: (total: number) => string;
    items: (items: T[]) => SafeHtml;
    /** Buttons under the count line (a download, say). */
    actions?: SafeHtml;
    desk?: boolean;
  },
): Promise<void> {
  const list = await readListPage<T>(ctx, spec.href, spec.source, spec.size);
  if (!list) return;
  const body = html`${spec.back}
    <h1>${spec.title}</h1>
    <p id="${spec.countId}">${spec.count(list.total)}</p>
    ${spec.actions ?? ''} ${pageOfPages(list)} ${list.items.length > 0 ? spec.items(list.items) : ''} ${pager(list, spec.href)}`;
  renderPage(ctx, spec.title, spec.desk ? html`<div class="desk">${body}</div>` : body, { wide: spec.desk === true });
}

/** A column of a staff table: its heading and each row's cell. */
export interface TableColumn<T> {
  heading: string;
  cell: (row: T) => SafeHtml | string;
}

/**
 * A dense staff table (`id`), a row per item of `rows` and a column per `columns`; each cell
 * names its column again (`data-label`) when a narrow screen stacks the rows. `link`, if given,
 * ends each row with its cell, under a heading for screen readers only (`link.heading`).
 */
export function labelledTable<T>(id: string, columns: TableColumn<T>[], rows: T[], link?: { heading: string; cell: (row: T) => SafeHtml }): SafeHtml {
  return html`<table class="table table--labelled" id="${id}">
    <thead>
      <tr>
        ${columns.map((column) => html`<th scope="col">${column.heading}</th>`)}
        ${link ? html`<th scope="col"><span class="visually-hidden">${link.heading}</span></th>` : ''}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            ${columns.map((column) => html`<td data-label="${column.heading}">${column.cell(row)}</td>`)} ${link ? html`<td>${link.cell(row)}</td>` : ''}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * The top of one of the bureau's desks (terms, care centres, staff): back to the overview, the
 * desk's name, what it holds, and the button that adds to it.
 */
export function deskTop(desk: { title: string; intro: string; add: { href: string; label: string } }): SafeHtml {
  return html`<p><a class="back-link" href="/admin">${t('admin.title')}</a></p>
    <h1>${desk.title}</h1>
    <p>${desk.intro}</p>
    <div class="button-group"><a class="button button--primary" href="${desk.add.href}">${desk.add.label}</a></div>`;
}
