import { api, openStream } from './api';
import { t } from './i18n';
import { currentUser } from './session';

let stream: AbortController | null = null;
let streamUser: string | null = null;
let unread = 0;

/** Shows the unread count on the bell in the header (in words too, never by colour alone). */
function paint(): void {
  const bell = document.getElementById('bell');
  const count = document.getElementById('bell-count');
  if (!bell || !count) return;
  // The exact number is in the label; the badge stays three characters wide at most.
  count.textContent = unread > 99 ? '99+' : String(unread);
  count.hidden = unread === 0;
  bell.setAttribute('aria-label', t('bell.unread', { count: unread }));
}

/** Reads the unread count again (after a new notification, or after one was read). */
export async function refreshUnread(): Promise<void> {
  if (!currentUser()) return;
  try {
    const page = await api<{ unread: number }>('/me/notifications?unread=true&limit=1');
    unread = page.unread;
  } catch {
    // The count stays as it was; the next event or page load reads it again.
  }
  paint();
}

/**
 * Keeps one live stream of the signed-in person's notifications open while the site is open:
 * each new notification raises the bell's count without a reload. Opened once per person,
 * closed on sign-out.
 */
export function watchNotifications(): void {
  const user = currentUser();
  if (!user) {
    stream?.abort();
    stream = null;
    streamUser = null;
    unread = 0;
    return;
  }
  paint();
  if (stream && streamUser === user.id) return;
  stream?.abort();
  stream = new AbortController();
  streamUser = user.id;
  openStream(
    '/me/notifications/events',
    {
      onEvent: (event) => {
        if (event.event !== 'notification') return;
        void refreshUnread();
        document.dispatchEvent(new CustomEvent('notification'));
      },
      // On every (re)connection: what arrived while the stream was down is counted too.
      onOpen: () => void refreshUnread(),
    },
    stream.signal,
  );
}
