/** A small seeded PRNG (mulberry32): the same seed gives the same sequence, so a failing run can be replayed. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** `count` distinct items (all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(this.int(pool.length), 1)[0]);
    return chosen;
  }

  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string {
    const characters = [...alphabet];
    let result = '';
    for (let i = 0; i < length; i += 1) result += characters[this.int(characters.length)];
    return result;
  }
}

/** Emoji, right-to-left text, combining marks, zero-width and control characters, NUL, lone surrogates. */
export const UNICODE_STRINGS: readonly string[] = [
  '👵🏻👴🏿🧓‍♀️🏥',
  'مرحبا بالعالم שלום',
  '\u202eevil\u202c txt.exe',
  'Z̴̡̢̛̗̘̙̜̝̞̟̠̀́̂̃̄̅̆̇̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\u200b\u200c\u200d\ufeff',
  '\u0007\u001b[31mred',
  '𠜎𠜱𠝹𠱓𠱸𠲖',
  'é'.normalize('NFD'),
];

/** Strings that have broken other systems' parsers, queries and templates. */
export const INJECTION_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '1; SELECT pg_sleep(5)',
  "\\'; SELECT * FROM users --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '${process.env.JWT_SECRET}',
  '{{7*7}}',
  '#{7*7}',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '{"$gt":""}',
  '{"$where":"1==1"}',
  'line\r\nX-Injected: yes',
  '%00',
  '%s%s%s%n',
  '() { :; }; echo vulnerable',
  'javascript:alert(1)',
];

/** Numbers (and number-like strings) at and beyond every boundary. */
export const NUMERIC_EXTREMES: readonly unknown[] = [
  -1,
  0,
  -0,
  1.5,
  0.1,
  1e308,
  -1e308,
  2 ** 63,
  -(2 ** 63),
  2 ** 31,
  Number.MAX_SAFE_INTEGER + 2,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '12',
  '0x10',
  '',
];

/** Values of every JSON type, to put where another type belongs. */
export const WRONG_TYPES: readonly unknown[] = [12345, -1, true, false, null, [], ['x'], {}, { a: 1 }, 'text', ''];

/** Path parameter values that are not ids, already percent-encoded for the URL. */
export const MALFORMED_IDS: readonly string[] = [
  'not-a-uuid',
  '123',
  '%00',
  '%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%E0%A4%A',
  '%FF',
  encodeURIComponent("' OR '1'='1"),
  encodeURIComponent('<script>alert(1)</script>'),
  encodeURIComponent('👵'),
  '00000000-0000-4000-8000-000000000000%00',
  '00000000-0000-4000-8000-00000000000g',
  'a'.repeat(4000),
  '-1',
  'null',
  'undefined',
];

/** Bodies that are not JSON although they say so. */
export const MALFORMED_JSON: readonly string[] = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '[1,2',
  'nul',
  '"\\u12"',
  '{"a":"\u0001"}',
  '\u0000',
  '{"a":1}garbage',
  ']',
];
