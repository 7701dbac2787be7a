/** The id format of every row the API names (docs/api.md, "Conventions": ids are UUID strings). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * The id `field` of a queue job's data, lower-cased. Jobs carry ids only; a payload without a
 * well-formed one is a programming error, so this throws and the job fails visibly.
 */
export function jobIdField(data: unknown, field: string): string {
  const value = (data as Record<string, unknown> | null)?.[field];
  if (!isUuid(value)) throw new Error(`job payload needs a UUID ${field}`);
  return value.toLowerCase();
}
