import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { QueryLogger } from './query-logger';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
export interface SchemaParts {
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
}
/* eslint-enable @typescript-eslint/no-unsafe-function-type */

/**
 * One definition of the connection, shared by the API, the worker, the migration CLI and the
 * tests. The schema comes from migrations only: `synchronize` is off everywhere.
 */
export function buildDataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl' | 'databasePoolSize'>,
  schema: SchemaParts,
  applicationName = 'eldercare',
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    poolSize: config.databasePoolSize,
    connectTimeoutMS: 5000,
    applicationName,
    // Failed queries are logged with their statement and SQLSTATE, never their parameters.
    logger: new QueryLogger(),
    extra: {
      // Fail fast rather than queue forever when the pool is exhausted or the server is gone.
      connectionTimeoutMillis: 5000,
      // statement_timeout and idle_in_transaction_session_timeout are settings of the database
      // (migration 1764400510000), not startup parameters, which PgBouncer in transaction mode refuses.
    },
  };
}
