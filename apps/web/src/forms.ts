import { ApiError } from './api';
import { byId, formValues, html, type Renderable, SafeHtml } from './dom';
import { inSentence, problemText, t } from './i18n';
import { navigate, type PageContext, renderPage, flash } from './router';

export interface Option {
  value: string;
  label: string;
  hint?: string;
}

export interface Field {
  name: string;
  label: string;
  type: 'text' | 'tel' | 'password' | 'number' | 'date' | 'time' | 'radio' | 'checkbox' | 'textarea' | 'select';
  hint?: string;
  /**
   * True: may be left empty, and the label says so. 'depends': needed or not by another answer
   * (the form's own check tells which), so the label says neither.
   */
  optional?: boolean | 'depends';
  options?: Option[];
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'tel';
  /** Width class for short answers (phone, ID number, minutes). */
  width?: 'short' | 'medium';
  /** Returns an error message, or null when the answer is fine. */
  validate?: (value: string, values: Values) => string | null;
}

export type Values = Record<string, string | string[]>;
export interface FieldError {
  /** The id of the input the error belongs to (the summary links there), or '' for the whole form. */
  target: string;
  message: string;
  /** When the input is on another page (a wizard step), the summary links to that page. */
  href?: string;
}

export function fieldId(name: string): string {
  return `f-${name}`;
}

function asString(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** One form field in the GOV.UK pattern: label, hint, error message, then the input. */
export function renderField(field: Field, values: Values, errors: FieldError[], options: { asHeading?: boolean } = {}): SafeHtml {
  const id = fieldId(field.name);
  const error = errors.find((e) => e.target === id || e.target === `${id}-0`);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [field.hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const value = asString(values[field.name]);
  const labelText = html`${field.label}${field.optional === true ? html` <span class="optional">${t('form.optional')}</span>` : ''}`;
  const hint = field.hint ? html`<p class="hint" id="${hintId}">${field.hint}</p>` : '';
  const errorMessage = error
    ? html`<p class="error-message" id="${errorId}"><span class="visually-hidden">${t('error.prefix')}</span>${error.message}</p>`
    : '';
  const groupClass = `form-group${error ? ' form-group--error' : ''}`;

  if (field.type === 'radio' || field.type === 'checkbox') {
    const chosen = Array.isArray(values[field.name]) ? (values[field.name] as string[]) : value ? [value] : [];
    const legend = options.asHeading ? html`<legend class="legend--heading"><h1>${labelText}</h1></legend>` : html`<legend>${labelText}</legend>`;
    return html`<div class="${groupClass}">
      <fieldset ${describedBy ? html`aria-describedby="${describedBy}"` : ''}>
        ${legend}${hint}${errorMessage}
        <div class="choices">
          ${(field.options ?? []).map((option, index) => {
            const optionId = index === 0 ? id : `${id}-${index}`;
            const optionHint = option.hint ? `${optionId}-hint` : '';
            return html`<div class="choice">
              <input
                type="${field.type}"
                id="${optionId}"
                name="${field.name}"
                value="${option.value}"
                ${chosen.includes(option.value) ? 'checked' : ''}
                ${optionHint ? html`aria-describedby="${optionHint}"` : ''}
              /><label for="${optionId}">${option.label}${option.hint ? html`<span class="choice-hint" id="${optionHint}">${option.hint}</span>` : ''}</label>
            </div>`;
          })}
        </div>
      </fieldset>
    </div>`;
  }

  const label = options.asHeading
    ? html`<h1 class="label-heading"><label for="${id}">${labelText}</label></h1>`
    : html`<label class="label" for="${id}">${labelText}</label>`;
  const common = html`id="${id}" name="${field.name}" ${describedBy ? html`aria-describedby="${describedBy}"` : ''} ${error ? html`aria-invalid="true"` : ''}
  ${field.optional ? '' : html`aria-required="true"`} ${field.autocomplete ? html`autocomplete="${field.autocomplete}"` : ''}`;
  const width = field.width ? ` input--${field.width}` : '';
  let input: SafeHtml;
  if (field.type === 'textarea') {
    input = html`<textarea class="textarea" rows="4" ${common}>${value}</textarea>`;
  } else if (field.type === 'select') {
    input = html`<select class="select" ${common}>
      ${(field.options ?? []).map((option) => html`<option value="${option.value}" ${option.value === value ? 'selected' : ''}>${option.label}</option>`)}
    </select>`;
  } else {
    const type = field.type === 'number' ? 'text' : field.type;
    const inputmode = field.inputmode ?? (field.type === 'number' || field.type === 'tel' ? 'numeric' : undefined);
    input = html`<input
      class="input${width}"
      type="${type}"
      value="${value}"
      ${inputmode ? html`inputmode="${inputmode}"` : ''}
      spellcheck="false"
      ${common}
    />`;
  }
  return html`<div class="${groupClass}">${label}${hint}${errorMessage}${input}</div>`;
}

/** The error summary at the top of the page; each message links to its input, a plain message is about the whole page. */
export function errorSummary(errors: readonly (FieldError | string)[]): Renderable {
  if (errors.length === 0) return '';
  return html`<div class="error-summary" id="error-summary" tabindex="-1" aria-labelledby="error-summary-title">
    <h2 id="error-summary-title">${t('error.summaryTitle')}</h2>
    <ul>
      ${errors.map((item) => (typeof item === 'string' ? { target: '', message: item } : item)).map((error) => html`<li>${error.href || error.target ? html`<a href="${error.href ?? `#${error.target}`}">${error.message}</a>` : html`<span class="error-text">${error.message}</span>`}</li>`)}
    </ul>
  </div>`;
}

/** After a failed submit the focus goes to the summary, so it is read out first. */
export function focusErrorSummary(): void {
  const summary = byId('error-summary');
  if (summary) summary.focus();
}

/**
 * What an empty answer is told. A label that is a question ("How are you related?") is quoted
 * whole and followed by what to do; a label that names a thing ("Date") goes inside the
 * instruction ("Enter date").
 */
function missingAnswer(field: Field): string {
  const choose = field.type === 'radio' || field.type === 'checkbox' || field.type === 'select';
  if (/[?？]$/.test(field.label)) return t(choose ? 'form.chooseAnswer' : 'form.enterAnswer', { label: field.label });
  return t(choose ? 'form.choose' : 'form.required', { label: inSentence(field.label) });
}

export function validateFields(fields: Field[], values: Values): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fields) {
    const raw = values[field.name];
    const value = asString(raw).trim();
    const id = fieldId(field.name);
    if (!value) {
      if (!field.optional) errors.push({ target: id, message: missingAnswer(field) });
      continue;
    }
    const message = field.validate?.(value, values);
    if (message) errors.push({ target: id, message });
  }
  return errors;
}

/** Reads the fields of a form, trimming text answers; absent checkbox groups become []. */
export function readFields(form: HTMLFormElement, fields: Field[]): Values {
  const read = formValues(form);
  const values: Values = {};
  for (const field of fields) {
    const value = read[field.name];
    if (field.type === 'checkbox') values[field.name] = Array.isArray(value) ? value : value ? [value] : [];
    else values[field.name] = typeof value === 'string' ? (field.type === 'password' ? value : value.trim()) : '';
  }
  return values;
}

/**
 * The words of one of several like links or buttons ("打开", "撤销"), with what it acts on added
 * for a screen reader, which reads them out of their card or row: "撤销：钱秀英".
 */
export function actionFor(words: string, what: string): SafeHtml {
  return html`${words}<span class="visually-hidden">${t('list.colon')}${what}</span>`;
}

/** A submit button; primary ones are the 60-pixel main action of a page. */
export function button(label: string, options: { primary?: boolean; warning?: boolean; name?: string; value?: string } = {}): SafeHtml {
  const kind = options.warning ? 'button button--primary button--warning' : options.primary ? 'button button--primary' : 'button button--secondary';
  return html`<button type="submit" class="${kind}" ${options.name ? html`name="${options.name}" value="${options.value ?? ''}"` : ''}>${label}</button>`;
}

/**
 * A button that downloads a file of the API (`path`) with the token, saved as `name` when the
 * server gives none; a failure is said in the element `#status` (`interceptDownloads`).
 */
export function downloadButton(label: string, file: { path: string; name: string; status: string }): SafeHtml {
  return html`<button type="button" class="button button--secondary" data-download="${file.path}" data-name="${file.name}" data-status="${file.status}">
    ${label}
  </button>`;
}

/** Disables the form's buttons while a request is in flight, so a double press sends once. */
export async function whileBusy<T>(form: HTMLFormElement, work: () => Promise<T>): Promise<T> {
  const buttons = Array.from(form.querySelectorAll('button'));
  buttons.forEach((b) => {
    b.disabled = true;
    b.setAttribute('aria-disabled', 'true');
  });
  try {
    return await work();
  } finally {
    buttons.forEach((b) => {
      b.disabled = false;
      b.removeAttribute('aria-disabled');
    });
  }
}

/**
 * Server-side errors as summary entries; field errors link to the input (or the step page that
 * has it). `explain` may word a problem in the page's own terms (a bed, a request), where the
 * problem's text says it in general.
 */
export function apiErrors(
  error: unknown,
  locate: (field: string) => { target: string; href?: string } | null,
  explain?: (error: ApiError) => string | undefined,
): FieldError[] {
  if (!(error instanceof ApiError)) return [{ target: '', message: t('error.body') }];
  const mapped: FieldError[] = [];
  for (const fieldError of error.fieldErrors) {
    const where = locate(fieldError.field.split('.')[0] ?? fieldError.field);
    if (where) mapped.push({ ...where, message: problemText(error.code, fieldError.field) });
  }
  if (mapped.length > 0) return mapped;
  return [{ target: '', message: explain?.(error) ?? problemText(error.code) }];
}

/* ------------------------------------------------------------------------------------------ */
/* Wizards: one question per page, answers kept in sessionStorage, a "check your answers" page. */

export interface WizardStep {
  id: string;
  fields: Field[];
  /** Page heading for steps with several fields (otherwise the one field's label is the heading). */
  heading?: string;
  intro?: Renderable;
  /** Skip the step when it does not apply. */
  when?: (values: Values) => boolean;
}

export interface SummaryRow {
  label: string;
  value: Renderable;
  /** Step that changes this answer; absent = not changeable here. */
  step?: string;
}

/** Answers or facts to check, a row each, with a link to change a row that has a step (`changeHref`). */
export function summaryList(rows: readonly SummaryRow[], changeHref?: (step: string) => string): SafeHtml {
  return html`<dl class="summary-list">
    ${rows.map(
      (row) =>
        html`<div class="summary-row">
          <dt>${row.label}</dt>
          <dd class="summary-value">${row.value}</dd>
          ${
            row.step && changeHref
              ? html`<dd class="summary-action">
                  <a href="${changeHref(row.step)}">${t('wizard.change')}<span class="visually-hidden"> ${row.label}</span></a>
                </dd>`
              : html`<dd class="summary-action"></dd>`
          }
        </div>`,
    )}
  </dl>`;
}

export interface Wizard {
  key: string;
  base: string;
  title: string;
  steps: WizardStep[];
  initial?: Values;
  checkHeading?: string;
  checkIntro?: Renderable;
  summary: (values: Values) => SummaryRow[];
  submitLabel: string;
  warning?: boolean;
  /** Sends the answers; returns the page to go to and the message to show there. */
  submit: (values: Values) => Promise<{ to: string; message: string }>;
  /** Which step a server-side field error belongs to. */
  stepOfField?: (field: string) => string | undefined;
  /** A refusal in the words of what this wizard acts on, where the problem's own text is general; undefined keeps that text. */
  explain?: (error: ApiError) => string | undefined;
  backHref?: string;
}

function storageKey(wizard: Wizard): string {
  return `eldercare.wizard.${wizard.key}`;
}

/** Answers saved so far for a wizard key, before the wizard itself is built. */
export function storedAnswers(key: string): Values {
  try {
    return JSON.parse(sessionStorage.getItem(`eldercare.wizard.${key}`) ?? '{}') as Values;
  } catch {
    return {};
  }
}

export function loadAnswers(wizard: Wizard): Values {
  try {
    const stored = sessionStorage.getItem(storageKey(wizard));
    return { ...wizard.initial, ...(stored ? (JSON.parse(stored) as Values) : {}) };
  } catch {
    return { ...wizard.initial };
  }
}

function saveAnswers(wizard: Wizard, values: Values): void {
  sessionStorage.setItem(storageKey(wizard), JSON.stringify(values));
}

export function clearAnswers(wizard: Wizard): void {
  sessionStorage.removeItem(storageKey(wizard));
}

function activeSteps(wizard: Wizard, values: Values): WizardStep[] {
  return wizard.steps.filter((step) => !step.when || step.when(values));
}

export function firstStepHref(wizard: Wizard): string {
  return `${wizard.base}/${wizard.steps[0]?.id ?? 'check'}`;
}

/** Renders the wizard page named by ctx.params.step (a question, or "check"). */
export function runWizard(ctx: PageContext, wizard: Wizard): void {
  const stepId = ctx.params.step ?? wizard.steps[0]?.id ?? 'check';
  if (stepId === 'check') return renderCheck(ctx, wizard, []);
  const step = wizard.steps.find((s) => s.id === stepId);
  if (!step) return navigate(firstStepHref(wizard), { replace: true });
  renderStep(ctx, wizard, step, loadAnswers(wizard), []);
}

function renderStep(ctx: PageContext, wizard: Wizard, step: WizardStep, values: Values, errors: FieldError[]): void {
  const changing = ctx.query.get('change') === '1';
  const steps = activeSteps(wizard, values);
  const index = steps.findIndex((s) => s.id === step.id);
  const back = changing ? `${wizard.base}/check` : index > 0 ? `${wizard.base}/${steps[index - 1]?.id}` : (wizard.backHref ?? '/');
  const single = step.fields.length === 1 && !step.heading;
  const heading = step.heading ?? step.fields[0]?.label ?? wizard.title;
  const progress = t('wizard.progress', { n: index + 1, total: steps.length });
  renderPage(
    ctx,
    `${heading} - ${wizard.title}`,
    html`<p><a class="back-link" href="${back}">${t('nav.back')}</a></p>
      ${errorSummary(errors)}
      <p class="caption">${wizard.title} · ${progress}</p>
      ${single ? '' : html`<h1>${heading}</h1>`} ${step.intro ?? ''}
      <form id="step-form" novalidate>
        ${step.fields.map((field) => renderField(field, values, errors, { asHeading: single }))}
        <div class="button-group">${button(t('form.continue'), { primary: true })}</div>
      </form>`,
    { error: errors.length > 0 },
  );
  if (errors.length > 0) focusErrorSummary();
  const form = byId<HTMLFormElement>('step-form');
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const answers = { ...values, ...readFields(form, step.fields) };
    const found = validateFields(step.fields, answers);
    saveAnswers(wizard, answers);
    if (found.length > 0) return renderStep(ctx, wizard, step, answers, found);
    const next = activeSteps(wizard, answers)[index + 1];
    navigate(changing || !next ? `${wizard.base}/check` : `${wizard.base}/${next.id}`);
  });
}

function renderCheck(ctx: PageContext, wizard: Wizard, errors: FieldError[]): void {
  const values = loadAnswers(wizard);
  // Someone arriving here with a question unanswered is sent to that question first.
  const missing = activeSteps(wizard, values).find((step) => validateFields(step.fields, values).length > 0);
  if (missing) return navigate(`${wizard.base}/${missing.id}`, { replace: true });
  const rows = wizard.summary(values);
  const lastStep = activeSteps(wizard, values).at(-1);
  renderPage(
    ctx,
    `${wizard.checkHeading ?? t('wizard.checkHeading')} - ${wizard.title}`,
    html`<p><a class="back-link" href="${lastStep ? `${wizard.base}/${lastStep.id}` : (wizard.backHref ?? '/')}">${t('nav.back')}</a></p>
      ${errorSummary(errors)}
      <p class="caption">${wizard.title}</p>
      <h1>${wizard.checkHeading ?? t('wizard.checkHeading')}</h1>
      ${wizard.checkIntro ?? ''} ${summaryList(rows, (step) => `${wizard.base}/${step}?change=1`)}
      <form id="check-form" novalidate><div class="button-group">${button(wizard.submitLabel, { primary: true, warning: wizard.warning })}</div></form>`,
    { error: errors.length > 0 },
  );
  if (errors.length > 0) focusErrorSummary();
  const form = byId<HTMLFormElement>('check-form');
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileBusy(form, async () => {
      try {
        const result = await wizard.submit(values);
        clearAnswers(wizard);
        flash(result.message);
        navigate(result.to);
      } catch (error) {
        const found = apiErrors(
          error,
          (field) => {
            const step = wizard.stepOfField?.(field) ?? wizard.steps.find((s) => s.fields.some((f) => f.name === field))?.id;
            return step ? { target: fieldId(field), href: `${wizard.base}/${step}?change=1` } : null;
          },
          wizard.explain,
        );
        renderCheck(ctx, wizard, found);
      }
    });
  });
}

/**
 * The form of a page that asks "are you sure?" (one button, no fields): on submit, `action` runs
 * with the buttons busy; when it fails, `again` shows the page once more with the failure in plain
 * words (`explain`, by default the problem's own text). Focus goes to the errors the page shows.
 */
export function confirmForm(spec: {
  form: string;
  errors: readonly string[];
  action: () => Promise<void>;
  again: (errors: string[]) => Promise<void>;
  explain?: (error: ApiError) => string;
}): void {
  if (spec.errors.length > 0) focusErrorSummary();
  const explain = spec.explain ?? ((problem: ApiError) => problemText(problem.code));
  const form = byId<HTMLFormElement>(spec.form);
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileBusy(form, async () => {
      try {
        await spec.action();
      } catch (error) {
        await spec.again([error instanceof ApiError ? explain(error) : t('error.body')]);
      }
    });
  });
}

/** A page with one ordinary form (managers' forms, sign-in): errors on submit, input kept. */
export function simpleForm(
  ctx: PageContext,
  spec: {
    title: string;
    intro?: Renderable;
    before?: Renderable;
    fields: Field[];
    values?: Values;
    submitLabel: string;
    /** The submit ends or takes away something (closing an account): a warning button. */
    submitWarns?: boolean;
    after?: Renderable;
    onSubmit: (values: Values) => Promise<void>;
    /**
     * The page's own name, where the form is one part of a page about something (a care centre):
     * `before` then holds the page's h1, the form's title is an h2 and the tab reads both.
     */
    within?: string;
    /** A refusal in the words of what the form acts on, where the problem's own text is general; undefined keeps that text. */
    explain?: (error: ApiError) => string | undefined;
    /** Checks across fields, after each field's own: an answer needed only with another one. */
    check?: (values: Values) => FieldError[];
    /** A refusal the API gives without naming a field (a name or phone taken), told at the field it is about. */
    refusedAt?: (error: ApiError) => FieldError | undefined;
  },
  errors: FieldError[] = [],
): void {
  const values = spec.values ?? {};
  const heading = spec.within ? html`<h2>${spec.title}</h2>` : html`<h1>${spec.title}</h1>`;
  renderPage(
    ctx,
    spec.within ? `${spec.title} - ${spec.within}` : spec.title,
    html`${spec.before ?? ''}${errorSummary(errors)} ${heading} ${spec.intro ?? ''}
      <form id="simple-form" novalidate>
        ${spec.fields.map((field) => renderField(field, values, errors))}
        <div class="button-group">${button(spec.submitLabel, { primary: true, warning: spec.submitWarns })}</div>
      </form>
      ${spec.after ?? ''}`,
    { error: errors.length > 0 },
  );
  if (errors.length > 0) focusErrorSummary();
  const form = byId<HTMLFormElement>('simple-form');
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const answers = readFields(form, spec.fields);
    const found = validateFields(spec.fields, answers);
    if (found.length === 0) found.push(...(spec.check?.(answers) ?? []));
    if (found.length > 0) return simpleForm(ctx, { ...spec, values: answers }, found);
    void whileBusy(form, async () => {
      try {
        await spec.onSubmit(answers);
      } catch (error) {
        const at = error instanceof ApiError ? spec.refusedAt?.(error) : undefined;
        simpleForm(
          ctx,
          { ...spec, values: answers },
          at ? [at] : apiErrors(error, (field) => (spec.fields.some((f) => f.name === field) ? { target: fieldId(field) } : null), spec.explain),
        );
      }
    });
  });
}
