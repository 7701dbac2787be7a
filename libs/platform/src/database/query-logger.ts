import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { statementText } from './prepared';

/** Statements are logged up to this length; a bulk statement is recognisable by its start. */
const STATEMENT_MAX_CHARS = 2000;

/**
 * SQLSTATE classes a request or a race can cause on purpose (a duplicate, a failed CHECK, a
 * serialization failure, a value of the wrong type, a domain rule raised by a function): the code
 * maps them to 4xx or retries, so they are logged at debug. Anything else is a warning.
 */
const EXPECTED_STATE = /^(22|23|40)|^55P03$|^P0001$/;

/** A SQL statement on one line, shortened; it holds `$n` placeholders, never the values. */
export function statementForLog(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > STATEMENT_MAX_CHARS ? `${oneLine.slice(0, STATEMENT_MAX_CHARS)}…` : oneLine;
}

/**
 * PostgreSQL's message without the values it quotes: `invalid input syntax for type uuid: "…"`
 * names the offending value after a colon, while constraint, column and relation names are
 * quoted after a word. The `detail` ("Key (name)=(…)", "Failing row contains (…)") is never used.
 */
export function messageWithoutValues(message: string): string {
  return message.replace(/:\s*"(?:[^"\\]|\\.)*"/g, ': "[value]"').replace(/:\s*'(?:[^'\\]|\\.)*'/g, ": '[value]'");
}

interface DatabaseErrorFields {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  routine?: unknown;
  message?: unknown;
  query?: unknown;
  parameters?: unknown;
  driverError?: DatabaseErrorFields;
}

/** True for an error of the database driver or TypeORM's wrapper of one (`QueryFailedError`). */
export function isDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const candidate = error as DatabaseErrorFields;
  return 'parameters' in candidate || 'driverError' in candidate || (typeof candidate.code === 'string' && 'routine' in candidate);
}

/**
 * What a log may say about a failed query: the SQLSTATE, the names PostgreSQL reports (constraint,
 * table, column), the statement with its placeholders, and the message without quoted values.
 * Parameters and the detail are left out: they carry names, notes and other personal data. The
 * query is a string, or a prepared statement (`queryPrepared`), whose text is logged.
 */
export function describeDatabaseError(error: unknown, query?: unknown): Record<string, unknown> {
  const outer = (error ?? {}) as DatabaseErrorFields;
  const driver = outer.driverError ?? outer;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const statement = text(statementText(query)) ?? text(statementText(outer.query));
  const described: Record<string, unknown> = {
    type: error instanceof Error ? error.name : typeof error,
    sqlState: text(driver.code) ?? text(outer.code),
    message: messageWithoutValues(text(driver.message) ?? text(outer.message) ?? String(error)),
  };
  for (const [name, value] of [
    ['constraint', driver.constraint],
    ['table', driver.table],
    ['column', driver.column],
  ] as const) {
    if (text(value)) described[name] = value;
  }
  if (statement) described.statement = statementForLog(statement);
  return described;
}

/**
 * TypeORM's logger for every program: a failed query is one structured line with its statement
 * and SQLSTATE and never its parameters; slow queries likewise. Written through Nest's logger, so
 * the lines are JSON and scrubbed like the rest of the log.
 */
export class QueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Successful queries are not logged: there are too many, and their parameters are personal data.
  }

  // TypeORM declares `query` a string; a prepared statement (`queryPrepared`) arrives as `{ name, text }`.
  logQueryError(error: string | Error, query: unknown): void {
    const described = describeDatabaseError(error, query);
    const state = typeof described.sqlState === 'string' ? described.sqlState : '';
    const line = { msg: 'query failed', ...described };
    if (EXPECTED_STATE.test(state)) this.logger.debug(line);
    else this.logger.warn(line);
  }

  logQuerySlow(time: number, query: unknown): void {
    this.logger.warn({ msg: 'slow query', ms: time, statement: statementForLog(statementText(query) ?? '') });
  }

  logSchemaBuild(): void {
    // The schema comes from migrations only; nothing is built at start.
  }

  logMigration(): void {
    // The migration command reports what it applied itself.
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.logger.warn({ msg: text });
    else this.logger.log({ msg: text });
  }
}
