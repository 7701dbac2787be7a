import { api, type ApiError } from '../api';
import { html } from '../dom';
import { type FieldError, fieldId, simpleForm } from '../forms';
import { t } from '../i18n';
import { flash, navigate, type PageContext, type Route } from '../router';
import { setToken } from '../session';
import { newPasswordField } from './auth';

/* One's own account: changing the password. */

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

export const accountRoutes: Route[] = [{ pattern: '/account/password', page: passwordPage, signedIn: true }];
