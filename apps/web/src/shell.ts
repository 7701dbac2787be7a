import { watchNotifications } from './bell';
import { html, setContent } from './dom';
import { t } from './i18n';
import { navigate, renderCurrent } from './router';
import { clearSession, currentUser, getLang, isLargeText, setLang, setLargeText } from './session';

/**
 * A bell drawn in the page itself: an emoji bell needs an emoji font, which some phones and
 * computers lack (it then shows as an empty box). Decorative: the button says "通知" in words.
 */
const BELL_ICON = html`<svg class="bell-icon" viewBox="0 0 24 24" width="1.1em" height="1.1em" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M12 2.5a1.5 1.5 0 0 0-1.5 1.5v.6A6 6 0 0 0 6 10.5v4L4 17.5V19h16v-1.5l-2-3v-4a6 6 0 0 0-4.5-5.9V4A1.5 1.5 0 0 0 12 2.5zM9.5 20a2.5 2.5 0 0 0 5 0z"
  />
</svg>`;

/** Applies language and text size to the document, so CSS and assistive technology follow them. */
export function applyPreferences(): void {
  document.documentElement.lang = getLang() === 'en' ? 'en' : 'zh-CN';
  document.documentElement.classList.toggle('large-text', isLargeText());
}

/** The header: site name, who is signed in, language switch, text size and sign-out. */
export function refreshHeader(): void {
  const header = document.getElementById('site-header');
  const footer = document.getElementById('site-footer');
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('nav.skip');
  const user = currentUser();
  const other = getLang() === 'en' ? { lang: 'zh-CN', label: '中文' } : { lang: 'en', label: 'English' };
  if (header) {
    setContent(
      header,
      html`<div class="header-inner">
        <a class="brand" href="/">${t('site.name')}</a>
        <div class="header-tools">
          ${user ? html`<span class="signed-in">${t('header.signedInAs', { name: user.name })}</span>` : ''}
          ${user ? html`<a class="button button--tool bell" id="bell" href="/notifications" aria-label="${t('bell.label')}">${BELL_ICON} ${t('bell.label')} <span class="bell-count" id="bell-count" aria-hidden="true" hidden>0</span></a>` : ''}
          <button type="button" class="button button--tool" id="switch-lang" lang="${other.lang}">${other.label}</button>
          <button type="button" class="button button--tool" id="switch-size" aria-pressed="${isLargeText() ? 'true' : 'false'}">
            ${t('header.largeText')}
          </button>
          ${user ? html`<button type="button" class="button button--tool" id="sign-out">${t('header.signOut')}</button>` : html`<a class="button button--tool" href="/login">${t('header.signIn')}</a>`}
        </div>
      </div>`,
    );
    document.getElementById('switch-lang')?.addEventListener('click', () => {
      setLang(getLang() === 'en' ? 'zh' : 'en');
      applyPreferences();
      refreshHeader();
      void renderCurrent();
      document.getElementById('switch-lang')?.focus();
    });
    document.getElementById('switch-size')?.addEventListener('click', () => {
      setLargeText(!isLargeText());
      applyPreferences();
      refreshHeader();
      document.getElementById('switch-size')?.focus();
    });
    document.getElementById('sign-out')?.addEventListener('click', () => {
      clearSession();
      refreshHeader();
      navigate('/login');
    });
  }
  if (footer) setContent(footer, html`<p>${t('footer.text')}</p>`);
  watchNotifications();
}
