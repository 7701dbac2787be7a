import { ApiError } from './api';
import { html, setContent, type Renderable } from './dom';
import { t } from './i18n';
import { currentUser, type Role } from './session';

export interface PageContext {
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Aborted when the person leaves the page: live streams and slow loads stop with it. */
  signal: AbortSignal;
  main: HTMLElement;
}

export interface Route {
  pattern: string;
  page: (ctx: PageContext) => Promise<void> | void;
  /** Who may open it; absent = anyone, signed in or not. */
  roles?: Role[];
  signedIn?: boolean;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

let routes: CompiledRoute[] = [];
let current: AbortController | null = null;
let firstRender = true;
let flashMessage: string | null = null;
let afterRender: () => void = () => undefined;

export function defineRoutes(list: Route[], onRendered: () => void): void {
  afterRender = onRendered;
  routes = list.map((route) => {
    const names: string[] = [];
    const source = route.pattern.replace(/:([a-zA-Z]+)/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { ...route, regex: new RegExp(`^${source}/?$`), names };
  });
}

/** A message shown once, at the top of the next page (after an action succeeded). */
export function flash(message: string): void {
  flashMessage = message;
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void renderCurrent();
}

export async function renderCurrent(): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const main = document.getElementById('main') as HTMLElement;
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  const match = routes.map((route) => ({ route, m: route.regex.exec(path) })).find((entry) => entry.m);
  const ctx: PageContext = { path, params: {}, query, signal: controller.signal, main };
  try {
    if (!match?.m) {
      renderNotice(ctx, 'notFound');
    } else {
      match.route.names.forEach((name, index) => (ctx.params[name] = decodeURIComponent(match.m?.[index + 1] ?? '')));
      const user = currentUser();
      if ((match.route.signedIn || match.route.roles) && !user) {
        navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
        return;
      }
      if (match.route.roles && !match.route.roles.some((role) => user?.roles.includes(role))) {
        renderNotice(ctx, 'forbidden');
      } else {
        await match.route.page(ctx);
      }
    }
  } catch (error) {
    if (controller.signal.aborted) return;
    // What the page is about does not exist (or the address names it wrongly), or is not the
    // caller's: trying again would not help, so say which.
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return renderNotice(ctx, 'notFound');
    if (error instanceof ApiError && error.status === 403) return renderNotice(ctx, 'forbidden');
    console.error(error);
    renderPage(
      ctx,
      t('error.title'),
      html`<h1>${t('error.title')}</h1>
        <p>${t('error.body')}</p>
        <p><a href="${path}">${t('error.retry')}</a></p>`,
    );
  }
}

/** A page that only says the address leads nowhere, or not for this user, with the way home. */
function renderNotice(ctx: PageContext, kind: 'notFound' | 'forbidden'): void {
  renderPage(
    ctx,
    t(`${kind}.title`),
    html`<h1>${t(`${kind}.title`)}</h1>
      <p>${t(`${kind}.body`)}</p>
      <p><a href="/">${t('nav.home')}</a></p>`,
  );
}

/**
 * Puts a page in <main>: title, content and any flash message. After a navigation the focus
 * moves to the page heading so screen-reader and keyboard users start at the new page.
 */
export function renderPage(ctx: PageContext, title: string, content: Renderable, options: { error?: boolean; wide?: boolean } = {}): void {
  if (ctx.signal.aborted) return;
  // Staff boards use the whole width of a desk screen; every other page keeps the reading width.
  ctx.main.classList.toggle('page--wide', options.wide === true);
  document.title = `${options.error ? `${t('error.prefix')}` : ''}${title} - ${t('site.name')}`;
  const message = flashMessage;
  flashMessage = null;
  setContent(
    ctx.main,
    html`${
      message
        ? html`<div class="notice notice--success" role="status">
            <p><span aria-hidden="true">✓ </span>${message}</p>
          </div>`
        : ''
    }${content}`,
  );
  afterRender();
  if (firstRender) {
    firstRender = false;
    return;
  }
  const heading = ctx.main.querySelector('h1');
  if (heading && !options.error) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** Same-origin links move between pages without reloading; in-page links move the focus. */
export function interceptLinks(): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest('a');
    if (!link || link.target || link.hasAttribute('download')) return;
    const href = link.getAttribute('href') ?? '';
    if (href.startsWith('#')) {
      const target = document.getElementById(href.slice(1));
      if (target) {
        event.preventDefault();
        target.scrollIntoView({ block: 'center' });
        target.focus();
      }
      return;
    }
    if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
    event.preventDefault();
    navigate(href);
  });
  window.addEventListener('popstate', () => void renderCurrent());
}
