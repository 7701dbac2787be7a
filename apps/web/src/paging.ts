import { api } from './api';
import { html, type SafeHtml } from './dom';
import { t } from './i18n';
import { navigate, type PageContext } from './router';

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
export async function readListPage<T>(ctx: PageContext, href: string, source: string, size: number): Promise<ListPage<T> | null> {
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
export function pageOfPages(list: ListPage<unknown>): SafeHtml | string {
  return list.pages > 1 ? html`<p class="meta">${t('list.page', { page: list.page, pages: list.pages })}</p>` : '';
}

/** The previous and next pages' links, when there is more than one page. */
export function pager(list: ListPage<unknown>, href: string): SafeHtml | string {
  if (list.pages <= 1) return '';
  return html`<div class="button-group">
    ${list.page > 1 ? html`<a class="button button--secondary" href="${href}?page=${list.page - 1}">${t('list.previous')}</a>` : ''}
    ${list.page < list.pages ? html`<a class="button button--secondary" href="${href}?page=${list.page + 1}">${t('list.next')}</a>` : ''}
  </div>`;
}
