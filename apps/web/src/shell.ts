import { watchNotifications } from './bell';
import { html, setContent } from './dom';
import { t } from './i18n';
import { navigate, renderCurrent } from './router';
import { clearSession, currentUser, getLang, isLargeText, setLang, setLargeText } from './session';

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
          ${user ? html`<a class="button button--tool bell" id="bell" href="/notifications" aria-label="${t('bell.label')}"><span aria-hidden="true">🔔</span> ${t('bell.label')} <span class="bell-count" id="bell-count" aria-hidden="true" hidden>0</span></a>` : ''}
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
