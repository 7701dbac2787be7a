import { api } from '../api';
import { refreshUnread } from '../bell';
import { html } from '../dom';
import { formatDateTime } from '../format';
import { actionFor } from '../forms';
import { t } from '../i18n';
import { type PageContext, renderCurrent, renderPage, type Route } from '../router';
import { getLang } from '../session';

/** A notification in the inbox, with what the page shows of it. */
interface Notification {
  id: string;
  title: string;
  body: string;
  link: string;
  createdAt: string;
  readAt: string | null;
}

function langHeader(): Record<string, string> {
  return { 'Accept-Language': getLang() === 'en' ? 'en' : 'zh-CN' };
}

async function markRead(id: string): Promise<void> {
  await api(`/me/notifications/${id}/read`, { method: 'POST', headers: langHeader() });
  await refreshUnread();
}

/** The inbox: newest first, unread ones marked in words, each with the page where the person acts; and the text-message preference. */
async function inboxPage(ctx: PageContext): Promise<void> {
  const [list, prefs] = await Promise.all([
    api<{ items: Notification[]; unread: number }>('/me/notifications?limit=50', { signal: ctx.signal, headers: langHeader() }),
    api<{ sms: boolean }>('/me/preferences', { signal: ctx.signal }),
  ]);
  renderPage(
    ctx,
    t('inbox.title'),
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      <h1>${t('inbox.title')}</h1>
      <p class="lead">${t('inbox.intro')} <strong id="inbox-unread">${t('inbox.unreadCount', { count: list.unread })}</strong></p>
      ${list.items.length === 0 ? html`<p>${t('inbox.none')}</p>` : ''}
      <ul class="cards" id="inbox-list">
        ${list.items.map(
          (n) =>
            html`<li class="card${n.readAt ? '' : ' card--unread'}" data-notification="${n.id}">
              <h2 class="card-title"><span class="tag">${n.readAt ? t('inbox.read') : t('inbox.unread')}</span> ${n.title}</h2>
              <p>${n.body}</p>
              <p class="hint">${formatDateTime(n.createdAt)}</p>
              <div class="button-group">
                <a class="button button--primary" href="${n.link}" data-read="${n.readAt ? '' : n.id}">${actionFor(t('inbox.open'), n.title)}</a>
                ${n.readAt ? '' : html`<button type="button" class="button button--secondary" data-mark="${n.id}">${actionFor(t('inbox.markRead'), n.title)}</button>`}
              </div>
            </li>`,
        )}
      </ul>
      <section aria-labelledby="h-sms">
        <h2 id="h-sms">${t('inbox.smsTitle')}</h2>
        <p id="sms-state">${prefs.sms ? t('inbox.smsOn') : t('inbox.smsOff')}</p>
        <p class="hint">${t('inbox.quietNote')}</p>
        <div class="button-group">
          <button type="button" class="button button--secondary" id="sms-toggle">${prefs.sms ? t('inbox.smsTurnOff') : t('inbox.smsTurnOn')}</button>
        </div>
        <p role="status" id="sms-saved"></p>
      </section>`,
  );
  ctx.main.querySelectorAll<HTMLButtonElement>('button[data-mark]').forEach((button) => {
    button.addEventListener('click', () => {
      void markRead(button.dataset.mark ?? '').then(() => renderCurrent());
    });
  });
  ctx.main.querySelectorAll<HTMLAnchorElement>('a[data-read]').forEach((link) => {
    link.addEventListener('click', () => {
      if (link.dataset.read) void markRead(link.dataset.read);
    });
  });
  document.getElementById('sms-toggle')?.addEventListener('click', () => {
    void api<{ sms: boolean }>('/me/preferences', { method: 'PATCH', body: { sms: !prefs.sms } }).then(async () => {
      await renderCurrent();
      const saved = document.getElementById('sms-saved');
      if (saved) saved.textContent = t('inbox.smsSaved');
      document.getElementById('sms-toggle')?.focus();
    });
  });
  // A notification that arrives while the page is open shows at once.
  const onNew = (): void => void renderCurrent();
  document.addEventListener('notification', onNew);
  ctx.signal.addEventListener('abort', () => document.removeEventListener('notification', onNew), { once: true });
}

export const notificationRoutes: Route[] = [{ pattern: '/notifications', page: inboxPage, signedIn: true }];
