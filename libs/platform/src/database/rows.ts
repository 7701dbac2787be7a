import type { DataSource, EntityManager } from 'typeorm';
import { snake } from './snake-naming.strategy';

/**
 * Rows read with SQL reach services in the shape of their row interface, with no mapping code:
 *
 * - a statement selects each column under its camelCase field name (`user_id AS "userId"`);
 *   `columns<Row>(…fields)` writes that list from the field names, checked against the interface;
 *   computed columns (`day::text AS "day"`) are written by hand the same way;
 * - `queryRows<Row>()` and `queryRow<Row>()` run it on the data source or a transaction's manager;
 * - pg returns bigint, numeric and count(*) as text: cast to `::int` in SQL where the value always
 *   fits in 32 bits; otherwise name those fields once with `numbers<Row>(…fields)` and map the
 *   rows through it.
 *
 * Entities are registered only for the tables a service reads through a TypeORM repository.
 */

/** The data source, or the `EntityManager` of the caller's transaction. */
export type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** `columns<Row>(['id', 'userId'], 'a')` → `a.id AS "id", a.user_id AS "userId"`. */
export function columns<Row>(fields: readonly (keyof Row & string)[], table?: string): string {
  const prefix = table ? `${table}.` : '';
  return fields.map((field) => `${prefix}${snake(field)} AS "${field}"`).join(', ');
}

/** Runs one statement whose columns are aliased as `Row`'s fields. */
export function queryRows<Row>(db: Queryable, sql: string, params: unknown[] = []): Promise<Row[]> {
  return db.query<Row[]>(sql, params);
}

/** The first row of `queryRows`, or null when there is none. */
export async function queryRow<Row>(db: Queryable, sql: string, params: unknown[] = []): Promise<Row | null> {
  const rows = await queryRows<Row>(db, sql, params);
  return rows[0] ?? null;
}

/**
 * A mapper that turns the named fields (bigint, numeric or count columns, which pg returns as
 * text) into numbers; null stays null, every other field is passed through.
 */
export function numbers<Row extends object>(...fields: (keyof Row)[]): (row: Row) => Row {
  return (row) => {
    const converted = { ...row };
    for (const field of fields) {
      const value = row[field];
      if (value !== null && value !== undefined) converted[field] = Number(value) as Row[keyof Row];
    }
    return converted;
  };
}
