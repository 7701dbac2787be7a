import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { buildDataSourceOptions, type SchemaParts } from './data-source-options';
import { TransactionRunner } from './transaction-runner';

/** The TypeORM connection for a program, with the schema the program composes. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(schema: SchemaParts, applicationName: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...buildDataSourceOptions(config, schema, applicationName),
            // Boot fails fast and clearly; the launcher or orchestrator restarts the process.
            retryAttempts: 2,
            retryDelay: 1000,
          }),
        }),
      ],
      providers: [TransactionRunner],
      exports: [TransactionRunner],
    };
  }
}
