import { api } from '../api';
import { html } from '../dom';
import { type Field, fieldId, simpleForm, summaryList } from '../forms';
import { formatDate } from '../format';
import { t } from '../i18n';
import { flash, navigate, type PageContext, renderPage, type Route } from '../router';
import { idNumberProblem } from '../validation';
import {
  closeButton,
  closeForPage,
  correctButton,
  correctIdCardPage,
  correctionsHtml,
  correctionsOf,
  endVolunteerPage,
  enrolPage,
  familyLinksOf,
  kindText,
  type Person,
  resetPage,
  seniorsActedForHtml,
  type Served,
} from './counter';

/*
 * The counter's page for someone who is not a senior: a relative who registered to act for a
 * parent, or a volunteer. What the counter does for them is their volunteering (a relative
 * banking time for a parent enrols here) and a one-time code when they forget their password.
 */

async function personServed(ctx: PageContext): Promise<Served> {
  const person = await api<Person>(`/people/${encodeURIComponent(ctx.params.id ?? '')}`, { signal: ctx.signal });
  return { person, page: `/counter/people/${person.id}`, api: `/people/${person.id}` };
}

async function personPage(ctx: PageContext): Promise<void> {
  const served = await personServed(ctx);
  const person = served.person;
  // A senior has the counter's whole page, with all it can do for her.
  if (person.roles.includes('SENIOR')) return navigate(`/counter/seniors/${person.id}`, { replace: true });
  const volunteer = person.roles.includes('VOLUNTEER');
  const [links, corrections] = await Promise.all([
    person.roles.includes('FAMILY') ? familyLinksOf(person.id, ctx.signal) : Promise.resolve([]),
    correctionsOf(person.id, ctx.signal),
  ]);
  const linked = links?.filter((link) => link.relativeId === person.id).length ?? 0;
  renderPage(
    ctx,
    person.name,
    html`<div class="staff">
      <p><a class="back-link" href="/counter">${t('counter.title')}</a></p>
      <h1>${person.name}</h1>
      <p>${t('counter.personIntro')}</p>
      <dl class="facts">
        <div>
          <dt>${t('counter.kind')}</dt>
          <dd id="kind-fact">${kindText(person)}</dd>
        </div>
        <div>
          <dt>${t('field.idCardNumber')}</dt>
          <dd>${person.idCardNumberMasked ?? t('counter.noIdOnFile')}</dd>
        </div>
        <div>
          <dt>${t('field.birthDate')}</dt>
          <dd>${person.birthDate ? formatDate(person.birthDate) : '—'}</dd>
        </div>
        <div>
          <dt>${t('counter.phone')}</dt>
          <dd>${person.phoneMasked ?? t('counter.noPhone')}</dd>
        </div>
        <div>
          <dt>${t('counter.volunteer')}</dt>
          <dd id="volunteer-fact">${volunteer ? t('counter.isVolunteer') : t('counter.notVolunteer')}</dd>
        </div>
      </dl>
      <h2>${t('counter.personActions')}</h2>
      <div class="button-group">
        ${
          volunteer
            ? html`<a class="button button--secondary" href="${served.page}/volunteer/end">${t('counter.endVolunteer')}</a>`
            : html`<a class="button button--primary" href="${served.page}/volunteer">${t('counter.enrol')}</a>`
        }
        <a class="button button--secondary" href="${served.page}/reset">${t('counter.reset')}</a>
        ${correctButton(served)} ${closeButton(served)}
      </div>
      ${correctionsHtml(corrections)}
      ${
        person.roles.includes('FAMILY')
          ? html`<h2>${t('counter.actsFor', { n: linked })}</h2>
              ${seniorsActedForHtml(links, person.id)}`
          : ''
      }
    </div>`,
  );
}

/**
 * Enrolling someone who is not a senior: as for a senior when their ID number is on file;
 * otherwise the number is read from the card here, stored with the enrolment, so every
 * volunteer's identity is on file.
 */
async function enrolPersonPage(ctx: PageContext): Promise<void> {
  const served = await personServed(ctx);
  const person = served.person;
  if (person.idCardNumberMasked !== null || person.roles.includes('VOLUNTEER') || person.phoneMasked === null)
    return enrolPage(ctx, () => Promise.resolve(served));
  const idField: Field = {
    name: 'idCardNumber',
    label: t('counter.qVolunteerId', { name: person.name }),
    hint: t('counter.volunteerIdHint'),
    type: 'text',
    autocomplete: 'off',
    width: 'medium',
    validate: idNumberProblem,
  };
  simpleForm(ctx, {
    title: t('counter.enrolTitle', { name: person.name }),
    before: html`<p><a class="back-link" href="${served.page}">${person.name}</a></p>`,
    intro: html`${summaryList([
        { label: t('field.name'), value: person.name },
        { label: t('counter.phone'), value: person.phoneMasked },
      ])}
      <p>${t('counter.enrolIntro', { name: person.name })}</p>`,
    fields: [idField],
    submitLabel: t('counter.enrolSubmit'),
    refusedAt: (error) =>
      error.code === 'ALREADY_REGISTERED' || error.code === 'NOT_ELIGIBLE'
        ? { target: fieldId(idField.name), message: error.code === 'NOT_ELIGIBLE' ? t('counter.volunteerTooYoung') : t('counter.idTakenElsewhere') }
        : undefined,
    onSubmit: async (values) => {
      await api(`${served.api}/volunteer`, { method: 'POST', body: { idCardNumber: String(values.idCardNumber).trim().toUpperCase() } });
      flash(t('counter.enrolled', { name: person.name }));
      navigate(served.page);
    },
  });
}

export const counterPeopleRoutes: Route[] = [
  { pattern: '/counter/people/:id', page: personPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/people/:id/volunteer', page: enrolPersonPage, roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/people/:id/volunteer/end', page: (ctx) => endVolunteerPage(ctx, personServed), roles: ['COUNTER', 'ADMIN'] },
  { pattern: '/counter/people/:id/id-card', page: (ctx) => correctIdCardPage(ctx, personServed), roles: ['ADMIN'] },
  { pattern: '/counter/people/:id/close', page: (ctx) => closeForPage(ctx, personServed), roles: ['ADMIN'] },
  { pattern: '/counter/people/:id/reset', page: (ctx) => resetPage(ctx, personServed), roles: ['COUNTER', 'ADMIN'] },
];
