import { getLang } from './session';
import * as admin from './i18n/admin';
import * as auth from './i18n/auth';
import * as beds from './i18n/beds';
import * as care from './i18n/care';
import * as common from './i18n/common';
import * as counter from './i18n/counter';
import * as enrolment from './i18n/enrolment';
import * as home from './i18n/home';
import * as notifications from './i18n/notifications';
import { fieldNames, problems } from './i18n/problems';
import * as report from './i18n/report';
import type { Pair } from './i18n/texts';
import * as timeBank from './i18n/time-bank';

/**
 * Every text of the pages, Chinese first and English second, kept by part of the site in i18n/.
 * Plain words for people who are not used to computers: no codes, no jargon; errors say what to
 * do next.
 */
const PARTS = [
  common.text,
  auth.text,
  home.text,
  counter.text,
  enrolment.text,
  timeBank.text,
  beds.text,
  care.text,
  admin.text,
  report.text,
  notifications.text,
] as const;

/** The keys two parts both define (one would silently hide the other); `never` when none. */
type Clash<Parts extends readonly object[], Seen extends PropertyKey = never> = Parts extends readonly [
  infer First extends object,
  ...infer Rest extends readonly object[],
]
  ? (keyof First & Seen) | Clash<Rest, Seen | keyof First>
  : never;
// Fails to compile, naming the key, when two parts define the same key.
const noClash: [Clash<typeof PARTS>] extends [never] ? true : Clash<typeof PARTS> = true;
void noClash;

const TEXT = Object.assign({}, ...PARTS) as UnionToIntersection<(typeof PARTS)[number]>;
const LABELS = { ...beds.labels, ...timeBank.labels, ...care.labels, ...counter.labels, ...admin.labels };

type UnionToIntersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;

/** A key of a text the pages show; `t()` accepts nothing else. */
export type TextKey = keyof typeof TEXT;
/** A group of API codes that `label()` names. */
export type LabelGroup = keyof typeof LABELS;

function pick(pair: Pair): string {
  return getLang() === 'en' ? pair[1] : pair[0];
}

/** The text for `key` in the chosen language, with `{name}` placeholders filled from `vars`. */
export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  return pick(TEXT[key]).replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? ''));
}

/**
 * A field's label inside an English sentence: "Enter time", not "Enter Time". A label that
 * begins with an acronym ("ID card number") keeps it, and Chinese has no case.
 */
export function inSentence(label: string): string {
  return getLang() === 'en' && /^[A-Z][a-z]/.test(label) ? `${label.charAt(0).toLowerCase()}${label.slice(1)}` : label;
}

/** The plain name of an API code; a code the pages do not know yet is shown as it is. */
export function label(group: LabelGroup, code: string): string {
  return lookup(LABELS[group], code) ?? code;
}

/** An API problem in plain words; for a field error, names the field. */
export function problemText(code: string, field?: string): string {
  if (field && (code === 'VALIDATION_FAILED' || code === 'INVALID_ID_CARD_NUMBER')) {
    if (code === 'INVALID_ID_CARD_NUMBER') return pick(problems.INVALID_ID_CARD_NUMBER);
    const name = lookup(fieldNames, field) ?? field;
    return getLang() === 'en' ? `Check ${name}: it is not filled in correctly.` : `请检查“${name}”，填写得不对。`;
  }
  return lookup(problems, code) ?? t('error.body');
}

/** The text for a code the API chose (a problem code, a field name, a status), if the pages know it. */
function lookup(texts: Partial<Record<string, Pair>>, code: string): string | undefined {
  const pair = Object.hasOwn(texts, code) ? texts[code] : undefined;
  return pair && pick(pair);
}
