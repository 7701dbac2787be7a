import { api, type ApiError } from '../api';
import { html } from '../dom';
import { button, confirmForm, errorSummary, type FieldError, fieldId, simpleForm } from '../forms';
import { problemText, t } from '../i18n';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { clearSession, currentUser, setToken } from '../session';
import { refreshHeader } from '../shell';
import { goOnWith, newPasswordField } from './auth';
import { isStaff } from './counter';

/* One's own account: changing the password, stopping volunteering, and closing the account. */

/** The current password given was not right: told at its field, with where to go when it is forgotten. */
function currentWrong(error: ApiError): FieldError | undefined {
  return error.code === 'VALIDATION_FAILED' && error.fieldErrors.some((problem) => problem.field === 'currentPassword')
    ? { target: fieldId('currentPassword'), message: t('account.currentWrong') }
    : undefined;
}

/**
 * The current password, then the new one twice (a mistyped new password would lock the person
 * out until the counter gives them a code). The answer's fresh token keeps this page signed in;
 * every other place the person was signed in asks for the new password.
 */
function passwordPage(ctx: PageContext): void {
  simpleForm(ctx, {
    title: t('account.passwordTitle'),
    before: html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>`,
    intro: html`<p>${t('account.passwordIntro')}</p>`,
    fields: [
      { name: 'currentPassword', label: t('account.current'), type: 'password', autocomplete: 'current-password', width: 'medium' },
      newPasswordField('newPassword', t('account.new')),
      { name: 'repeat', label: t('account.repeat'), type: 'password', autocomplete: 'new-password', width: 'medium' },
    ],
    check: (v) => (v.repeat === v.newPassword ? [] : [{ target: fieldId('repeat'), message: t('account.repeatDiffers') }]),
    refusedAt: currentWrong,
    submitLabel: t('account.passwordSubmit'),
    onSubmit: async (v) => {
      const changed = await api<{ accessToken: string }>('/me/password', {
        method: 'POST',
        body: { currentPassword: v.currentPassword, newPassword: v.newPassword },
      });
      setToken(changed.accessToken);
      flash(t('account.passwordChanged'));
      navigate('/');
    },
  });
}

/**
 * "Stop volunteering?" on the volunteer's own phone: what goes back (the requests they took and
 * have not done, how many) and what stays (their minutes, the services they logged), then one
 * button. The answer's fresh token keeps this page signed in, with the roles left. An account that
 * is only a volunteer's cannot stop here (nothing would be left): the page says who closes it.
 */
async function stopVolunteeringPage(ctx: PageContext, errors: string[] = []): Promise<void> {
  const user = currentUser();
  const volunteer = user?.roles.includes('VOLUNTEER') ?? false;
  const onlyVolunteer = volunteer && user?.roles.length === 1;
  const claimed = volunteer && !onlyVolunteer ? (await api<{ total: number }>('/time-bank/requests?status=CLAIMED&limit=1', { signal: ctx.signal })).total : 0;
  const title = volunteer && !onlyVolunteer ? t('account.stopQuestion') : t('account.stopTitle');
  renderPage(
    ctx,
    title,
    html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>
      ${errorSummary(errors)}
      <h1>${title}</h1>
      ${
        !volunteer
          ? html`<p class="notice" role="status">${t('account.notVolunteer')}</p>`
          : onlyVolunteer
            ? html`<p class="notice">${t('account.onlyVolunteer')} <a href="/account/close">${t('account.toClose')}</a></p>`
            : html`<p>${t('account.stopIntro')}</p>
                <ul class="plain-list">
                  ${claimed > 0 ? html`<li>${t('account.stopClaims', { count: claimed })}</li>` : ''}
                  <li>${t('account.stopKeeps')}</li>
                  <li>${t('account.stopAgain')}</li>
                </ul>
                <form id="stop-volunteering-form" novalidate>
                  <div class="button-group button-group--stack">
                    ${button(t('account.stopSubmit'), { warning: true })}
                    <a class="button button--secondary" href="/">${t('account.stopNotNow')}</a>
                  </div>
                </form>`
      }`,
    { error: errors.length > 0 },
  );
  confirmForm({
    form: 'stop-volunteering-form',
    errors,
    action: async () => {
      const stopped = await api<{ accessToken: string }>('/me/volunteer', { method: 'DELETE' });
      await goOnWith(stopped.accessToken);
      flash(t('account.stopped'));
      navigate('/');
    },
    again: (found) => stopVolunteeringPage(ctx, found),
    explain: (error) => (error.code === 'LAST_ROLE' ? t('account.onlyVolunteer') : problemText(error.code)),
  });
}

/**
 * "Close your account?" (注销): what ends (signing in; the requests a volunteer took go back;
 * bookings still to come are cancelled, their minutes kept), what stays and how to come back,
 * then the password to confirm. A senior's or staff account is closed by an administrator: the
 * page says where, with nothing to fill in. Closed, the page signs out and says so.
 */
async function closeAccountPage(ctx: PageContext): Promise<void> {
  const user = currentUser();
  const roles = user?.roles ?? [];
  const back = html`<p><a class="back-link" href="/">${t('nav.home')}</a></p>`;
  // Only an administrator closes a senior's account (with what she has under way) or staff's.
  if (roles.includes('SENIOR') || isStaff({ roles })) {
    renderPage(
      ctx,
      t('account.closeTitle'),
      html`${back}
        <h1>${t('account.closeTitle')}</h1>
        <p class="notice">${roles.includes('SENIOR') ? t('account.closeSenior') : t('account.closeStaff')}</p>`,
    );
    return;
  }
  const volunteer = roles.includes('VOLUNTEER');
  const claimed = volunteer ? (await api<{ total: number }>('/time-bank/requests?status=CLAIMED&limit=1', { signal: ctx.signal })).total : 0;
  simpleForm(ctx, {
    title: t('account.closeQuestion'),
    before: back,
    intro: html`<p>${t('account.closeIntro')}</p>
      <ul class="plain-list">
        <li>${t('account.closeSignIn')}</li>
        ${claimed > 0 ? html`<li>${t('account.closeClaims', { count: claimed })}</li>` : ''} ${volunteer ? html`<li>${t('account.closeBookings')}</li>` : ''}
        ${roles.includes('FAMILY') ? html`<li>${t('account.closeFamily')}</li>` : ''}
        <li>${t('account.closeKeeps')}</li>
      </ul>`,
    fields: [
      {
        name: 'password',
        label: t('account.closePassword'),
        hint: t('account.closePasswordHint'),
        type: 'password',
        autocomplete: 'current-password',
        width: 'medium',
      },
    ],
    refusedAt: (error) =>
      error.code === 'VALIDATION_FAILED' && error.fieldErrors.some((problem) => problem.field === 'password')
        ? { target: fieldId('password'), message: t('account.currentWrong') }
        : undefined,
    submitLabel: t('account.closeSubmit'),
    submitWarns: true,
    after: html`<p><a href="/">${t('account.closeNotNow')}</a></p>`,
    onSubmit: async (v) => {
      await api('/me/close', { method: 'POST', body: { password: v.password } });
      clearSession();
      refreshHeader();
      flash(t('account.closed'));
      navigate('/', { replace: true });
    },
  });
}

export const accountRoutes: Route[] = [
  { pattern: '/account/password', page: passwordPage, signedIn: true },
  { pattern: '/account/volunteering', page: stopVolunteeringPage, signedIn: true },
  { pattern: '/account/close', page: closeAccountPage, signedIn: true },
];
