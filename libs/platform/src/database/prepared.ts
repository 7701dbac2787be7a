import type { Queryable } from './rows';

/**
 * A statement that PostgreSQL parses and plans once per connection and keeps under its name, for
 * the few statements sent many times a second (a bed move, a batch of ledger operations). Sent
 * unnamed, each call is parsed and planned again before it runs: for `bed_act` that was about a
 * third of each call's time on one connection (docs/adr/0008-prepared-hot-statements.md).
 *
 * The name must be unique to the text: the driver refuses one name for two texts on a connection.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export function preparedStatement(name: string, text: string): PreparedStatement {
  return { name, text };
}

/**
 * The statement as the driver takes it: with its name when `prepare` is on
 * (`DATABASE_PREPARED_STATEMENTS`, the default), else its text alone, as every other statement is
 * sent (for a pooler that does not track prepared statements, e.g. PgBouncer before 1.21).
 */
export function statementFor(statement: PreparedStatement, prepare: boolean): string | PreparedStatement {
  return prepare ? statement : statement.text;
}

/**
 * Runs a prepared statement on the data source or a transaction's manager. TypeORM hands the
 * query to `pg` as it is given, and `pg` takes a `{ name, text }` object there: it sends the Parse
 * once per connection and only Bind and Execute afterwards. TypeORM's signature says string, hence
 * the one cast; its logger receives the object, which `statementText` reads.
 */
export function queryPrepared<Row>(db: Queryable, statement: PreparedStatement, params: unknown[], prepare: boolean): Promise<Row[]> {
  return db.query<Row[]>(statementFor(statement, prepare) as string, params);
}

/** The SQL of what TypeORM reports as a query: a string, or a prepared statement's text. */
export function statementText(query: unknown): string | undefined {
  if (typeof query === 'string') return query;
  if (query !== null && typeof query === 'object' && typeof (query as { text?: unknown }).text === 'string') return (query as { text: string }).text;
  return undefined;
}
