export { TimeBankModule, TimeBankHttpModule, TimeBankWorkerModule } from './time-bank.module';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
/** TimeBank's tables (entities, and migrations in timestamp order from 1764400200000). */
export const timeBankEntities: Function[] = [];
export const timeBankMigrations: Function[] = [];
/* eslint-enable @typescript-eslint/no-unsafe-function-type */
