import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { buildDataSourceOptions, type SchemaParts } from './data-source-options';
import { ReadDatabase } from './read-database';
import { TransactionRunner } from './transaction-runner';

/** Which program this process is, and the schema it composes: read by the connection factory. */
const DATABASE_PROGRAM = Symbol('DATABASE_PROGRAM');

interface DatabaseProgram {
  schema: SchemaParts;
  applicationName: string;
}

/**
 * The TypeORM root, defined once per process. `TypeOrmModule.forRootAsync` records the data
 * source's name each time it is called and warns on a second call, which a process that composes
 * both the API and the worker (the tests) would otherwise make. The program-specific parts come
 * from `DATABASE_PROGRAM`, which each program's `DatabaseModule` provides.
 */
let typeOrmRoot: DynamicModule | undefined;

function sharedTypeOrmRoot(): DynamicModule {
  typeOrmRoot ??= TypeOrmModule.forRootAsync({
    inject: [APP_CONFIG, DATABASE_PROGRAM],
    useFactory: (config: AppConfig, program: DatabaseProgram) => ({
      ...buildDataSourceOptions(config, program.schema, program.applicationName),
      // Boot fails fast and clearly; the launcher or orchestrator restarts the process.
      retryAttempts: 2,
      retryDelay: 1000,
    }),
  });
  return typeOrmRoot;
}

/** The TypeORM connection for a program, with the schema the program composes. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(schema: SchemaParts, applicationName: string): DynamicModule {
    const program: DatabaseProgram = { schema, applicationName };
    return {
      module: DatabaseModule,
      imports: [sharedTypeOrmRoot()],
      providers: [TransactionRunner, ReadDatabase, { provide: DATABASE_PROGRAM, useValue: program }],
      exports: [TransactionRunner, ReadDatabase, DATABASE_PROGRAM],
    };
  }
}
