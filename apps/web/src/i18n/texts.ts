/** One text in both languages: Chinese first, English second. Both are required. */
export type Pair = readonly [zh: string, en: string];

/** The texts of one part of the site, by key. */
export type Texts = Record<string, Pair>;

/** Names of the API's codes, by group and code. */
export type Labels = Record<string, Record<string, Pair>>;
