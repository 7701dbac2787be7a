import { api } from '../api';
import { html } from '../dom';
import { type Field, simpleForm, type Wizard, runWizard } from '../forms';
import { formatDate } from '../format';
import { t } from '../i18n';
import { flash, navigate, type PageContext, type Route } from '../router';
import { type Me, setCurrentUser, setToken } from '../session';
import { birthDateOfId, cleanPhone, idNumberProblem, passwordProblem, phoneProblem } from '../validation';
import { refreshHeader } from '../shell';

export async function signIn(phone: string, password: string): Promise<Me> {
  const login = await api<{ accessToken: string }>('/auth/login', { method: 'POST', body: { phone, password }, anonymous: true });
  return goOnWith(login.accessToken);
}

/**
 * Goes on with a token just issued (a sign-in, or a change of one's own roles): stored, who the
 * person now is read again, and the header drawn for them.
 */
export async function goOnWith(token: string): Promise<Me> {
  setToken(token);
  const me = await api<Me>('/me');
  setCurrentUser(me);
  refreshHeader();
  return me;
}

/** A password someone chooses (registration, a reset, a change): at least 8 characters, kept somewhere safe. */
export function newPasswordField(name: string, label: string): Field {
  return { name, label, hint: t('register.passwordHint'), type: 'password', autocomplete: 'new-password', width: 'medium', validate: passwordProblem };
}

function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function loginPage(ctx: PageContext): void {
  simpleForm(ctx, {
    title: t('login.title'),
    intro: html`<p>${t('login.intro')}</p>`,
    fields: [
      { name: 'phone', label: t('field.phone'), type: 'tel', autocomplete: 'tel', width: 'medium', validate: phoneProblem },
      { name: 'password', label: t('field.password'), type: 'password', autocomplete: 'current-password', width: 'medium' },
    ],
    submitLabel: t('login.submit'),
    after: html`<h2>${t('login.forgot')}</h2>
      <p>${t('login.forgotBody')}</p>
      <p><a class="button button--secondary" href="/login/reset/phone">${t('reset.start')}</a></p>
      <h2>${t('login.newHere')}</h2>
      <p>${t('login.newHereBody')}</p>
      <p><a class="button button--secondary" href="/register/name">${t('register.start')}</a></p>`,
    onSubmit: async (values) => {
      await signIn(cleanPhone(String(values.phone)), String(values.password));
      flash(t('login.done'));
      navigate(safeNext(ctx.query.get('next')));
    },
  });
}

function registerWizard(): Wizard {
  return {
    key: 'register',
    base: '/register',
    title: t('register.title'),
    backHref: '/login',
    steps: [
      {
        id: 'name',
        fields: [
          {
            name: 'name',
            label: t('register.qName'),
            type: 'text',
            autocomplete: 'name',
            width: 'medium',
            validate: (v) => (v.length > 60 ? t('form.tooLong', { max: 60 }) : null),
          },
        ],
      },
      {
        id: 'phone',
        fields: [
          {
            name: 'phone',
            label: t('register.qPhone'),
            hint: t('register.phoneHint'),
            type: 'tel',
            autocomplete: 'tel',
            width: 'medium',
            validate: phoneProblem,
          },
        ],
      },
      {
        id: 'id-number',
        fields: [
          {
            name: 'idCardNumber',
            label: t('register.qId'),
            hint: t('register.idHint'),
            type: 'text',
            inputmode: 'text',
            autocomplete: 'off',
            width: 'medium',
            validate: idNumberProblem,
          },
        ],
      },
      {
        id: 'password',
        fields: [newPasswordField('password', t('register.qPassword'))],
      },
    ],
    summary: (v) => [
      { label: t('field.name'), value: String(v.name), step: 'name' },
      { label: t('field.phone'), value: String(v.phone), step: 'phone' },
      { label: t('field.idNumber'), value: String(v.idCardNumber).toUpperCase(), step: 'id-number' },
      {
        label: t('field.birthDate'),
        value: html`${formatDate(birthDateOfId(String(v.idCardNumber)))}<span class="hint-inline">${t('register.fromId')}</span>`,
      },
      { label: t('field.password'), value: t('register.passwordHidden'), step: 'password' },
    ],
    checkIntro: html`<p>${t('register.checkIntro')}</p>`,
    submitLabel: t('register.submit'),
    stepOfField: (field) => ({ name: 'name', phone: 'phone', idCardNumber: 'id-number', password: 'password' })[field],
    submit: async (v) => {
      const phone = cleanPhone(String(v.phone));
      const password = String(v.password);
      await api('/auth/register', {
        method: 'POST',
        anonymous: true,
        body: { name: String(v.name), phone, password, idCardNumber: String(v.idCardNumber).toUpperCase() },
      });
      await signIn(phone, password);
      return { to: '/', message: t('register.done') };
    },
  };
}

/**
 * A new password with the one-time code the counter (or, for staff, an administrator) gave in
 * person: the phone, the code, the new password, a check step, then signed in with it.
 */
function resetWizard(): Wizard {
  return {
    key: 'reset',
    base: '/login/reset',
    title: t('reset.title'),
    backHref: '/login',
    steps: [
      {
        id: 'phone',
        fields: [{ name: 'phone', label: t('reset.qPhone'), type: 'tel', autocomplete: 'tel', width: 'medium', validate: phoneProblem }],
      },
      {
        id: 'code',
        fields: [
          {
            name: 'oneTimeCode',
            label: t('reset.qCode'),
            hint: t('reset.codeHint'),
            type: 'text',
            inputmode: 'numeric',
            autocomplete: 'one-time-code',
            width: 'short',
            validate: (v) => (/^\d{8}$/.test(v.replace(/\s/g, '')) ? null : t('reset.codeFormat')),
          },
        ],
      },
      {
        id: 'password',
        fields: [newPasswordField('newPassword', t('reset.qPassword'))],
      },
    ],
    summary: (v) => [
      { label: t('field.phone'), value: String(v.phone), step: 'phone' },
      { label: t('reset.code'), value: String(v.oneTimeCode), step: 'code' },
      { label: t('reset.newPassword'), value: t('register.passwordHidden'), step: 'password' },
    ],
    checkIntro: html`<p>${t('reset.checkIntro')}</p>`,
    submitLabel: t('reset.submit'),
    stepOfField: (field) => ({ phone: 'phone', oneTimeCode: 'code', newPassword: 'password' })[field],
    submit: async (v) => {
      const phone = cleanPhone(String(v.phone));
      const newPassword = String(v.newPassword);
      await api('/auth/reset-password', {
        method: 'POST',
        anonymous: true,
        body: { phone, oneTimeCode: String(v.oneTimeCode).replace(/\s/g, ''), newPassword },
      });
      await signIn(phone, newPassword);
      return { to: '/', message: t('reset.done') };
    },
  };
}

export const authRoutes: Route[] = [
  { pattern: '/login/reset', page: () => navigate('/login/reset/phone', { replace: true }) },
  { pattern: '/login/reset/:step', page: (ctx) => runWizard(ctx, resetWizard()) },
  { pattern: '/login', page: loginPage },
  { pattern: '/register', page: () => navigate('/register/name', { replace: true }) },
  { pattern: '/register/:step', page: (ctx) => runWizard(ctx, registerWizard()) },
];
