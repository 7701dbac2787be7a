import type { TestStack } from '@app/testing';

/** Table name → md5 of all its rows in a stable order. */
export type Fingerprint = Record<string, string>;

/** Tables whose rows change for reasons other than the request under test. */
const VOLATILE = new Set(['schema_migrations']);

/**
 * A fingerprint of every table of the stack's database: one md5 per table over all its rows
 * as text, ordered, so any insert, update or delete anywhere shows as a changed table.
 */
export async function fingerprint(stack: TestStack): Promise<Fingerprint> {
  const tables: { table_name: string }[] = await stack.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const names = tables.map((row) => row.table_name).filter((name) => !VOLATILE.has(name));
  const select = names
    .map((name) => `SELECT '${name}' AS t, coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), 'empty') AS h FROM "${name}" x`)
    .join(' UNION ALL ');
  const rows: { t: string; h: string }[] = await stack.dataSource.query(select);
  return Object.fromEntries(rows.map((row) => [row.t, row.h]));
}

/** Names of the tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
